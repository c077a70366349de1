"""The project's configuration, in one place: where things are, dbt's vars, and log().

Every path here is absolute. A path from the environment (WAREHOUSE_PATH,
PUBLISH_PATH, DBT_TARGET_PATH) that is relative is taken relative to the project
root, as dbt takes it (the Makefile, publish and the tests run dbt from the root),
never relative to the directory a script happens to be started from. Paths given
on a command line (--warehouse, --out, …) are the user's own and stay as given.

The project root is the folder this package sits in: the package is installed
editable from the repository (`make setup`: pip install -e .), because it works on
the repository's dbt project, seeds, templates and suites.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _under(root: Path, value: str | os.PathLike[str]) -> Path:
    """value as an absolute path: as it is when absolute, else under root."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path


@dataclass(frozen=True)
class Config:
    """Where the warehouse, the publication and dbt's output are, read once from the environment."""

    root: Path
    warehouse: Path            # the build warehouse (WAREHOUSE_PATH, default warehouse.duckdb)
    publish_path: Path         # the BI file's stable path (PUBLISH_PATH, default publish/warehouse.duckdb)
    target: Path               # dbt's target folder (DBT_TARGET_PATH, default target)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, root: Path = ROOT) -> Config:
        env = os.environ if environ is None else environ
        if not (root / "dbt_project.yml").is_file():
            raise RuntimeError(f"banenafspraak: no dbt_project.yml in {root}; install the package editable "
                               "from the repository (make setup: pip install -e .)")
        return cls(root=root,
                   warehouse=_under(root, env.get("WAREHOUSE_PATH") or "warehouse.duckdb"),
                   publish_path=_under(root, env.get("PUBLISH_PATH") or "publish/warehouse.duckdb"),
                   target=_under(root, env.get("DBT_TARGET_PATH") or "target"))

    @property
    def publish_folder(self) -> Path:
        """The publish folder (PUBLISH_PATH's folder), symlinks resolved."""
        return Path(os.path.realpath(self.publish_path.parent))

    @property
    def history(self) -> Path:
        """The disclosure vintages of every publication (publish/history)."""
        return self.publish_folder / "history"

    @property
    def reference(self) -> Path:
        """The reference seeds (region names, target groups, municipalities)."""
        return self.root / "seeds" / "reference"

    @cached_property
    def dbt_project_vars(self) -> dict[str, Any]:
        """The vars of dbt_project.yml (read once)."""
        import yaml
        project = yaml.safe_load((self.root / "dbt_project.yml").read_text())
        return dict(project.get("vars") or {})

    def var(self, name: str, default: Any = None) -> Any:
        """A var's value from dbt_project.yml (the default of --min-persons, --protection, …)."""
        return self.dbt_project_vars.get(name, default)


def config() -> Config:
    """The configuration of this process, from the environment as it is now."""
    return Config.from_environment()


class Logger:
    """Progress lines on stderr: `[name HH:MM:SS] message` (`[HH:MM:SS] message` without a name)."""

    def __init__(self, name: str = "") -> None:
        self.name = name

    def __call__(self, message: str, quiet: bool = False) -> None:
        if quiet:
            return
        prefix = f"{self.name} " if self.name else ""
        print(f"[{prefix}{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def git_commit(root: Path = ROOT) -> str:
    """The commit checked out in the project (git rev-parse HEAD), or 'unknown'."""
    import subprocess
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
