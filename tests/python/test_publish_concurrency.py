"""Concurrency (marked `concurrency`; run alone with `pytest -m concurrency tests/python`):

* readers during a publication: while `make publish` republishes other figures, a
  reader connects read-only again and again through duckdb, SQLAlchemy (duckdb_engine,
  as Superset does) and the Parquet set. No read may fail, none may see a mix of two
  publications or an unbalanced one; both are seen; afterwards the new one is current;
* two publications started at the same time: the lock serializes them, both complete,
  the second names the first as its previous one, and the manifest matches the files;
* with --no-wait, a publish or rollback that finds the lock held stops at once, with a
  message, and changes nothing."""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from publishing import check_one_publication, md5

# a reader beside a running publication, several times: not in make test-fast
pytestmark = [pytest.mark.concurrency, pytest.mark.slow]


def test_readers_see_one_complete_version_at_a_time(scenario_publications, tmp_path):
    publication = scenario_publications.publication.clone(tmp_path, scenario_publications.first_build)
    old = publication.manifest()["publication_id"]
    stop, result = tmp_path / "stop", tmp_path / "reads.json"
    reader = subprocess.Popen([sys.executable, str(Path(__file__).with_name("concurrent_reader.py")),
                               str(publication.folder), str(stop), str(result)])
    time.sleep(2)  # some reads of the old version first
    started = time.perf_counter()
    second = publication.run("--skip-build")
    publish_seconds = time.perf_counter() - started
    time.sleep(2)  # and some of the new one
    stop.touch()
    reader.wait(timeout=120)
    assert second.returncode == 0, second.stderr[-3000:]
    new = publication.manifest()["publication_id"]
    reads = json.loads(result.read_text())
    print(f"\nconcurrency: {sum(reads['reads'].values())} reads {reads['reads']}, versions {reads['versions']}, "
          f"errors {len(reads['errors'])}, mixed {reads['mixed']}, unbalanced {reads['unbalanced']}; "
          f"publish took {publish_seconds:.1f} s")
    assert reads["errors"] == []
    assert reads["mixed"] == 0 and reads["unbalanced"] == 0
    assert reads["versions"].get(old, 0) >= 1 and reads["versions"].get(new, 0) >= 1
    assert set(reads["versions"]) == {old, new}
    assert all(count > 0 for count in reads["reads"].values())
    with duckdb.connect(str(publication.published), read_only=True) as con:
        assert con.execute("select publication_id from marts.publication_info").fetchone()[0] == new


def test_two_publications_at_once_are_serialized(scenario_publications, tmp_path):
    publication = scenario_publications.publication.clone(tmp_path, scenario_publications.first_build)
    before = publication.manifest()["publication_id"]
    started = time.perf_counter()
    runs = [publication.popen("--skip-build"), publication.popen("--skip-build")]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    seconds = time.perf_counter() - started
    assert [run.returncode for run in runs] == [0, 0], outputs
    ids = [next(line.split("publication ")[1].split(":")[0] for line in output.splitlines()
                if "] publication " in line) for output in outputs]
    waited = [("waiting: another publish or rollback is running" in output) for output in outputs]
    assert sorted(waited) == [False, True], outputs
    first, second = (ids[1], ids[0]) if waited[0] else (ids[0], ids[1])
    print(f"\ntwo publications at once: {first} then {second} (it waited), {seconds:.1f} s together")
    final = publication.manifest()
    assert final["publication_id"] == second and final["previous"] == first
    assert json.loads((publication.folder / "runs" / first / "manifest.json").read_text())["previous"] == before
    assert check_one_publication(publication) == second   # ids in every file, md5 of every file as listed
    assert publication.history()["vintages"][-2:] == [first, second]


def test_no_wait_stops_at_once_when_the_lock_is_held(scenario_publications, tmp_path):
    publication = scenario_publications.publication.clone(tmp_path, scenario_publications.second_build)
    before = {p: md5(p) for p in publication.folder.rglob("*") if p.is_file() and p.name != ".lock"}
    descriptor = os.open(publication.folder / ".lock", os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.pwrite(descriptor, b"publish by pid 4242 since 2024-01-01 00:00:00\n", 0)
        for args in (["--skip-build", "--no-wait"], ["--rollback", "--no-wait"]):
            stopped = publication.run(*args)
            assert stopped.returncode != 0
            assert "another publish or rollback is running (publish by pid 4242" in stopped.stderr
            assert "nothing was changed" in stopped.stderr
    finally:
        os.close(descriptor)
    assert {p: md5(p) for p in publication.folder.rglob("*") if p.is_file() and p.name != ".lock"} == before
