"""make publish / make rollback (scripts/publish.py): what is published, how it is
switched, what readers can open, and that a failed publication changes nothing."""
from __future__ import annotations

import hashlib
import subprocess
import sys

import duckdb
import pytest
import sqlalchemy
from sqlalchemy.pool import NullPool

from publishing import SCENARIO, Publication, changed_scenario, duckdb1_python

ALLOWED = {("marts", None), ("audit", "reconciliation"), ("audit", "run_log")}


def md5(path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    """Published twice: the scenario, then the scenario with a late correction."""
    directory = tmp_path_factory.mktemp("publish")
    publication = Publication(directory)
    first = publication.run(raw=SCENARIO)
    assert first.returncode == 0, first.stderr[-4000:]
    first_manifest = publication.manifest()
    second = publication.run(raw=changed_scenario(directory))
    assert second.returncode == 0, second.stderr[-4000:]
    return publication, first_manifest, publication.manifest()


def test_only_public_relations_are_published(twice):
    publication, _, _ = twice
    with duckdb.connect(str(publication.published), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    assert tables and all((schema, None) in ALLOWED or (schema, name) in ALLOWED for schema, name in tables), tables
    assert ("marts", "publication_info") in tables and ("marts", "fct_register_flows_quarter") in tables


def test_switch_keeps_the_previous_version_and_one_run_id_per_version(twice):
    publication, first, second = twice
    assert first["run_id"] != second["run_id"]
    with duckdb.connect(str(publication.published), read_only=True) as con:
        assert con.execute("select run_id from marts.publication_info").fetchall() == [(second["run_id"],)]
    previous = publication.folder / "warehouse.previous.duckdb"
    with duckdb.connect(str(previous), read_only=True) as con:
        assert con.execute("select run_id from marts.publication_info").fetchall() == [(first["run_id"],)]
    current = publication.folder / "parquet" / "current"
    assert current.is_symlink() and current.resolve().name == second["run_id"]
    assert second["previous_parquet"] == first["run_id"]
    with duckdb.connect() as con:
        run_ids = con.execute(f"select distinct value from parquet_kv_metadata('{current}/*.parquet')"
                              " where key = 'run_id'").fetchall()
    assert [r[0].decode() if isinstance(r[0], bytes) else r[0] for r in run_ids] == [second["run_id"]]


def test_manifest_and_revision_report(twice):
    publication, first, second = twice
    assert second["quarters"] == {"first": "2022Q1", "last": "2022Q4", "provisional": "2022Q4"}
    assert {i["table"] for i in second["inputs"]} == {"persons", "residences", "register_spells", "payroll",
                                                        "sheltered_work_requests"}
    assert all(len(i["md5"]) == 32 for i in second["inputs"])
    assert second["row_counts"]["marts.fct_register_quarter"] == 41
    assert second["dbt_version"].startswith("1.11") and second["storage_version"] == "v1.0.0"
    # the correction (5.5 hours for P09 in September 2022) revises 2022Q3 of UNKNOWN/wajong
    report = (publication.folder / "revisions" / f"{second['run_id']}.md").read_text()
    assert "2022Q4 is provisional" in report
    assert "fct_register_quarter 2022Q3 UNKNOWN wajong paid_hours: 90.0000 → 95.5000 (+5.5)" in report
    assert first["revisions"]["changed_cells"] == 0


def test_views_over_current_parquet(twice):
    publication, _, second = twice
    views = (publication.folder / "marts.sql").read_text()
    proc = subprocess.run([sys.executable, "-c", (
        "import duckdb; con = duckdb.connect(); con.execute(open('marts.sql').read());"
        "print(con.execute('select count(*), sum(persons_registered) from marts.fct_register_quarter').fetchone());"
        "print(con.execute('select run_id from marts.publication_info').fetchone()[0])")],
        cwd=publication.folder, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["(41, 63)", second["run_id"]]
    assert "read_parquet('parquet/current/" in views


def test_read_only_connections_python_and_sqlalchemy(twice):
    publication, _, _ = twice
    with duckdb.connect(str(publication.published), read_only=True) as con:
        python = con.execute("select sum(persons_registered) from marts.fct_register_quarter").fetchone()[0]
    engine = sqlalchemy.create_engine(f"duckdb:///{publication.published}", connect_args={"read_only": True},
                                      poolclass=NullPool)
    with engine.connect() as connection:
        through_sqlalchemy = connection.execute(
            sqlalchemy.text("select sum(persons_registered) from marts.fct_register_quarter")).scalar()
    assert python == through_sqlalchemy == 16 + 17 + 15 + 15


def test_a_duckdb_1x_reader_opens_the_published_file(twice):
    publication, _, second = twice
    proc = subprocess.run([duckdb1_python(), "-c", (
        "import duckdb, sys; print(duckdb.__version__);"
        f"con = duckdb.connect('{publication.published}', read_only=True);"
        "print(con.execute('select sum(persons_registered), sum(jobs) from marts.fct_register_quarter').fetchone());"
        "print(con.execute('select run_id from marts.publication_info').fetchone()[0])")],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    version, figures, run_id = proc.stdout.strip().split("\n")
    assert version.startswith("1.")
    with duckdb.connect(str(publication.published), read_only=True) as con:
        expected = con.execute("select sum(persons_registered), sum(jobs) from marts.fct_register_quarter").fetchone()
    assert figures == str(expected) and run_id == second["run_id"]


def test_a_failed_publication_changes_nothing(twice):
    publication, _, second = twice
    before = {path: md5(path) for path in publication.folder.rglob("*") if path.is_file()}
    current = (publication.folder / "parquet" / "current").resolve()
    failed = publication.run("--vars", '{"paid_hours_per_job_month": 0, "raw_path": "%s", "raw_format": "csv"}'
                             % SCENARIO)
    assert failed.returncode != 0
    assert "FAILED" in failed.stderr and "nothing was published" in failed.stderr
    after = {path: md5(path) for path in publication.folder.rglob("*") if path.is_file()}
    assert after == before
    assert (publication.folder / "parquet" / "current").resolve() == current


def test_rollback_brings_back_the_previous_publication(tmp_path):
    publication = Publication(tmp_path)
    assert publication.run(raw=SCENARIO).returncode == 0
    first = publication.manifest()
    first_md5 = md5(publication.published)
    assert publication.run(raw=changed_scenario(tmp_path)).returncode == 0
    second = publication.manifest()
    rolled = publication.run("--rollback")
    assert rolled.returncode == 0, rolled.stderr
    assert publication.manifest()["run_id"] == first["run_id"]
    assert md5(publication.published) == first_md5
    assert (publication.folder / "parquet" / "current").resolve().name == first["run_id"]
    assert not (publication.folder / "parquet" / second["run_id"]).exists()
    assert publication.run("--rollback").returncode != 0  # nothing further back
