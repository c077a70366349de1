"""Values a user hands to make (VARS, FULL_REFRESH, QUARTER, PDF, NATIONAL_DIR) are data:
they reach the script as one argument, byte for byte, and nothing in them runs — not
in the shell (backticks, $(…), ;, quotes) and not in make itself ($(shell …)).

make runs against a fake venv (VENV=…): its python and dbt only write down the
arguments and environment they were called with, so no real publication or build runs.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")

FAKE_PROGRAM = """#!{python}
import json, os, sys
if sys.argv[1:2] == ["-c"]:  # the recipe's own small Python snippets run for real
    os.execv({python!r}, [{python!r}, *sys.argv[1:]])
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(json.dumps({{"program": os.path.basename(sys.argv[0]), "argv": sys.argv[1:],
                          "WAREHOUSE_PATH": os.environ.get("WAREHOUSE_PATH")}}) + "\\n")
"""


def hostile(canary) -> list[str]:
    """Values that ran `touch canary` (or lost characters) in the old Makefile."""
    return [
        f"{{raw_path: /data/`touch {canary}`}}",
        f"{{raw_path: '/data/$(touch {canary})'}}",
        f"$(shell touch {canary})",
        f"'; touch {canary}; echo '",
        f'"; touch {canary}; echo "',
        f"{{raw_path: \"/data/'s-Hertogenbosch\"}} ; touch {canary}\n"
        "second line: \\ # ${HOME} $$ $HOME % \"unbalanced",
    ]


@pytest.fixture
def fake_make(tmp_path):
    """Runs a make target of the repository with a fake venv; returns the fake programs' calls."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    for program in ("python", "dbt"):
        path = venv / "bin" / program
        path.write_text(FAKE_PROGRAM.format(python=sys.executable))
        path.chmod(0o755)
    (venv / ".installed").touch()  # newer than requirements.txt: setup has nothing to do
    log = tmp_path / "calls.jsonl"

    def run(target: str, *assignments: str, env: dict | None = None) -> list[dict]:
        log.unlink(missing_ok=True)
        clean = {k: v for k, v in os.environ.items()
                 if k not in ("VARS", "FULL_REFRESH", "QUARTER", "PDF", "NATIONAL_DIR", "MAKEFLAGS")}
        proc = subprocess.run(["make", "-s", "-C", str(ROOT), target, f"VENV={venv}", *assignments],
                              env={**clean, "FAKE_LOG": str(log), **(env or {})}, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return run


def test_publish_passes_vars_as_one_literal_argument(fake_make, tmp_path):
    canary = tmp_path / "ran"
    for value in hostile(canary):
        for route in ("command line", "environment"):
            if route == "command line":
                calls = fake_make("publish", f"VARS={value}")
            else:
                calls = fake_make("publish", env={"VARS": value})
            assert not canary.exists(), f"{route} VARS={value!r} ran a command"
            assert calls == [{"program": "python", "argv": ["-m", "banenafspraak", "publish", "--vars", value],
                              "WAREHOUSE_PATH": os.environ.get("WAREHOUSE_PATH")}], (route, value)


def test_publish_without_vars_and_with_full_refresh(fake_make, tmp_path):
    assert fake_make("publish")[0]["argv"] == ["-m", "banenafspraak", "publish"]
    canary = tmp_path / "ran"
    calls = fake_make("publish", f"FULL_REFRESH=$(shell touch {canary})")
    assert calls[0]["argv"] == ["-m", "banenafspraak", "publish", "--full-refresh"] and not canary.exists()


def test_reports_pass_the_quarter_as_one_literal_argument(fake_make, tmp_path):
    canary = tmp_path / "ran"
    for value in ["2023Q4", *hostile(canary)]:
        calls = fake_make("reports", f"QUARTER={value}", "PDF=1")
        assert not canary.exists(), value
        assert calls[0]["argv"] == ["-m", "banenafspraak", "reports", "--quarter", value, "--pdf"]
    assert fake_make("reports")[0]["argv"] == ["-m", "banenafspraak", "reports"]


def test_national_and_benchmark_pass_the_directory_literally(fake_make, tmp_path):
    canary = tmp_path / "ran"
    directory = f"/data/'s-Hertogenbosch/$(touch {canary}) `touch {canary}`, raw_format: csv}}"
    generate, build = fake_make("national", f"NATIONAL_DIR={directory}")
    assert generate["argv"] == ["-m", "banenafspraak", "generate-raw", "--scale", "national", "--format", "parquet",
                                "--out", directory]
    assert build["program"] == "dbt" and build["argv"][:2] == ["build", "--vars"]
    assert json.loads(build["argv"][2]) == {"raw_path": directory, "raw_format": "parquet"}
    assert build["WAREHOUSE_PATH"] == directory + ".duckdb"
    calls = fake_make("benchmark", f"NATIONAL_DIR={directory}")
    assert calls[0]["argv"] == ["-m", "banenafspraak", "benchmark", "--data", directory, "--out", "benchmark"]
    assert not canary.exists()
    default = fake_make("national")[0]["argv"][-1]
    assert os.path.realpath(default) == os.path.realpath(ROOT.parent / "data" / "national")
