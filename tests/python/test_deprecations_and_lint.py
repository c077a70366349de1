"""The project's habits are enforced: a dbt deprecation fails `dbt parse --warn-error`
(as `make check` runs it), and sqlfluff fails on SQL that breaks the style. Both are
shown on a copy of the project with one fault."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # a copy of the project parsed and linted with sqlfluff: not in make test-fast

BIN = Path(sys.executable).parent


def project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "target", "logs", "*.duckdb*", ".git",
                                                              "audit_traces", "benchmark", "publish"))
    return copy


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DBT_PROFILES_DIR": str(cwd), "WAREHOUSE_PATH": str(cwd / "check.duckdb")}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


def test_a_deprecation_fails_the_parse(tmp_path):
    project = project_copy(tmp_path)
    parse = [str(BIN / "dbt"), "parse", "--show-all-deprecations", "--no-partial-parse", "--warn-error"]
    assert run(parse, project).returncode == 0
    yml = project / "models" / "marts" / "core" / "_core__models.yml"
    # generic test arguments at the top level instead of under `arguments:` are deprecated
    yml.write_text(yml.read_text().replace(
        "      - unique_combination_of_columns:\n          arguments:\n            combination_of_columns: [gemeente_code, year]",
        "      - unique_combination_of_columns:\n          combination_of_columns: [gemeente_code, year]", 1))
    failed = run(parse, project)
    assert failed.returncode != 0
    assert "Deprecat" in failed.stdout + failed.stderr


def test_lint_fails_on_a_style_fault(tmp_path):
    project = project_copy(tmp_path)
    model = project / "models" / "marts" / "core" / "dim_target_group.sql"
    model.write_text(model.read_text().replace("    select * from {{ ref('target_groups') }}",
                                               "    SELECT * FROM {{ ref('target_groups') }}"))
    lint = [str(BIN / "sqlfluff"), "lint", str(model.relative_to(project))]
    failed = run(lint, project)
    assert failed.returncode != 0
    assert "CP01" in failed.stdout
