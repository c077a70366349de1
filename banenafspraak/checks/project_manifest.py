"""The manifest as the project's structure rules (project.py) see it: the limits, a Finding,
and the helpers the rules share (a model's folder, its parents and children, its name, its
materialization, its SQL without Jinja).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FANOUT_LIMIT = 3          # more direct leaf children than this is a finding
JOIN_LIMIT = 7            # this many joins or more in one model is a finding
CHAIN_LIMIT = 4           # more views than this in an unbroken chain is a finding
VIEW_MATERIALIZATIONS = ("view", "ephemeral")
FOLDER_PREFIXES = {       # models/<folder>/…: allowed name prefixes
    "staging": ("stg_",),
    "intermediate": ("int_",),
    "marts": ("fct_", "dim_"),
    "audit": ("quarantine_", "reconciliation", "disclosure_"),
    "publication": ("pub_",),
    "semantic": ("sem_",),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    node: str
    why: str
    fix: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.node}: {self.why} Fix: {self.fix}"



def models(manifest: dict) -> dict[str, dict]:
    project = manifest["metadata"].get("project_name")
    return {uid: n for uid, n in manifest["nodes"].items()
            if n["resource_type"] == "model" and (project is None or n["package_name"] == project)}


def folder(node: dict) -> str:
    parts = Path(node["original_file_path"]).parts
    return parts[1] if len(parts) > 2 and parts[0] == "models" else ""


def parents(manifest: dict, uid: str) -> list[str]:
    return manifest["parent_map"].get(uid, [])


def children(manifest: dict, uid: str) -> list[str]:
    return manifest["child_map"].get(uid, [])


def name(uid: str) -> str:
    return uid.split(".")[-1] if not uid.startswith("source.") else ".".join(uid.split(".")[-2:])



def materialization(node: dict) -> str:
    return (node.get("config") or {}).get("materialized", "view")



def strip_jinja(code: str) -> str:
    """SQL with Jinja blocks, expressions and comments blanked, and SQL comments removed."""
    code = re.sub(r"\{#.*?#\}", " ", code, flags=re.S)
    code = re.sub(r"\{%.*?%\}", " ", code, flags=re.S)
    code = re.sub(r"\{\{.*?\}\}", " __jinja__ ", code, flags=re.S)
    return re.sub(r"--[^\n]*", " ", code)

