"""Readers during a publication (marked `concurrency`; run alone with
`pytest -m concurrency tests/python`): while `make publish` refreshes and republishes
on changed input, a reader connects read-only again and again through duckdb,
SQLAlchemy (duckdb_engine, as Superset does) and the Parquet set. No read may fail,
none may see a mix of two versions or an unbalanced one; both versions are seen;
afterwards the published file is the new version."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from publishing import SCENARIO, Publication, changed_scenario

pytestmark = pytest.mark.concurrency


def test_readers_see_one_complete_version_at_a_time(tmp_path):
    publication = Publication(tmp_path)
    first = publication.run(raw=SCENARIO)
    assert first.returncode == 0, first.stderr[-3000:]
    old_run = publication.manifest()["run_id"]
    stop, result = tmp_path / "stop", tmp_path / "reads.json"
    reader = subprocess.Popen([sys.executable, str(__import__("pathlib").Path(__file__).with_name(
        "concurrent_reader.py")), str(publication.folder), str(stop), str(result)])
    time.sleep(2)  # some reads of the old version first
    started = time.perf_counter()
    second = publication.run(raw=changed_scenario(tmp_path))
    publish_seconds = time.perf_counter() - started
    time.sleep(2)  # and some of the new one
    stop.touch()
    reader.wait(timeout=120)
    assert second.returncode == 0, second.stderr[-3000:]
    new_run = publication.manifest()["run_id"]
    reads = json.loads(result.read_text())
    print(f"\nconcurrency: {sum(reads['reads'].values())} reads {reads['reads']}, versions {reads['versions']}, "
          f"errors {len(reads['errors'])}, mixed {reads['mixed']}, unbalanced {reads['unbalanced']}; "
          f"publish took {publish_seconds:.1f} s")
    assert reads["errors"] == []
    assert reads["mixed"] == 0 and reads["unbalanced"] == 0
    assert reads["versions"].get(old_run, 0) >= 1 and reads["versions"].get(new_run, 0) >= 1
    assert set(reads["versions"]) == {old_run, new_run}
    assert all(count > 0 for count in reads["reads"].values())
    import duckdb
    with duckdb.connect(str(publication.published), read_only=True) as con:
        assert con.execute("select run_id from marts.publication_info").fetchone()[0] == new_run
