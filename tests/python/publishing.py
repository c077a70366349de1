"""Helpers for the publication tests: run scripts/publish.py in a folder of its own,
and a DuckDB 1.x reader in a separate venv."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT

SCENARIO = FIXTURES / "scenario_register" / "raw"


class Publication:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.folder = directory / "publish"
        self.published = self.folder / "warehouse.duckdb"
        self.env = {**os.environ, "PUBLISH_PATH": str(self.published),
                    "WAREHOUSE_PATH": str(directory / "build.duckdb"),
                    "DBT_TARGET_PATH": str(directory / "target"), "DBT_LOG_PATH": str(directory / "logs"),
                    "DBT_PROFILES_DIR": str(ROOT), "DBT_TARGET": "ci"}

    def run(self, *args: str, raw: Path | None = None) -> subprocess.CompletedProcess:
        command = [sys.executable, str(ROOT / "scripts" / "publish.py"), *args]
        if raw is not None:
            command += ["--vars", json.dumps({"raw_path": str(raw), "raw_format": "csv"})]
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)

    def popen(self, *args: str, raw: Path | None = None) -> subprocess.Popen:
        command = [sys.executable, str(ROOT / "scripts" / "publish.py"), *args]
        if raw is not None:
            command += ["--vars", json.dumps({"raw_path": str(raw), "raw_format": "csv"})]
        return subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)

    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text())


def changed_scenario(directory: Path) -> Path:
    """The hand-made scenario with a late correction: 5.5 more hours for P09 in September
    2022 (a quarter already published, within the incremental look-back window)."""
    raw = directory / "raw_corrected"
    shutil.copytree(SCENARIO, raw, dirs_exist_ok=True)
    with open(raw / "payroll.csv", "a") as handle:
        handle.write("P09,E091,W01,market,2022-09-01,5.50,unknown,regular,2018-01-01\n")
    return raw


def duckdb1_python() -> str:
    """A Python with DuckDB 1.x (requirements-bi-reader.txt) in target/duckdb1-reader."""
    venv = ROOT / "target" / "duckdb1-reader"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r",
                        str(ROOT / "requirements-bi-reader.txt")], check=True)
    return str(python)
