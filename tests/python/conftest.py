"""Shared helpers for the pytest suite: run dbt on a throw-away warehouse and read it back.

Every dbt invocation gets its own DuckDB file and target directory under pytest's
tmp_path, so tests never touch the developer's warehouse.duckdb or each other.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
DBT = str(Path(sys.executable).with_name("dbt"))


@dataclass
class DbtRun:
    """The outcome of one dbt invocation."""

    returncode: int
    output: str
    results: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def status_of(self, name_part: str) -> list[tuple[str, str]]:
        """(unique_id, status) of the nodes whose unique_id contains name_part."""
        return [(r["unique_id"], r["status"]) for r in self.results if name_part in r["unique_id"]]

    def failed(self) -> list[str]:
        return [r["unique_id"] for r in self.results if r["status"] in ("fail", "error")]


# dbt's parse of this project takes 11-15 s, and dbt redoes it whenever the target folder
# has no partial_parse.msgpack or the profile's connection (the warehouse's path) or the
# --vars differ from the saved parse. So every Warehouse gives dbt the same relative path
# (warehouse.duckdb, dbt run from the warehouse's folder), and its first invocation starts
# from the saved parse of an earlier invocation with the same vars and environment, kept
# here. dbt itself checks that the saved parse still fits (vars, profile, every file's
# checksum, env vars) and parses again where not: a stale file costs time, never a wrong
# manifest. The controlling process empties the folder at the start of a run.
PARSE_CACHE = ROOT / "target" / "test-parse-cache"


class Warehouse:
    """A warehouse file of its own, built and tested with dbt through subprocesses."""

    def __init__(self, directory: Path, dbt_vars: dict | None = None) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "warehouse.duckdb"
        self.target = directory / "target"
        self.vars = dict(dbt_vars or {})

    def dbt(self, *args: str, extra_vars: dict | None = None, env: dict | None = None) -> DbtRun:
        all_vars = {**self.vars, **(extra_vars or {})}
        command = [DBT, *args, "--target-path", str(self.target), "--log-path", str(self.target / "logs")]
        if all_vars:
            command += ["--vars", json.dumps(all_vars)]
        run_env = {
            **os.environ,
            "WAREHOUSE_PATH": self.path.name,  # relative to the working directory: see PARSE_CACHE
            "DBT_PROJECT_DIR": str(ROOT),
            "DBT_PROFILES_DIR": str(ROOT),
            "DBT_TARGET": "ci",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            **(env or {}),
        }
        key = hashlib.sha256(json.dumps([all_vars, env or {}], sort_keys=True).encode()).hexdigest()[:16]
        cached, saved = PARSE_CACHE / f"{key}.msgpack", self.target / "partial_parse.msgpack"
        if not saved.exists() and cached.exists():
            self.target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, saved)
        proc = subprocess.run(command, cwd=self.directory, env=run_env, capture_output=True, text=True)
        if saved.exists() and (not cached.exists() or saved.stat().st_size != cached.stat().st_size
                               or saved.read_bytes() != cached.read_bytes()):
            PARSE_CACHE.mkdir(parents=True, exist_ok=True)
            partial = PARSE_CACHE / f"{key}.{os.getpid()}.tmp"
            shutil.copyfile(saved, partial)
            os.replace(partial, cached)  # atomic: the other worker reads a whole file or none
        results_file = self.target / "run_results.json"
        results = []
        if results_file.exists():
            # hooks (on-run-start) report as "operation." nodes: keep models, seeds and tests
            results = [r for r in json.loads(results_file.read_text()).get("results", [])
                       if not r["unique_id"].startswith("operation.")]
            results_file.unlink()  # never read a previous invocation's results
        return DbtRun(proc.returncode, proc.stdout + proc.stderr, results)

    def build(self, *args: str, **kwargs) -> DbtRun:
        return self.dbt("build", *args, **kwargs)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql).fetchall()

    def query_dicts(self, sql: str) -> list[dict]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def execute(self, sql: str) -> None:
        with duckdb.connect(str(self.path)) as con:
            con.execute(sql)

    def copy_to(self, directory: Path) -> "Warehouse":
        """A copy of this built warehouse (same vars) to corrupt without harm."""
        other = Warehouse(directory, self.vars)
        shutil.copyfile(self.path, other.path)
        return other


# Lines for the end of the run (the mutation score, the fuzz outcomes): tests write them
# as files here, so they reach the summary also when pytest-xdist runs the tests in
# worker processes (make test); the controlling process empties the folder at the start.
SUMMARY = ROOT / "target" / "test-summary"


def summary_line(key: str, text: str) -> None:
    SUMMARY.mkdir(parents=True, exist_ok=True)
    (SUMMARY / f"{key}.txt").write_text(text)


# When each test file ran on which worker (make test's CI budget is wall time): every test
# appends its start and end here; the end of the run prints each worker's files in order.
TIMELINE = ROOT / "target" / "test-timeline"


def pytest_sessionstart(session) -> None:
    if not hasattr(session.config, "workerinput"):  # the controller, or a run without workers
        shutil.rmtree(SUMMARY, ignore_errors=True)
        shutil.rmtree(TIMELINE, ignore_errors=True)
        shutil.rmtree(PARSE_CACHE, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started = time.time()
    yield
    TIMELINE.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(TIMELINE / f"{worker}.jsonl", "a") as handle:
        handle.write(json.dumps({"file": item.path.name, "start": started, "end": time.time()}) + "\n")


def timeline() -> list[str]:
    """Each worker's test files in the order they ran: minute of start, minutes taken."""
    spans: dict[tuple[str, str], list[float]] = {}
    for path in sorted(TIMELINE.glob("*.jsonl")) if TIMELINE.exists() else []:
        for line in path.read_text().splitlines():
            entry = json.loads(line)
            span = spans.setdefault((path.stem, entry["file"]), [entry["start"], entry["end"]])
            span[0], span[1] = min(span[0], entry["start"]), max(span[1], entry["end"])
    if not spans:
        return []
    zero = min(start for start, _ in spans.values())
    return [f"{worker} {(start - zero) / 60:5.1f} min +{(end - start) / 60:5.1f} min  {name}"
            for (worker, name), (start, end) in sorted(spans.items(), key=lambda kv: (kv[0][0], kv[1][0]))]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print the lines tests left for the end (mutation score, fuzz outcomes) and the
    timeline of the test files."""
    for line in sorted(SUMMARY.glob("*.txt")) if SUMMARY.exists() else []:
        terminalreporter.write_sep("-", line.read_text())
    lines = timeline()
    if lines:
        terminalreporter.write_sep("-", "test files per worker (start, duration)")
        terminalreporter.write_line("\n".join(lines))


# The longest test files first, longest first (as the timeline above measured them in a
# full run). make test runs `pytest -n 2 --dist loadfile --no-loadscope-reorder`: a file
# runs whole on one worker, and the files are handed out in collection order (without the
# flag pytest-xdist hands out the files with the most tests first, and the two Spark files,
# with few tests, ran last). Started first, the longest files run beside the rest instead
# of alone at the end.
LONGEST_FIRST = ["test_publish_faults.py", "test_spark_scenarios.py", "test_incremental.py", "test_spark_equivalence.py",
                 "test_reports.py", "test_raw_inputs.py", "test_typed_inputs.py", "test_audit_trace.py",
                 "test_bad_inputs.py", "test_fuzz_raw_inputs.py", "test_disclosure.py",
                 "test_balance_checks_catch_faults.py", "test_run_log.py", "test_idempotency.py", "test_publish.py",
                 "test_durability_checks.py", "test_reference_inputs.py"]


def pytest_collection_modifyitems(session, config, items) -> None:
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))   # stable: files keep their order


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds a whole warehouse (seconds to minutes)")
    config.addinivalue_line("markers", "concurrency: a reader beside a running publication")


def built_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made once per test run and shared by pytest-xdist's workers: the first
    worker that asks runs `make` into a folder beside the workers' own (under a file lock;
    the others wait for it), and every worker gets a copy of its own, so a test that
    rebuilds or changes its copy touches no other worker's. Without workers: made in place."""
    own = tmp_path_factory.mktemp(name)
    if "PYTEST_XDIST_WORKER" not in os.environ:
        make(own)
        return own
    shared = tmp_path_factory.getbasetemp().parent / f"built-once-{name}"
    with open(shared.with_name(shared.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)          # released when the file closes
        if not (shared / ".complete").exists():   # not made yet, or a failed attempt
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            make(shared)
            (shared / ".complete").touch()
    shutil.copytree(shared, own, symlinks=True, dirs_exist_ok=True)
    return own


def keep_statuses(directory: Path, run: DbtRun) -> None:
    """The status of every node of a fixture's build, beside it (build_results.json), so a
    test can read them instead of running the same tests again."""
    (directory / "build_results.json").write_text(json.dumps(
        [{"unique_id": r["unique_id"], "status": r["status"]} for r in run.results]))


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Warehouse:
    """The demo warehouse (embedded seeds), built once with every dbt test; the status of
    every node of that build is kept beside it (build_results.json, for test_demo_build)."""
    def make(directory: Path) -> None:
        run = Warehouse(directory).build()
        assert run.ok, f"demo build failed:\n{run.output[-6000:]}"
        keep_statuses(directory, run)
    return Warehouse(built_once(tmp_path_factory, "demo", make))


@pytest.fixture(scope="session")
def scenario_warehouse(tmp_path_factory) -> Warehouse:
    """The hand-made register scenario, built through the raw_path (CSV) route (every node's
    status of that build kept beside it, build_results.json)."""
    raw_vars = {"raw_path": str(FIXTURES / "scenario_register" / "raw"), "raw_format": "csv"}

    def make(directory: Path) -> None:
        run = Warehouse(directory, raw_vars).build()
        assert run.ok, f"scenario build failed:\n{run.output[-6000:]}"
        keep_statuses(directory, run)
    return Warehouse(built_once(tmp_path_factory, "scenario", make), raw_vars)


@pytest.fixture(scope="session")
def scenario_publications(scenario_warehouse, tmp_path_factory):
    """The scenario published twice into one publish folder, shared by the publication
    tests (each test that changes it works on a clone): A with --skip-build from a copy of
    the scenario warehouse, then B by `make publish` itself (an incremental build on the
    scenario with a late correction). Copies of both build warehouses are kept."""
    from publishing import Publication, ScenarioPublications, changed_scenario

    def make(directory: Path) -> None:
        first_build = directory / "first_build.duckdb"
        shutil.copyfile(scenario_warehouse.path, first_build)
        shutil.copyfile(first_build, directory / "build.duckdb")
        publication = Publication(directory)
        first = publication.run("--skip-build")
        assert first.returncode == 0, first.stderr[-4000:]
        first_manifest = publication.manifest()
        second = publication.run(raw=changed_scenario(directory))
        assert second.returncode == 0, second.stderr[-4000:]
        shutil.copyfile(directory / "build.duckdb", directory / "second_build.duckdb")
        (directory / "outcome.json").write_text(json.dumps({
            "first": first_manifest, "second": publication.manifest(),
            "log": first.stdout + first.stderr + second.stdout + second.stderr}))

    directory = built_once(tmp_path_factory, "scenario_publications", make)
    outcome = json.loads((directory / "outcome.json").read_text())
    return ScenarioPublications(Publication(directory), outcome["first"], outcome["second"],
                                directory / "first_build.duckdb", directory / "second_build.duckdb",
                                outcome["log"])


# ---------------------------------------------------------------- headless browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        subprocess.run([str(ROOT / "scripts" / "ensure_chromium.sh")], check=False)
        path = shutil.which("chromium")
    if path is None:
        pytest.skip("no headless browser: Debian's chromium could not be installed (needs apt as root)")
    return path
