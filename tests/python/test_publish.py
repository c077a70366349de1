"""make publish / make rollback (banenafspraak.publication): what is published, how it is
switched, what readers can open, and that a failed publication changes nothing.
Faults (kill -9 at every step) and concurrent publishes: test_publish_faults.py and
test_publish_concurrency.py."""
from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime, timezone

import duckdb
import pytest
import sqlalchemy
from sqlalchemy.pool import NullPool

from conftest import DBT, ROOT
from publishing import SCENARIO, check_history_private, check_one_publication, duckdb1_python, md5

pytestmark = pytest.mark.slow  # two publications of the scenario and failed ones: not in make test-fast

ALLOWED = {("marts", None), ("audit", "reconciliation"), ("audit", "run_log")}


@pytest.fixture(scope="module")
def twice(scenario_publications):
    """Published twice: the scenario, then the scenario with a late correction (shared, read only)."""
    return scenario_publications.publication, scenario_publications.first, scenario_publications.second


def test_only_public_relations_are_published(twice):
    publication, _, _ = twice
    with duckdb.connect(str(publication.published), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    assert tables and all((schema, None) in ALLOWED or (schema, name) in ALLOWED for schema, name in tables), tables
    assert ("marts", "publication_info") in tables and ("marts", "fct_register_flows_quarter") in tables


def test_each_publication_in_its_own_folder_behind_one_switch(twice):
    publication, first, second = twice
    assert first["publication_id"] != second["publication_id"] and first["run_id"] != second["run_id"]
    assert check_one_publication(publication) == second["publication_id"]
    assert second["previous"] == first["publication_id"] and first["previous"] is None
    # the previous publication is kept whole, for make rollback
    with duckdb.connect(str(publication.folder / "runs" / first["publication_id"] / "warehouse.duckdb"),
                        read_only=True) as con:
        assert con.execute("select run_id, publication_id from marts.publication_info").fetchall() == \
            [(first["run_id"], first["publication_id"])]
    with duckdb.connect(str(publication.published), read_only=True) as con:
        assert con.execute("select run_id from marts.publication_info").fetchall() == [(second["run_id"],)]
    assert (publication.folder / "current").is_symlink()
    assert not (publication.folder / "warehouse.previous.duckdb").exists()


def test_publication_ids_are_unique_for_one_dbt_run(twice, tmp_path, scenario_publications):
    """Two publications of the same dbt run (--skip-build twice) get folders of their own."""
    publication = scenario_publications.publication.clone(tmp_path, scenario_publications.second_build)
    again = publication.run("--skip-build")
    assert again.returncode == 0, again.stderr[-3000:]
    _, _, second = twice
    third = publication.manifest()
    assert third["run_id"] == second["run_id"] and third["publication_id"] != second["publication_id"]
    assert second["run_id"].replace("-", "")[:8] in third["publication_id"]
    assert check_one_publication(publication) == third["publication_id"] and third["previous"] == \
        second["publication_id"]
    assert publication.history()["vintages"][-1] == third["publication_id"]


def test_a_publication_id_taken_in_the_same_second_is_numbered_on(tmp_path, monkeypatch):
    from banenafspraak.publication.layout import Layout
    from banenafspraak.publication import run as publication_run

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

    monkeypatch.setattr(publication_run, "datetime", Frozen)
    monkeypatch.setenv("PUBLISH_PATH", str(tmp_path / "publish" / "warehouse.duckdb"))
    layout = Layout()
    layout.runs.mkdir(parents=True)
    run_id = "0a1b2c3d-aaaa-bbbb-cccc-000000000000"
    assert publication_run.new_publication_id(layout, run_id) == "20240102T030405Z-0a1b2c3d"
    (layout.runs / "20240102T030405Z-0a1b2c3d").mkdir()
    assert publication_run.new_publication_id(layout, run_id) == "20240102T030405Z-0a1b2c3d-2"
    (layout.history / "20240102T030405Z-0a1b2c3d-2").mkdir(parents=True)   # a vintage of that name
    assert publication_run.new_publication_id(layout, run_id) == "20240102T030405Z-0a1b2c3d-3"


def test_manifest_and_revision_report(twice):
    publication, first, second = twice
    assert second["quarters"] == {"first": "2022Q1", "last": "2022Q4", "provisional": "2022Q4"}
    assert {i["table"] for i in second["inputs"]} == {"persons", "residences", "register_spells", "payroll",
                                                        "sheltered_work_requests"}
    assert all(len(i["md5"]) == 32 for i in second["inputs"])
    assert second["row_counts"]["marts.fct_register_quarter"] == 41
    assert second["dbt_version"].startswith("1.11") and second["storage_version"] == "v1.0.0"
    # the correction (5.5 hours for P09 in September 2022) revises 2022Q3 of UNKNOWN/wajong
    report = (publication.folder / "revisions.md").read_text()
    assert report == (publication.folder / "runs" / second["publication_id"] / "revisions.md").read_text()
    assert "2022Q4 is provisional" in report
    assert "fct_register_quarter 2022Q3 UNKNOWN wajong paid_hours: 90.0000 → 95.5000 (+5.5)" in report
    assert first["revisions"]["changed_cells"] == 0


def test_views_over_the_publications_parquet(twice):
    publication, _, second = twice
    views = (publication.folder / "marts.sql").read_text()
    proc = subprocess.run([sys.executable, "-c", (
        "import duckdb; con = duckdb.connect(); con.execute(open('marts.sql').read());"
        "print(con.execute('select count(*), sum(persons_registered) from marts.fct_register_quarter').fetchone());"
        "print(con.execute('select publication_id from marts.publication_info').fetchone()[0])")],
        cwd=publication.folder, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:2] == ["(41, 63)", second["publication_id"]]
    assert f"read_parquet('runs/{second['publication_id']}/parquet/" in views


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
        "print(con.execute('select publication_id from marts.publication_info').fetchone()[0])")],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    version, figures, publication_id = proc.stdout.strip().split("\n")
    assert version.startswith("1.")
    with duckdb.connect(str(publication.published), read_only=True) as con:
        expected = con.execute("select sum(persons_registered), sum(jobs) from marts.fct_register_quarter").fetchone()
    assert figures == str(expected) and publication_id == second["publication_id"]


def test_the_history_is_owner_only_and_the_runs_hold_no_exact_values(twice):
    publication, first, second = twice
    check_history_private(publication.folder)
    assert publication.history()["vintages"] == [first["publication_id"], second["publication_id"]]
    with duckdb.connect() as con:
        for run in publication.runs():
            for file in (publication.folder / "runs" / run).rglob("*"):
                if file.suffix == ".parquet":
                    columns = {r[0] for r in con.execute(f"describe select * from read_parquet('{file}')").fetchall()}
                elif file.suffix == ".duckdb":
                    with duckdb.connect(str(file), read_only=True) as bi:
                        columns = {r[0] for r in bi.execute("select column_name from information_schema.columns")
                                   .fetchall()}
                else:
                    continue
                assert "exact_value" not in columns and "suppression" not in columns, file


def snapshot(folder) -> dict:
    """Every file under the publish folder (through no symlink) and every symlink's target,
    but the lock file, whose text names the last process that held it."""
    files = {}
    for path in folder.rglob("*"):
        if path.is_symlink():
            files[path] = "-> " + str(path.readlink())
        elif path.is_file() and path.name != ".lock":
            files[path] = md5(path)
    return files


def test_a_failed_publication_changes_nothing(scenario_publications, tmp_path):
    publication = scenario_publications.publication.clone(tmp_path, scenario_publications.second_build)
    before = snapshot(publication.folder)
    failed = publication.run("--vars", '{"paid_hours_per_job_month": 0, "raw_path": "%s", "raw_format": "csv"}'
                             % SCENARIO)
    assert failed.returncode != 0
    assert "FAILED" in failed.stderr and "nothing was published" in failed.stderr
    assert snapshot(publication.folder) == before


def test_rollback_goes_back_one_step_and_withdraws(scenario_publications, tmp_path):
    publication = scenario_publications.publication.clone(tmp_path, scenario_publications.second_build)
    first, second = scenario_publications.first, scenario_publications.second
    rolled = publication.run("--rollback")
    assert rolled.returncode == 0, rolled.stderr
    assert check_one_publication(publication) == first["publication_id"]
    assert publication.manifest() == first
    assert md5(publication.published) == first["files"]["warehouse.duckdb"]
    # the withdrawn publication: its run folder gone, its vintage kept and marked
    assert second["publication_id"] not in publication.runs()
    history = publication.history()
    assert history["vintages"] == [first["publication_id"], second["publication_id"]]
    assert history["withdrawn"][second["publication_id"]]["back_to"] == first["publication_id"]
    check_history_private(publication.folder)
    again = publication.run("--rollback")
    assert again.returncode != 0 and "nothing to go back to" in again.stderr
    assert check_one_publication(publication) == first["publication_id"]
    # a publication after the rollback builds on the first; the withdrawn one never comes back
    published = publication.run("--skip-build")
    assert published.returncode == 0, published.stderr[-3000:]
    third = publication.manifest()
    assert third["previous"] == first["publication_id"]
    assert "earlier vintages: 2" in published.stderr and f"withdrawn: {second['publication_id']}" in published.stderr
    assert publication.run("--rollback").returncode == 0
    assert check_one_publication(publication) == first["publication_id"]
    assert set(publication.history()["withdrawn"]) == {second["publication_id"], third["publication_id"]}


def test_every_public_cell_says_what_it_is(scenario_publications):
    """published = a value; suppressed = no value and `.`; not_applicable = no value and a
    blank symbol, on exactly the cells whose figure cannot exist (the exact value is NULL,
    nothing hidden behind it): e.g. the changes of the first quarter. The BI query of
    docs/disclosure.md runs on the public file and shows a symbol wherever there is no value."""
    folder = scenario_publications.publication.folder
    with duckdb.connect(str(folder / "public" / "public.duckdb"), read_only=True) as con:
        counts = dict(con.execute("select status, count(*) from publication.figures group by all").fetchall())
        assert set(counts) == {"published", "suppressed", "not_applicable"}, counts
        assert con.execute("""
            select status, value is null, symbol, count(*) from publication.figures group by all order by all
        """).fetchall() == [("not_applicable", True, "", counts["not_applicable"]),
                            ("published", False, None, counts["published"]),
                            ("suppressed", True, ".", counts["suppressed"])]
        first = con.execute("select min(period) from publication.figures where period_type = 'quarter'").fetchone()[0]
        changes = {status for (status,) in con.execute(
            "select distinct status from publication.figures where period = ? and measure like '%change%'",
            [first]).fetchall()}
        # no change without a previous quarter; hidden where a figure it is made of is hidden
        assert "not_applicable" in changes and changes <= {"not_applicable", "suppressed"}, changes
        # the docs' queries on the public file: the figures with their labels, and the symbols
        blocks = [block.split("```", 1)[0] for block in
                  (ROOT / "docs" / "disclosure.md").read_text().split("```sql public\n")[1:]]
        assert len(blocks) == 2
        labelled = con.execute(blocks[0].replace(";", "")).fetchall()
        assert labelled and all(row[2] for row in labelled)
        shown = con.execute(blocks[1].replace(";", "")).fetchall()
        assert shown and all(row[2] is not None for row in shown)
        assert {row[3] for row in shown} >= {"published"}
    # not_applicable exactly where the exact figure is NULL and the cell is not hidden
    with duckdb.connect(str(scenario_publications.second_build), read_only=True) as con:
        assert con.execute("""
            select count(*) from publication.figures as f
            inner join audit.disclosure_cells as d
                using (period_type, period, region_code, target_group, breakdown, measure)
            where (f.status = 'not_applicable') <> (d.exact_value is null and d.suppression = 'none')
        """).fetchone() == (0,)


def test_every_small_cell_has_the_interval_the_protection_proved(scenario_publications):
    """audit.disclosure_cells gives auditors, for every primary count and amount (the
    second vintage's build), the interval the protection proved from what is published:
    at least 10 wide (before 2026-12-05 only the cells of the last audit round had one)."""
    for build in (scenario_publications.second_build,):
        with duckdb.connect(str(build), read_only=True) as con:
            total, missing, narrow = con.execute("""
                select count(*), count(*) filter (where proven_lower is null),
                       count(*) filter (where coalesce(proven_upper, 1e9) - proven_lower < 10 - 1e-6)
                from audit.disclosure_cells
                where suppression = 'primary' and value_kind in ('count', 'amount')
            """).fetchone()
        assert total > 0 and missing == 0 and narrow == 0, (build, total, missing, narrow)


def test_the_public_figures_are_tested_after_protection(scenario_publications, tmp_path):
    """make publish runs the after_publish data tests (publication.figures and
    audit.disclosure_cells, declared as dbt sources) once protect has written them, and
    those tests fail on broken tables: a status that is no status, a cell written twice."""
    import os
    log = scenario_publications.log
    assert "step test_public" in log and "tests on the public figures passed" in log
    broken = tmp_path / "broken.duckdb"
    shutil.copyfile(scenario_publications.second_build, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute("update publication.figures set status = 'hidden' "
                    "where rowid = (select min(rowid) from publication.figures)")
        con.execute("insert into audit.disclosure_cells select * from audit.disclosure_cells limit 1")
        # a published cell without a value (not_applicable is the status for that)
        con.execute("update publication.figures set value = null where rowid = (select max(rowid) "
                    "from publication.figures where status = 'published')")
    env = {**os.environ, "WAREHOUSE_PATH": str(broken), "DBT_PROFILES_DIR": str(ROOT),
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}
    run = subprocess.run([DBT, "test", "--select", "tag:after_publish", "--vars", "{test_public_figures: true}"],
                         cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0
    failures = {line.split("Failure in test ", 1)[1].split(" ")[0]
                for line in run.stdout.splitlines() if "Failure in test " in line}
    assert failures == {
        "source_accepted_values_publication_figures_status__published__suppressed__not_applicable",
        "public_figures_status_matches_value_and_symbol",
        "source_unique_combination_of_columns_disclosure_audit_disclosure_cells_period_type__period__region_code"
        "__target_group__breakdown__measure"}, run.stdout[-3000:]
