"""Publish the marts for BI tools: every publication is written whole into a folder of
its own and made current by one atomic switch; readers never see an error or a mix of
two publications, and a crash at any point leaves the previous publication current.

Layout of the publish folder (the folder of PUBLISH_PATH, default publish/):

  runs/<id>/            one publication, complete before it can become current:
    warehouse.duckdb    the BI file (storage_version v1.0.0, DuckDB 1.x readers open it)
    parquet/<mart>.parquet   every mart (key-value metadata run_id and publication_id)
    marts.sql           every mart as a view over this publication's Parquet files
    public/public.duckdb, public/figures.parquet   the protected public figures
    revisions.md, revisions.json   what changed against the previous publication
    manifest.json       ids, inputs, counts, versions, the md5 of every file above
    COMPLETE            written last, after everything above is on disk (fsync)
  current -> runs/<id>  the one switch: a symlink replaced by one rename
  warehouse.duckdb, manifest.json, marts.sql, revisions.md, parquet/current,
  public/public.duckdb, public/figures.parquet
                        fixed symlinks through `current`, created once: the paths BI
                        tools use
  history/              the disclosure vintages (exact values: owner-only, 0700/0600)
  .lock                 held (flock) by the one publish or rollback that runs

A publication's id is `<UTC time of the publication, to the second>-<first 8
characters of the dbt run id>`, with `-2`, `-3`, … added when a run folder or vintage
of that name exists already (two publications of one dbt run in the same second).
It is chosen while the lock is held, so two publications never get the same id.
Every published file carries it: `marts.publication_info.publication_id` in the BI
file and the Parquet set, the Parquet files' metadata, the column `publication_id`
of the public figures and the manifest.

`make publish` (python -m banenafspraak publish: publish() here), in named steps (each logged as `step <name>`):
  lock            wait for (or, with --no-wait, refuse) any other publish or rollback
  recover         remove run folders a crash left incomplete (never made current),
                  finish a rollback a crash interrupted, fix the history's permissions
  build           `dbt build` (incremental where the models are, every test); a
                  failing model or test stops everything, nothing published changes
  protect         disclosure control (banenafspraak.disclosure.protection) against every
                  vintage in the history, withdrawn ones included
  audit           the disclosure audit (banenafspraak.disclosure.audit); a failure stops
                  everything, nothing published changes
  test_public     `dbt test --select tag:after_publish` with the var test_public_figures:
                  the data tests on the tables protect wrote (publication.figures,
                  audit.disclosure_cells); a failure stops everything (not with
                  --skip-build, which leaves dbt out)
  write_run       the BI file, the Parquet set, the public files, the views, the
                  revision report and the manifest, into runs/<id>/
  sync            fsync every file and folder of the run
  mark_complete   write runs/<id>/COMPLETE (fsynced)
  record_vintage  the vintage (exact values, for later protections and audits) into
                  history/<id>/ and history/index.json, fsynced, before anything
                  public switches
  switch          `current` -> runs/<id>: one rename of one symlink (fsynced)
  link            the fixed symlinks, where missing (the first publication)
  prune           remove runs that are neither current nor kept for `make rollback`
                  (the two publications before the current one), and withdrawn runs
  done

`make rollback` (`--rollback`: rollback.py): lock, recover, then `withdraw` (the current vintage is
marked withdrawn in history/index.json, fsynced: it is never deleted and keeps
constraining every later protection and audit), `switch` (`current` back to the
publication that was current before it, one rename), `prune`, `done`. Refused when
there is nothing to go back to. A withdrawn publication never becomes current again:
its folder is removed, and no manifest names it as its previous one.

Settings: PUBLISH_PATH (the BI file's stable path, default publish/warehouse.duckdb;
everything else goes next to it), WAREHOUSE_PATH (the build warehouse), --vars (dbt
vars as YAML/JSON, e.g. '{raw_path: /data/2024q4}'), --full-refresh, --skip-build,
--no-wait (stop instead of waiting when another publish or rollback runs).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from banenafspraak.disclosure import audit as disclosure_audit
from banenafspraak.disclosure import protection
from banenafspraak.publication import steps
from banenafspraak.publication.history import record_vintage
from banenafspraak.publication.layout import COMPLETE, Layout, acquire_lock
from banenafspraak.publication.recovery import ensure_links, prune, recover
from banenafspraak.publication.rollback import rollback
from banenafspraak.publication.run import mark_complete, new_publication_id, sync_run, write_run
from banenafspraak.publication.steps import PublishError, log
from banenafspraak.publication.storage import replace_symlink

BIN = Path(sys.executable).parent


def build(layout: Layout, lock: int, dbt_vars: str | None = None, full_refresh: bool = False) -> None:
    """dbt build (every test) of the build warehouse; a failing model or test stops everything."""
    command = [str(BIN / "dbt"), "build"]
    if dbt_vars:
        command += ["--vars", dbt_vars]
    if full_refresh:
        command.append("--full-refresh")
    log(f"refreshing the build warehouse {layout.warehouse}: {' '.join(command[1:])}")
    env = {**os.environ, "WAREHOUSE_PATH": str(layout.warehouse), "DBT_PROFILES_DIR": str(layout.root)}
    # dbt inherits the lock: killed or not, no other publication starts while it writes
    proc = subprocess.run(command, cwd=layout.root, env=env, capture_output=True, text=True, pass_fds=(lock,))
    results_file = layout.target / "run_results.json"
    failed = []
    if results_file.exists():
        results = json.loads(results_file.read_text()).get("results", [])
        failed = [f"{r['unique_id']} ({r['status']}): {(r.get('message') or '').strip()[:300]}"
                  for r in results if r["status"] in ("error", "fail")]
    if proc.returncode != 0 or failed:
        for line in failed:
            print(f"FAILED {line}", file=sys.stderr)
        print(proc.stdout[-4000:], file=sys.stderr)
        raise PublishError("publish: the build or its tests failed; nothing was published "
                           f"({len(failed)} failing node(s) listed above)")
    log("build and tests passed")


def test_public(layout: Layout, lock: int, dbt_vars: str | None = None) -> None:
    """The data tests on the tables the protect step wrote (publication.figures,
    audit.disclosure_cells: dbt sources whose tests carry the tag after_publish and are
    enabled by the var test_public_figures), with the build's own vars beside it."""
    import yaml
    given = yaml.safe_load(dbt_vars) if dbt_vars else {}
    test_vars = {**(given if isinstance(given, dict) else {}), "test_public_figures": True}
    command = [str(BIN / "dbt"), "test", "--select", "tag:after_publish", "--vars", json.dumps(test_vars)]
    log(f"testing the public figures: {' '.join(command[1:])}")
    env = {**os.environ, "WAREHOUSE_PATH": str(layout.warehouse), "DBT_PROFILES_DIR": str(layout.root)}
    proc = subprocess.run(command, cwd=layout.root, env=env, capture_output=True, text=True, pass_fds=(lock,))
    if proc.returncode != 0:
        print(proc.stdout[-4000:], file=sys.stderr)
        raise PublishError("publish: a data test on the public figures failed (listed above); nothing was published")
    log("tests on the public figures passed")


def protect(layout: Layout, publication_id: str) -> dict:
    log("protecting the public figures (primary and secondary suppression) …")
    return protection.run(layout.warehouse, layout.history, vintage=publication_id)


def audit(layout: Layout) -> dict:
    log("auditing the public figures by linear programming …")
    code, summary = disclosure_audit.run_audit(layout.warehouse, layout.history)
    if code != 0:
        raise PublishError("publish: the disclosure audit failed (cells listed above); nothing was published")
    return summary


def publish(dbt_vars: str | None = None, full_refresh: bool = False, skip_build: bool = False,
            wait: bool = True) -> int:
    """make publish: build, protect, audit, write one run, switch to it (see the module)."""
    layout = Layout()
    started = time.perf_counter()
    steps.step("lock", "an exclusive lock on the publish folder for the whole publication")
    lock = acquire_lock(layout, "publish", wait=wait)
    steps.step("recover", "what an interrupted publish or rollback left behind")
    recover(layout)
    if not skip_build:
        steps.step("build", "dbt build, every test")
        build(layout, lock, dbt_vars, full_refresh)
    with duckdb.connect(str(layout.warehouse), read_only=True) as con:
        cursor = con.execute("select * from marts.publication_info")
        info = dict(zip([d[0] for d in cursor.description], cursor.fetchall()[0], strict=True))
        raw_inputs = con.execute("select raw_inputs from audit.run_log where run_id = ?", [info["run_id"]]).fetchone()
        duckdb_version = con.execute("select library_version from pragma_version()").fetchall()[0][0]
    context = {"inputs": json.loads(raw_inputs[0]) if raw_inputs and raw_inputs[0] else [],
               "duckdb_version": duckdb_version}
    publication_id = new_publication_id(layout, info["run_id"])
    previous = layout.current_id()
    previous_bi: Path | None
    if previous is not None:
        previous_bi = layout.run(previous) / "warehouse.duckdb"
    else:   # the layout before runs/: its BI file is still a plain file, for the revision report
        previous_bi = layout.bi_link if layout.bi_link.is_file() and not layout.bi_link.is_symlink() else None
    log(f"publication {publication_id}: dbt run {info['run_id']}, quarters {info['first_quarter']} … "
        f"{info['last_quarter']}; current: {previous or 'none'}")
    steps.step("protect", "disclosure control against every earlier vintage")
    checks = {"protection": protect(layout, publication_id)}
    steps.step("audit", "the disclosure audit")
    checks["audit"] = audit(layout)
    if not skip_build:   # with --skip-build the warehouse is published as it is, untouched by dbt
        steps.step("test_public", "dbt test --select tag:after_publish (the public figures)")
        test_public(layout, lock, dbt_vars)
    folder = layout.run(publication_id)
    steps.step("write_run", f"every file of the publication into runs/{publication_id}/")
    manifest, public = write_run(layout, folder, publication_id, previous, previous_bi, info, context, checks)
    steps.step("sync", "fsync every file and folder of the run")
    sync_run(folder)
    steps.step("mark_complete", f"runs/{publication_id}/{COMPLETE}")
    mark_complete(folder, publication_id)
    steps.step("record_vintage", f"history/{publication_id}/ and history/index.json, before anything public switches")
    record_vintage(layout, publication_id, public["cells"], manifest["disclosure"])
    steps.step("switch", f"current -> runs/{publication_id} (one rename)")
    replace_symlink(layout.current, f"runs/{publication_id}")
    steps.step("link", "the fixed paths through current, where missing")
    ensure_links(layout)
    steps.step("prune", "run folders neither current nor kept for make rollback")
    prune(layout)
    steps.step("done", "published")
    log(f"published {publication_id} (dbt run {info['run_id']}) in {time.perf_counter() - started:.1f} s: "
        f"{layout.bi_link} and the other fixed paths now read runs/{publication_id}/; "
        f"{manifest['revisions']['changed_cells']} revised cells; previous: {previous or 'none'}"
        + (" (make rollback goes back to it)" if previous else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vars", help="dbt vars for the build, e.g. '{raw_path: /data/2024q4}'")
    parser.add_argument("--full-refresh", action="store_true")
    parser.add_argument("--skip-build", action="store_true", help="publish the build warehouse as it is")
    parser.add_argument("--rollback", action="store_true", help="go back to the previous publication")
    parser.add_argument("--no-wait", action="store_true",
                        help="stop with a message instead of waiting when another publish or rollback runs")
    args = parser.parse_args(argv)
    if args.rollback:
        return rollback(wait=not args.no_wait)
    return publish(args.vars, args.full_refresh, args.skip_build, wait=not args.no_wait)


if __name__ == "__main__":
    sys.exit(main())
