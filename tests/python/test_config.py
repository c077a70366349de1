"""banenafspraak.config: paths from the environment are taken against the project root
(as dbt takes them), never against the working directory; no module edits sys.path."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

from banenafspraak.config import Config


def test_paths_from_the_environment_are_under_the_project_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)   # the working directory plays no part
    relative = Config.from_environment({"WAREHOUSE_PATH": "build/w.duckdb", "PUBLISH_PATH": "out/p.duckdb",
                                        "DBT_TARGET_PATH": "t"})
    assert relative.warehouse == ROOT / "build" / "w.duckdb"
    assert relative.publish_path == ROOT / "out" / "p.duckdb" and relative.target == ROOT / "t"
    absolute = Config.from_environment({"WAREHOUSE_PATH": str(tmp_path / "w.duckdb")})
    assert absolute.warehouse == tmp_path / "w.duckdb"
    defaults = Config.from_environment({})
    assert defaults.warehouse == ROOT / "warehouse.duckdb" and defaults.target == ROOT / "target"
    assert defaults.history == (ROOT / "publish").resolve() / "history"
    assert defaults.var("disclosure_min_persons") == 10


def test_the_history_is_next_to_the_published_link_not_its_target(tmp_path):
    folder = tmp_path / "publish"
    (folder / "runs" / "one").mkdir(parents=True)
    (folder / "runs" / "one" / "warehouse.duckdb").touch()
    (folder / "warehouse.duckdb").symlink_to("runs/one/warehouse.duckdb")
    config = Config.from_environment({"PUBLISH_PATH": str(folder / "warehouse.duckdb")})
    assert config.history == folder.resolve() / "history"


def test_the_entry_points_run_from_any_directory(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_project.py"), "--help"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "--waivers" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "banenafspraak"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0 and "publish" in proc.stderr
