#!/usr/bin/env python3
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

`make publish` (this script), in named steps (each logged as `step <name>`):
  lock            wait for (or, with --no-wait, refuse) any other publish or rollback
  recover         remove run folders a crash left incomplete (never made current),
                  finish a rollback a crash interrupted, fix the history's permissions
  build           `dbt build` (incremental where the models are, every test); a
                  failing model or test stops everything, nothing published changes
  protect         disclosure control (scripts/disclosure.py) against every vintage in
                  the history, withdrawn ones included
  audit           the disclosure audit (scripts/disclosure_audit.py); a failure stops
                  everything, nothing published changes
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

`make rollback` (`--rollback`): lock, recover, then `withdraw` (the current vintage is
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
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import disclosure  # noqa: E402
import disclosure_audit  # noqa: E402
from sql_quoting import sql_literal  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STORAGE_VERSION = "v1.0.0"          # DuckDB 1.x readers (BI connectors) open this
PUBLIC_AUDIT = ["reconciliation", "run_log"]
KEEP_PREVIOUS = 2                   # publications kept before the current one, for `make rollback`
COMPLETE = "COMPLETE"
FACT_KEYS = {                       # grain of each fact mart, for the revision report
    "fct_register_quarter": ["quarter_label", "region_code", "target_group"],
    "fct_register_flows_quarter": ["quarter_label", "region_code", "target_group"],
    "fct_register_flow_reasons_quarter": ["quarter_label", "region_code", "target_group", "direction", "reason"],
    "fct_sheltered_work_quarter": ["quarter_label", "region_code"],
    "fct_region_progress_quarter": ["quarter_label", "region_code"],
    "fct_work_durability_year": ["cohort_year", "region_code", "durability_group"],
    "fct_participation_year": ["year", "region_code", "target_group"],
}


def log(message: str) -> None:
    print(f"[publish {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def step(name: str, what: str) -> None:
    """A step boundary: everything before it is done, nothing of the step has begun."""
    log(f"step {name}: {what}")


class PublishError(SystemExit):
    pass


# ---------------------------------------------------------------- layout

class Layout:
    """The paths of one publish folder."""

    def __init__(self) -> None:
        published = Path(os.environ.get("PUBLISH_PATH", ROOT / "publish" / "warehouse.duckdb")).absolute()
        self.folder = Path(os.path.realpath(published.parent))
        self.bi_link = self.folder / published.name
        self.runs = self.folder / "runs"
        self.current = self.folder / "current"
        self.history = self.folder / "history"
        self.lock = self.folder / ".lock"
        self.warehouse = Path(os.environ.get("WAREHOUSE_PATH", ROOT / "warehouse.duckdb")).resolve()

    def run(self, publication_id: str) -> Path:
        return self.runs / publication_id

    def links(self) -> dict[Path, str]:
        """The fixed paths BI tools use -> where they point (relative, through `current`)."""
        return {self.bi_link: "current/warehouse.duckdb",
                self.folder / "manifest.json": "current/manifest.json",
                self.folder / "marts.sql": "current/marts.sql",
                self.folder / "revisions.md": "current/revisions.md",
                self.folder / "parquet" / "current": "../current/parquet",
                self.folder / "public" / "public.duckdb": "../current/public/public.duckdb",
                self.folder / "public" / "figures.parquet": "../current/public/figures.parquet"}

    def current_id(self) -> str | None:
        if not self.current.is_symlink():
            return None
        return Path(os.readlink(self.current)).name

    def is_complete(self, publication_id: str) -> bool:
        return (self.run(publication_id) / COMPLETE).is_file()

    def manifest(self, publication_id: str) -> dict:
        return json.loads((self.run(publication_id) / "manifest.json").read_text())


# ---------------------------------------------------------------- durable writes

def fsync_path(path: Path) -> None:
    """fsync a file or a folder (a folder's fsync makes the names in it durable)."""
    descriptor = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_durably(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a file under a temporary name, fsync it, rename it into place, fsync the folder.
    mode: exact permissions, whatever the umask (history files: 0600); else as the umask says."""
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666 if mode is None else mode)
    try:
        if mode is not None:
            os.fchmod(descriptor, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)
    fsync_path(path.parent)


def private_folder(path: Path) -> None:
    """A folder only its owner can read (0700, whatever the umask)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def replace_symlink(link: Path, target: str) -> None:
    """Point link at target in one step (a new symlink renamed over the old name)."""
    temporary = link.with_name(f".{link.name}.tmp")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, link)
    fsync_path(link.parent)


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- the lock

def acquire_lock(layout: Layout, operation: str, wait: bool) -> int:
    """An exclusive flock on publish/.lock for the whole operation. The descriptor stays
    open until the process ends (the kernel releases the lock then, also on kill -9);
    the dbt build inherits it, so the lock is held until that ends too."""
    layout.folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(layout.lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(descriptor, 500, 0).decode(errors="replace").strip() or "another process"
        if not wait:
            os.close(descriptor)
            raise PublishError(f"{operation}: another publish or rollback is running ({holder}; lock "
                               f"{layout.lock}); nothing was changed. Run again when it has finished, "
                               "or without --no-wait to wait for it.")
        log(f"waiting: another publish or rollback is running ({holder}); this {operation} starts when "
            "it has finished")
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{operation} by pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
              .encode(), 0)
    log(f"lock {layout.lock} held by this {operation} (pid {os.getpid()})")
    return descriptor


# ---------------------------------------------------------------- history

def read_index(layout: Layout) -> dict:
    index = layout.history / "index.json"
    data = json.loads(index.read_text()) if index.exists() else {}
    return {"vintages": data.get("vintages", []), "withdrawn": data.get("withdrawn", {})}


def write_index(layout: Layout, index: dict) -> None:
    private_folder(layout.history)
    write_durably(layout.history / "index.json", json.dumps(index, indent=2).encode(), mode=0o600)


def record_vintage(layout: Layout, publication_id: str, cells, summary: dict) -> None:
    """history/<id>/ (cells with exact values, the protection's summary), written under a
    temporary name and renamed whole, then listed in index.json: all fsynced."""
    private_folder(layout.history)
    temporary = layout.history / f".{publication_id}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    private_folder(temporary)
    buffer = io.BytesIO()
    cells.to_parquet(buffer, index=False)
    write_durably(temporary / "cells.parquet", buffer.getvalue(), mode=0o600)
    write_durably(temporary / "disclosure.json", json.dumps(summary, indent=2, default=str).encode(), mode=0o600)
    os.rename(temporary, layout.history / publication_id)
    fsync_path(layout.history)
    index = read_index(layout)
    index["vintages"] = [v for v in index["vintages"] if v != publication_id] + [publication_id]
    write_index(layout, index)


def recover_history(layout: Layout) -> None:
    if not layout.history.exists():
        return
    for path in [layout.history, *layout.history.rglob("*")]:   # owner-only, also a history of older layouts
        if not path.is_symlink():
            os.chmod(path, 0o700 if path.is_dir() else 0o600)
    index = read_index(layout)
    changed = False
    for entry in sorted(layout.history.iterdir()):
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            log(f"recover: removing {entry} (a vintage or index whose writing was interrupted)")
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        elif entry.is_dir() and entry.name not in index["vintages"] and (entry / "cells.parquet").exists():
            # written whole but not listed: interrupted before the switch; constraining with it is safe
            log(f"recover: vintage {entry.name} was recorded but not listed; listing it (it was never current)")
            index["vintages"].append(entry.name)
            changed = True
    if changed:
        write_index(layout, index)


# ---------------------------------------------------------------- recovery and pruning

def recover(layout: Layout) -> bool:
    """Run with the lock held, before anything else: what a crash left behind. Returns
    True when it finished a rollback that a crash interrupted."""
    layout.runs.mkdir(parents=True, exist_ok=True)
    recover_history(layout)
    current = layout.current_id()
    if current is not None and not layout.is_complete(current):
        raise PublishError(f"publish: {layout.current} points at {current}, which is not a complete "
                           "publication; this script never switches to one: check the folder by hand")
    removed = 0
    for entry in sorted(layout.runs.iterdir()):
        if entry.name == current or (entry.is_dir() and layout.is_complete(entry.name)):
            continue
        log(f"recover: {entry.name} is an incomplete publication (interrupted before it was complete; "
            "it never was current): removing it")
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        removed += 1
    if removed:
        fsync_path(layout.runs)
    for leftover in (layout.folder / ".current.tmp",):
        if leftover.is_symlink():
            leftover.unlink()
    withdrawn = read_index(layout)["withdrawn"]
    finished = False
    if current in withdrawn:
        back_to = withdrawn[current].get("back_to")
        if not back_to or not layout.is_complete(back_to):
            raise PublishError(f"publish: the current publication {current} was withdrawn, but the one to go "
                               f"back to ({back_to}) is gone: check the folder by hand")
        log(f"recover: a rollback of {current} was interrupted after it was recorded: finishing it "
            f"(back to {back_to})")
        replace_symlink(layout.current, f"runs/{back_to}")
        current, finished = back_to, True
    for entry in sorted(layout.runs.iterdir()):
        if entry.name in withdrawn and entry.name != current:
            log(f"recover: removing run {entry.name} (withdrawn by a rollback that was interrupted)")
            shutil.rmtree(entry)
    if current is not None:
        ensure_links(layout)
    return finished


def ensure_links(layout: Layout) -> None:
    """The fixed paths, each a symlink through `current`; created once. A regular file of
    the earlier layout (a renamed-in-place BI file) is replaced by its symlink in one rename."""
    for link, target in layout.links().items():
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.is_dir() and not link.is_symlink():
            raise PublishError(f"publish: {link} is a folder; it must become a symlink to {target}")
        link.parent.mkdir(parents=True, exist_ok=True)
        replace_symlink(link, target)
        log(f"link {link.relative_to(layout.folder)} -> {target}")
    retire_earlier_layout(layout)


def retire_earlier_layout(layout: Layout) -> None:
    """Files of the layout before runs/ (rename-in-place with *.previous copies) that no
    longer belong to any publication."""
    old = [layout.bi_link.with_name(layout.bi_link.stem + ".previous.duckdb"), layout.folder / "manifest.previous.json",
           layout.folder / "public" / "public.previous.duckdb", layout.folder / "public" / "figures.previous.parquet",
           layout.folder / "parquet" / ".current.tmp"]
    old += [p for p in (layout.folder / "parquet").glob("*") if p.is_dir() and not p.is_symlink()]
    for path in old:
        if path.is_symlink() or path.exists():
            log(f"removing {path.relative_to(layout.folder)} (the publish layout before runs/)")
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def prune(layout: Layout) -> None:
    """Keep the current publication and the KEEP_PREVIOUS before it (by each manifest's
    `previous`); remove every other run folder, withdrawn ones included."""
    keep, publication_id = [], layout.current_id()
    while publication_id and len(keep) <= KEEP_PREVIOUS and layout.is_complete(publication_id):
        keep.append(publication_id)
        publication_id = layout.manifest(publication_id).get("previous")
    withdrawn = read_index(layout)["withdrawn"]
    removed = 0
    for entry in sorted(layout.runs.iterdir()):
        if entry.name in keep:
            continue
        reason = ("withdrawn by make rollback" if entry.name in withdrawn else
                  "incomplete" if not layout.is_complete(entry.name) else
                  f"neither current nor one of the {KEEP_PREVIOUS} kept for make rollback")
        log(f"removing run {entry.name} ({reason})")
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        removed += 1
    if removed:
        fsync_path(layout.runs)


# ---------------------------------------------------------------- the build and the checks

def build(args, layout: Layout, lock: int) -> None:
    command = [str(BIN / "dbt"), "build"]
    if args.vars:
        command += ["--vars", args.vars]
    if args.full_refresh:
        command.append("--full-refresh")
    log(f"refreshing the build warehouse {layout.warehouse}: {' '.join(command[1:])}")
    env = {**os.environ, "WAREHOUSE_PATH": str(layout.warehouse), "DBT_PROFILES_DIR": str(ROOT)}
    # dbt inherits the lock: killed or not, no other publication starts while it writes
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, pass_fds=(lock,))
    results_file = Path(os.environ.get("DBT_TARGET_PATH", ROOT / "target")) / "run_results.json"
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


def protect(layout: Layout, publication_id: str) -> dict:
    log("protecting the public figures (primary and secondary suppression) …")
    return disclosure.run(layout.warehouse, layout.history, vintage=publication_id)


def audit(layout: Layout) -> dict:
    log("auditing the public figures by linear programming …")
    code, summary = disclosure_audit.run_audit(layout.warehouse, layout.history)
    if code != 0:
        raise PublishError("publish: the disclosure audit failed (cells listed above); nothing was published")
    return summary


# ---------------------------------------------------------------- writing one run

def relations(con, catalog: str, schema: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_catalog = ? "
        "and table_schema = ? order by table_name", [catalog, schema]).fetchall()]


def write_bi_file(layout: Layout, target: Path, publication_id: str) -> dict:
    """The BI file: marts and the public audit tables only; publication_info gains the
    publication id. Returns row counts."""
    counts = {}
    con = duckdb.connect()
    try:
        con.execute(f"attach {sql_literal(layout.warehouse)} as build (read_only)")
        con.execute(f"attach {sql_literal(target)} as bi (storage_version '{STORAGE_VERSION}')")
        for schema, tables in (("marts", relations(con, "build", "marts")), ("audit", PUBLIC_AUDIT)):
            con.execute(f"create schema bi.{schema}")
            for table in tables:
                extra = f", {sql_literal(publication_id)} as publication_id" \
                    if (schema, table) == ("marts", "publication_info") else ""
                con.execute(f"create table bi.{schema}.{table} as select *{extra} from build.{schema}.{table}")
                counts[f"{schema}.{table}"] = con.execute(f"select count(*) from bi.{schema}.{table}").fetchone()[0]
        con.execute("checkpoint bi")
        con.execute("detach bi")
    finally:
        con.close()
    return counts


def export_parquet(bi_file: Path, folder: Path, run_id: str, publication_id: str) -> list[str]:
    """Every mart of the BI file as Parquet (so the set equals the BI file by construction)."""
    folder.mkdir()
    metadata = f"kv_metadata {{run_id: {sql_literal(run_id)}, publication_id: {sql_literal(publication_id)}}}"
    with duckdb.connect() as con:
        con.execute(f"attach {sql_literal(bi_file)} as bi (read_only)")
        marts = relations(con, "bi", "marts")
        for mart in marts:
            con.execute(f"copy (select * from bi.marts.{mart}) to {sql_literal(folder / (mart + '.parquet'))} "
                        f"(format parquet, compression zstd, {metadata})")
    return marts


def write_views(target: Path, publication_id: str, marts: list[str]) -> None:
    lines = [f"-- Every mart of publication {publication_id} as a view over its own Parquet files.",
             "-- Paths are relative to the publish folder (DuckDB resolves them against the working",
             "-- directory): open it from there, e.g.  cd publish && duckdb -readonly -init marts.sql",
             "-- The views stay on this publication until marts.sql is read again.",
             "create schema if not exists marts;"]
    lines += [f"create or replace view marts.{m} as select * from "
              f"read_parquet({sql_literal(f'runs/{publication_id}/parquet/{m}.parquet')});" for m in marts]
    target.write_text("\n".join(lines) + "\n")


def write_public(layout: Layout, folder: Path, run_id: str, publication_id: str) -> dict:
    """publication.figures (schema publication only, with the publication id) as public.duckdb
    and figures.parquet; and the cells for the vintage (exact values: kept out of the run)."""
    folder.mkdir()
    database, parquet = folder / "public.duckdb", folder / "figures.parquet"
    metadata = f"kv_metadata {{run_id: {sql_literal(run_id)}, publication_id: {sql_literal(publication_id)}}}"
    with duckdb.connect() as con:
        con.execute(f"attach {sql_literal(layout.warehouse)} as build (read_only)")
        con.execute(f"attach {sql_literal(database)} as public (storage_version '{STORAGE_VERSION}')")
        con.execute("create schema public.publication")
        con.execute(f"create table public.publication.figures as select *, {sql_literal(publication_id)} "
                    "as publication_id from build.publication.figures "
                    "order by period_type, period, region_code, target_group, breakdown, measure")
        rows = con.execute("select count(*) from public.publication.figures").fetchone()[0]
        con.execute(f"copy (select * from public.publication.figures) to {sql_literal(parquet)} "
                    f"(format parquet, compression zstd, {metadata})")
        con.execute("checkpoint public")
        con.execute("detach public")
        cells = con.execute("""
            select d.period_type, d.period, d.region_code, d.target_group, d.breakdown, d.measure,
                   cast(d.exact_value as double) as exact_value, f.status, d.suppression
            from build.audit.disclosure_cells as d
            inner join build.publication.figures as f
                using (period_type, period, region_code, target_group, breakdown, measure)""").df()
        revised = con.execute("""
            select period, region_code, target_group, breakdown, measure
            from build.audit.disclosure_cells where revised_below_threshold order by all""").fetchall()
    return {"rows": rows, "cells": cells, "revised_below": revised}


def revisions(previous_file: Path | None, new_file: Path, newest_quarter: str) -> dict:
    """Cells of quarters published before whose value changed, per fact mart."""
    report = {"provisional_quarter": newest_quarter, "changed_cells": [], "summary": {}}
    if previous_file is None or not previous_file.exists():
        report["note"] = "first publication: nothing to compare"
        return report
    with duckdb.connect() as con:
        con.execute(f"attach {sql_literal(previous_file)} as old (read_only)")
        con.execute(f"attach {sql_literal(new_file)} as new (read_only)")
        old_quarters = {q for (q,) in con.execute("select quarter_label from old.marts.dim_quarter").fetchall()}
        old_marts = set(relations(con, "old", "marts"))
        for mart, keys in FACT_KEYS.items():
            if mart not in old_marts:  # a mart new in this publication: nothing was revised
                continue
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'new' and "
                "table_schema = 'marts' and table_name = ? and data_type not in ('VARCHAR', 'DATE', 'BOOLEAN')",
                [mart]).fetchall() if c not in keys]
            join = " and ".join(f"n.{k} = o.{k}" for k in keys)
            # quarterly marts: the quarters published before; yearly marts: the cells published before
            published_before = ("coalesce(n.quarter_label, o.quarter_label) in (select quarter_label from "
                                "old.marts.dim_quarter)" if "quarter_label" in keys else f"o.{keys[0]} is not null")
            for column in columns:
                rows = con.execute(f"""
                    select {', '.join('coalesce(n.' + k + ', o.' + k + ')' for k in keys)},
                           o.{column}, n.{column}
                    from new.marts.{mart} as n full outer join old.marts.{mart} as o on {join}
                    where {published_before}
                      and o.{column} is distinct from n.{column}
                    order by all""").fetchall()
                for row in rows:
                    cell = dict(zip(keys, row[:len(keys)]))
                    old_value, new_value = row[len(keys)], row[len(keys) + 1]
                    delta = (float(new_value or 0) - float(old_value or 0))
                    report["changed_cells"].append({"mart": mart, **cell, "measure": column,
                                                    "old": str(old_value), "new": str(new_value),
                                                    "change": round(delta, 6)})
                if rows:
                    report["summary"][f"{mart}.{column}"] = len(rows)
        report["quarters_compared"] = sorted(old_quarters)
    return report


def revision_markdown(publication_id: str, info: dict, report: dict, public: dict, protection: dict) -> str:
    summary = ", ".join(f"{k}: {v}" for k, v in report["summary"].items()) or "none"
    return (f"# Revisions in publication {publication_id}\n\nNewest quarter {info['last_quarter']} is provisional.\n\n"
            f"Changed cells of quarters published before: {len(report['changed_cells'])} ({summary}).\n\n"
            + "\n".join(f"- {c['mart']} {c.get('quarter_label')} {c.get('region_code')} {c.get('target_group', '')} "
                        f"{c['measure']}: {c['old']} → {c['new']} ({c['change']:+})"
                        for c in report["changed_cells"][:500])
            + "\n"
            + f"\n## Disclosure control\n\n{public['rows']} public cells; "
            f"{protection['primary']} primary and {protection['secondary']} secondary suppressed. "
            f"Published before and now below the threshold, so suppressed from this vintage on: "
            f"{len(public['revised_below'])}.\n\n"
            + "\n".join(f"- {r[0]} {r[1]} {r[2]} {r[3]} {r[4]}" for r in public["revised_below"][:500]) + "\n")


def write_run(layout: Layout, folder: Path, publication_id: str, previous: str | None, previous_bi: Path | None,
              info: dict, context: dict, checks: dict) -> tuple[dict, dict]:
    """Every file of the publication into its run folder. Returns (manifest, public)."""
    run_id = info["run_id"]
    folder.mkdir(parents=True)
    bi_file = folder / "warehouse.duckdb"
    counts = write_bi_file(layout, bi_file, publication_id)
    log(f"BI file written ({len(counts)} relations, storage {STORAGE_VERSION}); exporting Parquet …")
    marts = export_parquet(bi_file, folder / "parquet", run_id, publication_id)
    write_views(folder / "marts.sql", publication_id, marts)
    public = write_public(layout, folder / "public", run_id, publication_id)
    log(f"public files written ({public['rows']} cells); comparing with the previous publication …")
    report = revisions(previous_bi, bi_file, info["last_quarter"])
    (folder / "revisions.json").write_text(json.dumps(report, indent=2, default=str))
    (folder / "revisions.md").write_text(
        revision_markdown(publication_id, info, report, public, checks["protection"]))
    files = {str(path.relative_to(folder)): file_md5(path) for path in sorted(folder.rglob("*")) if path.is_file()}
    manifest = {
        "publication_id": publication_id, "run_id": run_id, "previous": previous,
        "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "built_at": str(info["built_at"]), "quarters": {"first": info["first_quarter"], "last": info["last_quarter"],
                                                        "provisional": info["last_quarter"]},
        "inputs": context["inputs"], "row_counts": counts, "dbt_version": info["dbt_version"],
        "duckdb_version": context["duckdb_version"], "storage_version": STORAGE_VERSION,
        "parquet": "parquet",
        "revisions": {"changed_cells": len(report["changed_cells"]), "report": "revisions.md"},
        "disclosure": {**checks["protection"],
                       "audit": {k: checks["audit"].get(k) for k in
                                 ("passed", "cells_checked", "narrowest_interval", "seconds")},
                       "revised_below_threshold_cells": [list(r) for r in public["revised_below"]]},
        "public": {"database": "public/public.duckdb", "parquet": "public/figures.parquet", "rows": public["rows"]},
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
    return manifest, public


def sync_run(folder: Path) -> None:
    """fsync every file, then every folder from the deepest up, then runs/."""
    paths = sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True)
    for path in paths:
        if path.is_file():
            fsync_path(path)
    for path in [p for p in paths if p.is_dir()] + [folder, folder.parent]:
        fsync_path(path)


def mark_complete(folder: Path, publication_id: str) -> None:
    marker = json.dumps({"publication_id": publication_id, "manifest_md5": file_md5(folder / "manifest.json"),
                         "completed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    write_durably(folder / COMPLETE, marker.encode())


def new_publication_id(layout: Layout, run_id: str) -> str:
    """`<UTC time>-<dbt run id, 8 characters>`, numbered on when taken (the lock is held)."""
    base = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{re.sub(r'[^A-Za-z0-9]', '', run_id)[:8] or 'run'}"
    taken = {p.name for p in layout.runs.iterdir()} | set(read_index(layout)["vintages"]) | \
        ({p.name for p in layout.history.iterdir()} if layout.history.exists() else set())
    publication_id, number = base, 1
    while publication_id in taken:
        number += 1
        publication_id = f"{base}-{number}"
    return publication_id


# ---------------------------------------------------------------- publish and rollback

def publish(args) -> int:
    layout = Layout()
    started = time.perf_counter()
    step("lock", "an exclusive lock on the publish folder for the whole publication")
    lock = acquire_lock(layout, "publish", wait=not args.no_wait)
    step("recover", "what an interrupted publish or rollback left behind")
    recover(layout)
    if not args.skip_build:
        step("build", "dbt build, every test")
        build(args, layout, lock)
    with duckdb.connect(str(layout.warehouse), read_only=True) as con:
        cursor = con.execute("select * from marts.publication_info")
        info = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
        raw_inputs = con.execute("select raw_inputs from audit.run_log where run_id = ?", [info["run_id"]]).fetchone()
        duckdb_version = con.execute("select library_version from pragma_version()").fetchone()[0]
    context = {"inputs": json.loads(raw_inputs[0]) if raw_inputs and raw_inputs[0] else [],
               "duckdb_version": duckdb_version}
    publication_id = new_publication_id(layout, info["run_id"])
    previous = layout.current_id()
    if previous is not None:
        previous_bi = layout.run(previous) / "warehouse.duckdb"
    else:   # the layout before runs/: its BI file is still a plain file, for the revision report
        previous_bi = layout.bi_link if layout.bi_link.is_file() and not layout.bi_link.is_symlink() else None
    log(f"publication {publication_id}: dbt run {info['run_id']}, quarters {info['first_quarter']} … "
        f"{info['last_quarter']}; current: {previous or 'none'}")
    step("protect", "disclosure control against every earlier vintage")
    checks = {"protection": protect(layout, publication_id)}
    step("audit", "the disclosure audit")
    checks["audit"] = audit(layout)
    folder = layout.run(publication_id)
    step("write_run", f"every file of the publication into runs/{publication_id}/")
    manifest, public = write_run(layout, folder, publication_id, previous, previous_bi, info, context, checks)
    step("sync", "fsync every file and folder of the run")
    sync_run(folder)
    step("mark_complete", f"runs/{publication_id}/{COMPLETE}")
    mark_complete(folder, publication_id)
    step("record_vintage", f"history/{publication_id}/ and history/index.json, before anything public switches")
    record_vintage(layout, publication_id, public["cells"], manifest["disclosure"])
    step("switch", f"current -> runs/{publication_id} (one rename)")
    replace_symlink(layout.current, f"runs/{publication_id}")
    step("link", "the fixed paths through current, where missing")
    ensure_links(layout)
    step("prune", "run folders neither current nor kept for make rollback")
    prune(layout)
    step("done", "published")
    log(f"published {publication_id} (dbt run {info['run_id']}) in {time.perf_counter() - started:.1f} s: "
        f"{layout.bi_link} and the other fixed paths now read runs/{publication_id}/; "
        f"{manifest['revisions']['changed_cells']} revised cells; previous: {previous or 'none'}"
        + (" (make rollback goes back to it)" if previous else ""))
    return 0


def rollback(args) -> int:
    layout = Layout()
    step("lock", "an exclusive lock on the publish folder for the whole rollback")
    acquire_lock(layout, "rollback", wait=not args.no_wait)
    step("recover", "what an interrupted publish or rollback left behind")
    if recover(layout):
        log(f"rolled back to {layout.current_id()} (the interrupted rollback is finished; nothing further "
            "was rolled back)")
        return 0
    current = layout.current_id()
    if current is None:
        earlier = " in this layout (the published files are of the layout before runs/)" \
            if layout.bi_link.is_file() and not layout.bi_link.is_symlink() else ""
        raise PublishError(f"rollback: nothing is published in {layout.folder}{earlier}; nothing to go back to")
    target = layout.manifest(current).get("previous")
    withdrawn = read_index(layout)["withdrawn"]
    if not target:
        raise PublishError(f"rollback: {current} is the first publication here; there is nothing to go back to "
                           "(nothing was changed)")
    if target in withdrawn:
        raise PublishError(f"rollback: the publication before {current} ({target}) was withdrawn; a withdrawn "
                           "publication never becomes current again (nothing was changed)")
    if not layout.is_complete(target):
        raise PublishError(f"rollback: the publication before {current} ({target}) is no longer kept (only the "
                           f"{KEEP_PREVIOUS} before the current one are); nothing to go back to (nothing was changed)")
    step("withdraw", f"mark {current} withdrawn in history/index.json (kept, still constraining)")
    index = read_index(layout)
    if current not in index["vintages"]:
        log(f"the vintage of {current} is not in the history (published before vintages were recorded)")
    index["withdrawn"][current] = {"withdrawn_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   "back_to": target}
    write_index(layout, index)
    step("switch", f"current -> runs/{target} (one rename)")
    replace_symlink(layout.current, f"runs/{target}")
    step("prune", "the withdrawn run folder and runs no longer kept")
    prune(layout)
    step("done", "rolled back")
    log(f"rolled back to {target}; {current} withdrawn: its vintage stays in {layout.history} and keeps "
        "constraining every later publication")
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
    return rollback(args) if args.rollback else publish(args)


if __name__ == "__main__":
    sys.exit(main())
