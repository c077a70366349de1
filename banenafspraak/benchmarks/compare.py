"""Outputs unchanged? Build, publish and report two commits on the same extract and
compare everything a user sees (a refactoring check, run by hand before merging one).

For each commit: a throw-away checkout (git worktree) under --work, the same
extract, then `make publish` (dbt build, disclosure control, audit, BI file) and the
regional reports. Compared, each both ways with EXCEPT ALL (a row that differs, or
appears a different number of times, is a difference):

  - every table and view of the build warehouse in the schemas marts, audit and
    publication but the tables of stored test failures (audit.run_log and
    marts.publication_info are left out: they hold the run's id, time and commit, which
    differ by design; so is audit.disclosure_settings, which records the run, the vintage
    and the seconds the protection took);
  - every table of the published BI file and of the public figures (column
    publication_id left out);
  - the text of every report page, with publication ids and times masked.

Relations only one side has are listed (a refactoring may add some; none may go).

    python -m banenafspraak compare-builds BEFORE AFTER [--extract demo|small] [--work DIR]

BEFORE and AFTER are commits (or branches). Exit 0 when nothing differs, 1 otherwise.
Takes a few minutes on the demo and about ten on the small extract (2 cores).
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from banenafspraak.config import ROOT, Logger

SCHEMAS = ("marts", "audit", "publication")
LEFT_OUT = {("audit", "run_log"), ("marts", "publication_info"), ("audit", "disclosure_settings")}
VOLATILE_COLUMNS = {"publication_id", "run_id", "invocation_id"}
MASKS = [
    (re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}(-\d+)?"), "<publication id>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<run id>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?( ?UTC|Z|[+-]\d{2}:?\d{2})?"), "<time>"),
]


log = Logger("compare")


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """The one value of a count query."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    log(" ".join(command) + f"  (in {cwd})")
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.exit(f"compare_builds: {' '.join(command)} failed in {cwd}:\n{result.stdout[-4000:]}")


def side(commit: str, name: str, work: Path, vars_json: str | None) -> Path:
    """Check out `commit`, publish it on the extract and write its reports; returns the checkout."""
    checkout = work / name
    if checkout.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, check=False)
        shutil.rmtree(checkout, ignore_errors=True)
    run(["git", "worktree", "add", "--detach", str(checkout), commit], ROOT)
    for venv in (".venv", ".venv-spark"):
        if (ROOT / venv).exists():
            (checkout / venv).symlink_to(ROOT / venv)
    out = checkout / "target" / "compare"
    env = {**os.environ, "DBT_PROFILES_DIR": str(checkout), "WAREHOUSE_PATH": str(out / "warehouse.duckdb"),
           "PUBLISH_PATH": str(out / "publish" / "warehouse.duckdb"), "NO_WAIT": "1",
           # the checkout's own code, whether or not it is installed as a package
           "PYTHONPATH": os.pathsep.join([str(checkout), str(checkout / "src")])}
    env.pop("VARS", None)
    if vars_json:
        env["VARS"] = vars_json
    # -o: take the venv as installed (it is main's, shared), do not reinstall into it
    run(["make", "-o", ".venv/.installed", "publish"], checkout, env)
    run([str(checkout / ".venv" / "bin" / "python"), "scripts/build_reports.py",
         "--public", str(out / "publish" / "public" / "public.duckdb"), "--out", str(out / "reports")], checkout, env)
    return out


def relations(con: duckdb.DuckDBPyConnection, database: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = ? "
        "and table_schema in ('marts', 'audit', 'publication', 'main')", [database]).fetchall()
    return {(schema, table) for schema, table in rows if (schema, table) not in LEFT_OUT}


def stored_test_failures(manifest: Path) -> set[tuple[str, str]]:
    """(schema, table) of the tables dbt stores data test failures in (store_failures): they
    are named after the tests and their models, so a renamed model renames them; they
    are checked by the build itself (every test passes), not compared."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return {(node["schema"], node["alias"]) for node in nodes if node["resource_type"] == "test"}


def compare_database(before: Path, after: Path, label: str, skip: set[tuple[str, str]] | None = None) -> list[str]:
    problems = []
    con = duckdb.connect()
    con.execute("attach ? as b (read_only)", [str(before)])
    con.execute("attach ? as a (read_only)", [str(after)])
    left, right = relations(con, "b") - (skip or set()), relations(con, "a") - (skip or set())
    for schema, table in sorted(left - right):
        problems.append(f"{label}: {schema}.{table} is gone")
    for schema, table in sorted(right - left):
        log(f"{label}: {schema}.{table} is new (not compared)")
    for schema, table in sorted(left & right):
        columns_b = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_catalog = 'b' and table_schema = ? "
            "and table_name = ? order by ordinal_position", [schema, table]).fetchall()]
        columns_a = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_catalog = 'a' and table_schema = ? "
            "and table_name = ? order by ordinal_position", [schema, table]).fetchall()]
        if columns_b != columns_a:
            problems.append(f"{label}: {schema}.{table} columns differ: {columns_b} vs {columns_a}")
            continue
        kept = ", ".join(f'"{c}"' for c in columns_b if c not in VOLATILE_COLUMNS)
        counts = []
        for first, second in (("b", "a"), ("a", "b")):
            counts.append(scalar(con,
                f'select count(*) from (select {kept} from {first}."{schema}"."{table}" except all '
                f'select {kept} from {second}."{schema}"."{table}")'))
        rows = scalar(con, f'select count(*) from b."{schema}"."{table}"')
        if counts != [0, 0]:
            problems.append(f"{label}: {schema}.{table}: {counts[0]} row(s) only before, {counts[1]} only after")
        else:
            log(f"{label}: {schema}.{table} identical ({rows} rows)")
    return problems


def page_text(path: Path) -> list[str]:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    for pattern, mask in MASKS:
        text = pattern.sub(mask, text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def compare_reports(before: Path, after: Path) -> list[str]:
    problems = []
    pages_b = {p.relative_to(before) for p in before.rglob("*.html")}
    pages_a = {p.relative_to(after) for p in after.rglob("*.html")}
    for page in sorted(pages_b ^ pages_a):
        problems.append(f"reports: {page} only {'before' if page in pages_b else 'after'}")
    for page in sorted(pages_b & pages_a):
        if page_text(before / page) != page_text(after / page):
            problems.append(f"reports: the text of {page} differs")
    log(f"reports: {len(pages_b & pages_a)} pages compared")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--extract", choices=["demo", "small"], default="demo")
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "compare-builds")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    vars_json = None
    if args.extract == "small":
        data = work / "extract-small"
        if not (data / "payroll.parquet").exists() and not list(data.glob("payroll*")):
            run([sys.executable, "-m", "banenafspraak", "generate-raw", "--scale", "small", "--format", "parquet",
                 "--out", str(data), "--quiet"], ROOT)
        vars_json = json.dumps({"raw_path": str(data), "raw_format": "parquet"})
    sides = (("before", args.before), ("after", args.after))
    outs = {name: side(commit, name, work, vars_json) for name, commit in sides}
    tests = set().union(*(stored_test_failures(outs[name].parent / "manifest.json") for name in outs))
    problems = compare_database(outs["before"] / "warehouse.duckdb", outs["after"] / "warehouse.duckdb", "build",
                                skip=tests)
    pub_b, pub_a = outs["before"] / "publish", outs["after"] / "publish"
    problems += compare_database(pub_b / "warehouse.duckdb", pub_a / "warehouse.duckdb", "BI file")
    problems += compare_database(pub_b / "public" / "public.duckdb", pub_a / "public" / "public.duckdb", "public")
    problems += compare_reports(outs["before"] / "reports", outs["after"] / "reports")
    for problem in problems:
        print(problem)
    print(f"{args.before} vs {args.after} on the {args.extract} extract: "
          + ("identical" if not problems else f"{len(problems)} difference(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
