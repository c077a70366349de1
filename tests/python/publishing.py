"""Helpers for the publication tests: run scripts/publish.py (or its fault-injecting
wrapper, publish_with_faults.py) in a folder of its own, check that what is current is
one complete publication, and a DuckDB 1.x reader in a separate venv."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from conftest import FIXTURES, ROOT

SCENARIO = FIXTURES / "scenario_register" / "raw"
WRAPPER = Path(__file__).with_name("publish_with_faults.py")
ARTEFACTS = ("manifest.json", "semantic_manifest.json")  # what the measure registry reads
STABLE = {"warehouse.duckdb": "warehouse.duckdb", "manifest.json": "manifest.json", "marts.sql": "marts.sql",
          "revisions.md": "revisions.md", "parquet/current": "parquet",
          "public/public.duckdb": "public/public.duckdb", "public/figures.parquet": "public/figures.parquet"}


class Publication:
    """A publish folder (directory/publish) and the build warehouse it publishes."""

    def __init__(self, directory: Path, build: Path | None = None) -> None:
        self.directory = directory
        self.folder = directory / "publish"
        self.published = self.folder / "warehouse.duckdb"
        self.build = build or directory / "build.duckdb"
        self.env = {**os.environ, "PUBLISH_PATH": str(self.published), "WAREHOUSE_PATH": str(self.build),
                    "DBT_TARGET_PATH": str(directory / "target"), "DBT_LOG_PATH": str(directory / "logs"),
                    "DBT_PROFILES_DIR": str(ROOT), "DBT_TARGET": "ci"}

    def command(self, args: tuple[str, ...], raw: Path | None, faults: list[str] | None) -> list[str]:
        command = [sys.executable, str(ROOT / "scripts" / "publish.py"), *args] if faults is None else \
            [sys.executable, str(WRAPPER), *faults, "--", *args]
        if raw is not None:
            command += ["--vars", json.dumps({"raw_path": str(raw), "raw_format": "csv"})]
        return command

    def run(self, *args: str, raw: Path | None = None, faults: list[str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(args, raw, faults), cwd=ROOT, env=self.env, capture_output=True,
                              text=True)

    def popen(self, *args: str, raw: Path | None = None, faults: list[str] | None = None) -> subprocess.Popen:
        return subprocess.Popen(self.command(args, raw, faults), cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text())

    def current(self) -> str:
        return Path(os.readlink(self.folder / "current")).name

    def history(self) -> dict:
        index = json.loads((self.folder / "history" / "index.json").read_text())
        return {"vintages": index["vintages"], "withdrawn": index.get("withdrawn", {})}

    def runs(self) -> set[str]:
        return {p.name for p in (self.folder / "runs").iterdir()}

    def clone(self, directory: Path, build: Path) -> "Publication":
        """A copy of this publish folder (symlinks as symlinks, permissions kept) publishing
        a copy of the given build warehouse, with dbt's artefacts of this one's target
        folder: a publication of a warehouse as it is (--skip-build) reads the measure
        registry from them, and would otherwise run `dbt parse` (10-15 s) in every clone.
        The first publication of conftest.scenario_publications starts without them, so
        that route stays tested."""
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.folder, directory / "publish", symlinks=True)
        shutil.copyfile(build, directory / "build.duckdb")
        (directory / "target").mkdir(exist_ok=True)
        for artefact in ARTEFACTS:
            if (self.directory / "target" / artefact).is_file():
                shutil.copyfile(self.directory / "target" / artefact, directory / "target" / artefact)
        return Publication(directory)


@dataclass
class ScenarioPublications:
    """The scenario published twice (conftest.scenario_publications): A from the scenario's
    build, then B with the build run by make publish on the scenario with a late correction."""
    publication: Publication
    first: dict
    second: dict
    first_build: Path
    second_build: Path
    log: str


def changed_scenario(directory: Path) -> Path:
    """The hand-made scenario with a late correction: 5.5 more hours for P09 in September
    2022 (a quarter already published, within the incremental look-back window)."""
    raw = directory / "raw_corrected"
    shutil.copytree(SCENARIO, raw, dirs_exist_ok=True)
    with open(raw / "payroll.csv", "a") as handle:
        handle.write("P09,E091,W01,market,2022-09-01,5.50,unknown,regular,2018-01-01\n")
    return raw


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def publication_ids(folder: Path) -> dict[str, set[str]]:
    """The publication id every current file carries, read through the fixed paths."""
    ids = {}
    with duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True) as con:
        ids["BI file"] = {r[0] for r in con.execute("select publication_id from marts.publication_info").fetchall()}
    parquet = os.path.realpath(folder / "parquet" / "current")   # resolved once: one version
    with duckdb.connect() as con:
        ids["Parquet metadata"] = {bytes(r[0]).decode() for r in con.execute(
            f"select value from parquet_kv_metadata('{parquet}/*.parquet') where key = 'publication_id'").fetchall()}
        ids["Parquet publication_info"] = {r[0] for r in con.execute(
            f"select publication_id from read_parquet('{parquet}/publication_info.parquet')").fetchall()}
        figures = os.path.realpath(folder / "public" / "figures.parquet")
        ids["figures.parquet metadata"] = {bytes(r[0]).decode() for r in con.execute(
            f"select value from parquet_kv_metadata('{figures}') where key = 'publication_id'").fetchall()}
        ids["figures.parquet"] = {r[0] for r in con.execute(
            f"select distinct publication_id from read_parquet('{figures}')").fetchall()}
    with duckdb.connect(str(folder / "public" / "public.duckdb"), read_only=True) as con:
        ids["public.duckdb"] = {r[0] for r in con.execute(
            "select distinct publication_id from publication.figures").fetchall()}
    ids["manifest"] = {json.loads((folder / "manifest.json").read_text())["publication_id"]}
    ids["marts.sql"] = {line.split("runs/")[1].split("/")[0] for line in
                        (folder / "marts.sql").read_text().splitlines() if "read_parquet(" in line}
    return ids


def check_one_publication(publication: Publication) -> str:
    """What is current is one complete publication: `current` names a run with its COMPLETE
    mark, every fixed path resolves into it, every file carries its id, and every file
    is the one the manifest lists (md5). Returns its id."""
    folder = publication.folder
    current = publication.current()
    run = folder / "runs" / current
    assert (run / "COMPLETE").is_file(), f"current {current} is not complete"
    for link, inside in STABLE.items():
        assert (folder / link).is_symlink(), link
        assert os.path.realpath(folder / link) == os.path.realpath(run / inside), link
    ids = publication_ids(folder)
    assert all(found == {current} for found in ids.values()), ids
    manifest = json.loads((run / "manifest.json").read_text())
    files = {str(p.relative_to(run)) for p in run.rglob("*") if p.is_file()} - {"manifest.json", "COMPLETE"}
    assert set(manifest["files"]) == files
    assert all(md5(run / name) == digest for name, digest in manifest["files"].items())
    assert json.loads((run / "COMPLETE").read_text())["manifest_md5"] == md5(run / "manifest.json")
    return current


def check_history_private(folder: Path) -> None:
    """The history holds exact values: folders 0700, files 0600."""
    history = folder / "history"
    for path in [history, *history.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


def rows_digest(con, sql: str) -> str:
    return hashlib.md5(repr(con.execute(sql + " order by all").fetchall()).encode()).hexdigest()


def content(folder: Path, run: str) -> dict[str, str]:
    """Digests of what a publication holds, without its ids: every table of the BI file,
    every Parquet file, both public files. Two publications of the same figures agree."""
    run_folder = folder / "runs" / run
    digests = {}
    with duckdb.connect(str(run_folder / "warehouse.duckdb"), read_only=True) as con:
        for schema, table in con.execute("select table_schema, table_name from information_schema.tables "
                                         "order by all").fetchall():
            digests[f"bi:{schema}.{table}"] = rows_digest(con, f"select * exclude (publication_id) from "
                                                               f"{schema}.{table}" if table == "publication_info"
                                                          else f"select * from {schema}.{table}")
    with duckdb.connect() as con:
        for file in sorted((run_folder / "parquet").glob("*.parquet")):
            digests[f"parquet:{file.name}"] = rows_digest(
                con, f"select * {'exclude (publication_id)' if file.stem == 'publication_info' else ''} "
                     f"from read_parquet('{file}')")
        digests["figures.parquet"] = rows_digest(
            con, f"select * exclude (publication_id) from read_parquet('{run_folder / 'public' / 'figures.parquet'}')")
    with duckdb.connect(str(run_folder / "public" / "public.duckdb"), read_only=True) as con:
        digests["public.duckdb"] = rows_digest(con, "select * exclude (publication_id) from publication.figures")
    return digests


def vintage_digest(folder: Path, vintage: str) -> str:
    with duckdb.connect() as con:
        return rows_digest(con, f"select * from read_parquet('{folder / 'history' / vintage / 'cells.parquet'}')")


def duckdb1_python() -> str:
    """A Python with DuckDB 1.x (requirements-bi-reader.txt) in target/duckdb1-reader."""
    venv = ROOT / "target" / "duckdb1-reader"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r",
                        str(ROOT / "requirements-bi-reader.txt")], check=True)
    return str(python)
