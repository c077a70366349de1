"""kill -9 during a publication and during a rollback, at every step boundary.

publish_with_faults.py runs scripts/publish.py with its step function wrapped: at the
N-th step boundary the process sends itself SIGKILL (no cleanup, no finally, the lock
released by the kernel). Start: a copy of the scenario published twice (A, then B
current). The publication killed is a third one, C, of the scenario's first build
(other figures than B: the correction is undone). After each kill:

* what is current is one complete publication: B when the kill came before the switch,
  C after it; every fixed path resolves into it, and the BI file, the Parquet files'
  metadata and publication_info, both public files, the views and the manifest carry
  its id, every file matches the manifest's md5;
* every vintage that was ever current is in the history (A, B, and C once current);
  C's vintage is there once its record step ran; the history is owner-only;
* what is published and recorded equals a clean publication of C (digests of every
  table and file, ids aside);
* a following publication works (reporting and removing an incomplete run), equals the
  clean one, and a rollback after it goes back to what was current after the kill.

Rollback killed at each step: what is current is A or B, whole; B's vintage is never
lost; running it again (or a publish, whose recovery finishes an interrupted rollback)
ends with A current and B withdrawn.
"""
from __future__ import annotations

import re
import time

import pytest

from publishing import (Publication, check_history_private, check_one_publication, content, vintage_digest)

pytestmark = pytest.mark.slow  # a publication killed at every step: not in make test-fast

PUBLISH_STEPS = ["lock", "recover", "protect", "audit", "write_run", "sync", "mark_complete", "record_vintage",
                 "switch", "link", "prune", "done"]
ROLLBACK_STEPS = ["lock", "recover", "withdraw", "switch", "prune", "done"]
TIMES: dict[str, float] = {}


def steps_in(log: str) -> list[str]:
    return re.findall(r"\] step (\w+):", log)


def publication_in(log: str) -> str | None:
    found = re.search(r"\] publication (\S+): dbt run", log)
    return found.group(1) if found else None


class Start:
    """A, B published (B current) and a clean publication C of the first build on top."""

    def __init__(self, shared, directory) -> None:
        self.shared = shared
        self.a, self.b = shared.first["publication_id"], shared.second["publication_id"]
        clean = self.clone(directory / "clean")
        started = time.perf_counter()
        run = clean.run("--skip-build")
        TIMES["clean publication"] = time.perf_counter() - started
        assert run.returncode == 0, run.stderr[-3000:]
        assert steps_in(run.stderr) == PUBLISH_STEPS
        c = check_one_publication(clean)
        self.content = content(clean.folder, c)
        self.vintage = vintage_digest(clean.folder, c)
        self.b_content = content(clean.folder, self.b)
        self.earlier = {vintage_digest(clean.folder, v) for v in (self.a, self.b)}
        assert self.content != self.b_content     # C's figures differ from B's: a mix would show

    def clone(self, directory) -> Publication:
        return self.shared.publication.clone(directory, self.shared.first_build)


@pytest.fixture(scope="module")
def start(scenario_publications, tmp_path_factory):
    return Start(scenario_publications, tmp_path_factory.mktemp("faults"))


def kill(publication: Publication, number: int, *args: str):
    killed = publication.run(*args, faults=["--kill-at", str(number)])
    assert killed.returncode == -9, killed.stderr[-3000:]
    return killed


@pytest.mark.parametrize("number,name", list(enumerate(PUBLISH_STEPS, 1)), ids=PUBLISH_STEPS)
def test_publish_killed_at_a_step(start, tmp_path, number, name):
    started = time.perf_counter()
    publication = start.clone(tmp_path)
    killed = kill(publication, number, "--skip-build")
    assert f"kill -9 at step {number} ({name})" in killed.stderr
    c = publication_in(killed.stderr)
    switched = number > PUBLISH_STEPS.index("switch") + 1
    recorded = number > PUBLISH_STEPS.index("record_vintage") + 1
    # one complete publication is current: B before the switch, C after it
    current = check_one_publication(publication)
    assert current == (c if switched else start.b)
    assert content(publication.folder, current) == (start.content if switched else start.b_content)
    # every vintage ever current is in the history; C's once recorded; nothing recorded differs
    history = publication.history()
    assert history["vintages"][:2] == [start.a, start.b] and not history["withdrawn"]
    assert (c in history["vintages"]) == recorded
    if recorded:
        assert vintage_digest(publication.folder, c) == start.vintage
    check_history_private(publication.folder)
    incomplete = c is not None and (publication.folder / "runs" / c).exists() and \
        not (publication.folder / "runs" / c / "COMPLETE").exists()
    assert incomplete == (name in ("sync", "mark_complete"))
    # a following publication works and equals the clean one
    following = publication.run("--skip-build")
    assert following.returncode == 0, following.stderr[-3000:]
    assert ("is an incomplete publication" in following.stderr) == incomplete
    d = check_one_publication(publication)
    assert d != current and publication.manifest()["previous"] == current
    assert content(publication.folder, d) == start.content
    assert vintage_digest(publication.folder, d) == start.vintage
    assert c is None or c == current or c not in publication.runs()   # never-current runs do not stay
    # then a rollback goes back to what was current after the kill
    rolled = publication.run("--rollback")
    assert rolled.returncode == 0, rolled.stderr[-3000:]
    assert check_one_publication(publication) == current
    history = publication.history()
    assert set(history["withdrawn"]) == {d} and {start.a, start.b, d} <= set(history["vintages"])
    assert all(vintage_digest(publication.folder, v) in start.earlier | {start.vintage}
               for v in history["vintages"])
    TIMES[f"publish killed at {name}"] = time.perf_counter() - started


@pytest.mark.parametrize("number,name", list(enumerate(ROLLBACK_STEPS, 1)), ids=ROLLBACK_STEPS)
def test_rollback_killed_at_a_step(start, tmp_path, number, name):
    started = time.perf_counter()
    publication = start.clone(tmp_path)
    killed = kill(publication, number, "--rollback")
    assert f"kill -9 at step {number} ({name})" in killed.stderr
    switched = number > ROLLBACK_STEPS.index("switch") + 1
    marked = number > ROLLBACK_STEPS.index("withdraw") + 1
    assert check_one_publication(publication) == (start.a if switched else start.b)
    history = publication.history()
    assert history["vintages"] == [start.a, start.b]          # never deleted
    assert (start.b in history["withdrawn"]) == marked
    check_history_private(publication.folder)
    if name == "switch":
        # withdrawn but still current: the next command (here a publication) finishes the rollback first
        after = publication.run("--skip-build")
        assert after.returncode == 0, after.stderr[-3000:]
        assert "a rollback of" in after.stderr and "finishing it" in after.stderr
        assert publication.manifest()["previous"] == start.a
        assert content(publication.folder, check_one_publication(publication)) == start.content
        assert publication.run("--rollback").returncode == 0
    else:
        again = publication.run("--rollback")
        if switched:   # it was done: there is nothing further back than A
            assert again.returncode != 0 and "nothing to go back to" in again.stderr
        else:
            assert again.returncode == 0, again.stderr[-3000:]
    assert check_one_publication(publication) == start.a
    history = publication.history()
    assert start.b in history["withdrawn"] and start.b in history["vintages"]
    assert start.b not in publication.runs()
    TIMES[f"rollback killed at {name}"] = time.perf_counter() - started


def test_wall_time(start):
    """Not a check: the time each fault case took (pytest -s shows it)."""
    print("\n" + "\n".join(f"{name}: {seconds:.1f} s" for name, seconds in TIMES.items())
          + f"\ntotal: {sum(TIMES.values()):.1f} s")
