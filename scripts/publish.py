#!/usr/bin/env python3
"""Publish the marts for BI tools: one complete, tested version replaces the previous
one in a single step, and readers never see an error or a mix of two versions.

`make publish` (this script):
  1. refreshes the build warehouse (`dbt build`: incremental where the models are,
     every test) and stops, touching nothing published, when a model or test fails
     (the failing nodes first);
  2. writes the BI file fresh into a temporary file next to the published one: only
     what BI users may see (schema `marts` with `marts.publication_info`,
     `audit.reconciliation` and `audit.run_log`; never staging, intermediate,
     quarantine or any person-level relation), in a storage format DuckDB 1.x
     readers open (storage_version v1.0.0), checkpointed and closed;
  3. exports every mart as Parquet into publish/parquet/<run_id>/ (each file
     carries the run id in its metadata) and writes publish/marts.sql, views over
     publish/parquet/current;
  4. writes a revision report against the previous publication (which cells of
     already published quarters changed, by how much; the newest quarter is
     provisional) and publish/manifest.json;
  5. switches: keeps the published file as *.previous.duckdb (a hard link), renames
     the new file over the published one (atomic), points the `current` symlink at
     the new Parquet folder (atomic), prunes older Parquet versions.
  Before any of this, the public figures are protected and audited (scripts/disclosure.py,
  scripts/disclosure_audit.py): `publication.figures` in the build warehouse, with small
  cells and enough partners suppressed; a publication that fails the audit is not
  published, and nothing published changes. With the switch, publish/public/public.duckdb
  (schema `publication` only) and publish/public/figures.parquet are replaced the same
  way, and the vintage is recorded in publish/history/<run_id>/ (internal: it holds
  exact values, for the next vintage's suppression and audit).
A reader that has the old file open keeps reading the old version to the end of its
query; the next connection gets the new one.

`make rollback` (`--rollback`): the previous version back in one step (DuckDB file,
Parquet `current`, manifest, public files); the rolled-back vintage leaves the history.

Settings: PUBLISH_PATH (the published DuckDB file, default publish/warehouse.duckdb;
the other published files go next to it), WAREHOUSE_PATH (the build warehouse),
--vars (dbt vars as YAML/JSON, e.g. '{raw_path: /data/2024q4}'), --full-refresh.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
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

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STORAGE_VERSION = "v1.0.0"          # DuckDB 1.x readers (BI connectors) open this
PUBLIC_AUDIT = ["reconciliation", "run_log"]
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


class PublishError(SystemExit):
    pass


def paths() -> dict[str, Path]:
    published = Path(os.environ.get("PUBLISH_PATH", ROOT / "publish" / "warehouse.duckdb")).resolve()
    folder = published.parent
    return {
        "published": published,
        "previous": published.with_name(published.stem + ".previous.duckdb"),
        "folder": folder,
        "parquet": folder / "parquet",
        "current": folder / "parquet" / "current",
        "manifest": folder / "manifest.json",
        "manifest_previous": folder / "manifest.previous.json",
        "revisions": folder / "revisions",
        "views": folder / "marts.sql",
        "public": folder / "public",
        "history": folder / "history",
        "warehouse": Path(os.environ.get("WAREHOUSE_PATH", ROOT / "warehouse.duckdb")).resolve(),
    }


def build(args, p: dict) -> None:
    command = [str(BIN / "dbt"), "build"]
    if args.vars:
        command += ["--vars", args.vars]
    if args.full_refresh:
        command.append("--full-refresh")
    log(f"refreshing the build warehouse {p['warehouse']}: {' '.join(command[1:])}")
    env = {**os.environ, "WAREHOUSE_PATH": str(p["warehouse"]), "DBT_PROFILES_DIR": str(ROOT)}
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
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


def relations(con, schema: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_catalog = 'build' "
        "and table_schema = ? order by table_name", [schema]).fetchall()]


def write_bi_file(p: dict, target: Path) -> dict:
    """The BI file: marts and the public audit tables only. Returns row counts."""
    target.unlink(missing_ok=True)
    counts = {}
    con = duckdb.connect()
    try:
        con.execute(f"attach '{p['warehouse']}' as build (read_only)")
        con.execute(f"attach '{target}' as bi (storage_version '{STORAGE_VERSION}')")
        for schema, tables in (("marts", relations(con, "marts")), ("audit", PUBLIC_AUDIT)):
            con.execute(f"create schema bi.{schema}")
            for table in tables:
                con.execute(f"create table bi.{schema}.{table} as select * from build.{schema}.{table}")
                counts[f"{schema}.{table}"] = con.execute(f"select count(*) from bi.{schema}.{table}").fetchone()[0]
        con.execute("checkpoint bi")
        con.execute("detach bi")
    finally:
        con.close()
    return counts


def export_parquet(p: dict, run_id: str) -> Path:
    folder = p["parquet"] / run_id
    staging = p["parquet"] / f".{run_id}.incomplete"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(f"attach '{p['warehouse']}' as build (read_only)")
        for mart in relations(con, "marts"):
            con.execute(f"copy (select * from build.marts.{mart}) to '{staging / (mart + '.parquet')}' "
                        f"(format parquet, compression zstd, kv_metadata {{run_id: '{run_id}'}})")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(staging, folder)  # a new name: the folder appears complete
    return folder


def write_views(p: dict, marts: list[str]) -> None:
    lines = ["-- Every published mart as a view over the current Parquet set.",
             "-- Paths are relative to this folder (DuckDB resolves them against the working",
             "-- directory): open it from here, e.g.  cd publish && duckdb -readonly -init marts.sql",
             "create schema if not exists marts;"]
    lines += [f"create or replace view marts.{m} as select * from read_parquet('parquet/current/{m}.parquet');"
              for m in marts]
    temporary = p["views"].with_suffix(".sql.tmp")
    temporary.write_text("\n".join(lines) + "\n")
    os.replace(temporary, p["views"])


def revisions(previous_file: Path, new_file: Path, newest_quarter: str) -> dict:
    """Cells of quarters published before whose value changed, per fact mart."""
    report = {"provisional_quarter": newest_quarter, "changed_cells": [], "summary": {}}
    if not previous_file.exists():
        report["note"] = "first publication: nothing to compare"
        return report
    with duckdb.connect() as con:
        con.execute(f"attach '{previous_file}' as old (read_only)")
        con.execute(f"attach '{new_file}' as new (read_only)")
        old_quarters = {q for (q,) in con.execute("select quarter_label from old.marts.dim_quarter").fetchall()}
        old_marts = {t for (t,) in con.execute("select table_name from information_schema.tables where "
                                               "table_catalog = 'old' and table_schema = 'marts'").fetchall()}
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
                      and o.{column} is distinct from n.{column}""").fetchall()
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


def protect_and_audit(p: dict) -> dict:
    """Disclosure control on the build warehouse, then the audit; stops the publication on failure."""
    log("protecting the public figures (primary and secondary suppression) …")
    # DISCLOSURE_MUTANT=1 is the tests' mutant (no secondary suppression, earlier vintages
    # forgotten): the audit must then stop the publication
    mutant = os.environ.get("DISCLOSURE_MUTANT") == "1"
    protection = disclosure.run(p["warehouse"], p["history"], secondary=not mutant, use_history=not mutant)
    log("auditing the public figures by linear programming …")
    audit_json = p["folder"] / f".audit.{protection['run_id']}.json"
    code = disclosure_audit.main(["--warehouse", str(p["warehouse"]), "--history", str(p["history"]),
                                  "--json", str(audit_json)])
    audit = json.loads(audit_json.read_text()) if audit_json.exists() else {}
    audit_json.unlink(missing_ok=True)
    if code != 0:
        raise PublishError("publish: the disclosure audit failed (cells listed above); nothing was published")
    return {"protection": protection, "audit": audit}


def write_public(p: dict, run_id: str) -> dict:
    """publication.figures as public.duckdb (schema publication only) and figures.parquet, in temporary files."""
    p["public"].mkdir(parents=True, exist_ok=True)
    database = p["public"] / f".public.{run_id}.tmp.duckdb"
    parquet = p["public"] / f".figures.{run_id}.tmp.parquet"
    database.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute(f"attach '{p['warehouse']}' as build (read_only)")
        con.execute(f"attach '{database}' as public (storage_version '{STORAGE_VERSION}')")
        con.execute("create schema public.publication")
        con.execute("create table public.publication.figures as select * from build.publication.figures "
                    "order by period_type, period, region_code, target_group, breakdown, measure")
        rows = con.execute("select count(*) from public.publication.figures").fetchone()[0]
        con.execute(f"copy (select * from public.publication.figures) to '{parquet}' "
                    f"(format parquet, compression zstd, kv_metadata {{run_id: '{run_id}'}})")
        con.execute("checkpoint public")
        con.execute("detach public")
        cells = con.execute("""
            select d.period_type, d.period, d.region_code, d.target_group, d.breakdown, d.measure,
                   cast(d.exact_value as double) as exact_value, f.status, d.suppression
            from build.audit.disclosure_cells as d
            inner join build.publication.figures as f
                using (period_type, period, region_code, target_group, breakdown, measure)""").df()
        revised = con.execute("""
            select period, region_code, target_group, breakdown, measure, cast(exact_value as double)
            from build.audit.disclosure_cells where revised_below_threshold order by all""").fetchall()
    return {"database": database, "parquet": parquet, "rows": rows, "cells": cells, "revised_below": revised}


def record_vintage(p: dict, run_id: str, cells, summary: dict) -> None:
    folder = p["history"] / run_id
    folder.mkdir(parents=True, exist_ok=True)
    cells.to_parquet(folder / "cells.parquet", index=False)
    (folder / "disclosure.json").write_text(json.dumps(summary, indent=2, default=str))
    order = [v for v in disclosure.vintages(p["history"]) if v != run_id] + [run_id]
    temporary = p["history"] / "index.json.tmp"
    temporary.write_text(json.dumps({"vintages": order}, indent=2))
    os.replace(temporary, p["history"] / "index.json")


def switch_public(p: dict, public: dict) -> None:
    for new, name in ((public["database"], "public.duckdb"), (public["parquet"], "figures.parquet")):
        current = p["public"] / name
        if current.exists():
            previous = current.with_name(current.stem + ".previous" + current.suffix)
            link = previous.with_name(previous.name + ".tmp")
            link.unlink(missing_ok=True)
            os.link(current, link)
            os.replace(link, previous)
        os.replace(new, current)


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def publish(args) -> int:
    p = paths()
    p["folder"].mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if not args.skip_build:
        build(args, p)
    with duckdb.connect(str(p["warehouse"]), read_only=True) as con:
        info = dict(zip([d[0] for d in con.execute("select * from marts.publication_info").description],
                        con.execute("select * from marts.publication_info").fetchone()))
        run_log = con.execute("select raw_inputs from audit.run_log where run_id = ?", [info["run_id"]]).fetchone()
        duckdb_version = con.execute("select library_version from pragma_version()").fetchone()[0]
    run_id = info["run_id"]
    log(f"run {run_id}: quarters {info['first_quarter']} … {info['last_quarter']}")
    disclosure_summary = protect_and_audit(p)
    public = write_public(p, run_id)
    temporary = p["published"].with_name(f".{p['published'].stem}.{run_id}.tmp.duckdb")
    counts = write_bi_file(p, temporary)
    log(f"BI file written ({len(counts)} relations, storage {STORAGE_VERSION}); exporting Parquet …")
    folder = export_parquet(p, run_id)
    report = revisions(p["published"], temporary, info["last_quarter"])
    p["revisions"].mkdir(exist_ok=True)
    (p["revisions"] / f"{run_id}.json").write_text(json.dumps(report, indent=2, default=str))
    summary = ", ".join(f"{k}: {v}" for k, v in report["summary"].items()) or "none"
    (p["revisions"] / f"{run_id}.md").write_text(
        f"# Revisions in publication {run_id}\n\nNewest quarter {info['last_quarter']} is provisional.\n\n"
        f"Changed cells of quarters published before: {len(report['changed_cells'])} ({summary}).\n\n"
        + "\n".join(f"- {c['mart']} {c.get('quarter_label')} {c.get('region_code')} {c.get('target_group', '')} "
                    f"{c['measure']}: {c['old']} → {c['new']} ({c['change']:+})" for c in report["changed_cells"][:500])
        + "\n"
        + f"\n## Disclosure control\n\n{public['rows']} public cells; "
        f"{disclosure_summary['protection']['primary']} primary and "
        f"{disclosure_summary['protection']['secondary']} secondary suppressed. "
        f"Published before and now below the threshold, so suppressed from this vintage on: "
        f"{len(public['revised_below'])}.\n\n"
        + "\n".join(f"- {r[0]} {r[1]} {r[2]} {r[3]} {r[4]}" for r in public["revised_below"][:500]) + "\n")
    manifest = {
        "run_id": run_id, "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "built_at": str(info["built_at"]), "quarters": {"first": info["first_quarter"], "last": info["last_quarter"],
                                                        "provisional": info["last_quarter"]},
        "inputs": json.loads(run_log[0]) if run_log and run_log[0] else [],
        "row_counts": counts, "dbt_version": info["dbt_version"], "duckdb_version": duckdb_version,
        "storage_version": STORAGE_VERSION, "parquet": str(folder.relative_to(p["folder"])),
        "revisions": {"changed_cells": len(report["changed_cells"]), "report": f"revisions/{run_id}.md"},
        "disclosure": {**disclosure_summary["protection"],
                       "audit": {k: disclosure_summary["audit"].get(k) for k in
                                 ("passed", "cells_checked", "narrowest_interval", "seconds")},
                       "revised_below_threshold_cells": [list(r[:5]) for r in public["revised_below"]]},
        "public": {"database": "public/public.duckdb", "parquet": "public/figures.parquet", "rows": public["rows"]},
    }
    # the switch: previous kept, new file renamed over the published one, Parquet and manifest follow
    if p["published"].exists():
        link = p["previous"].with_suffix(".duckdb.tmp")
        link.unlink(missing_ok=True)
        os.link(p["published"], link)
        os.replace(link, p["previous"])
    os.replace(temporary, p["published"])
    switch_public(p, public)
    record_vintage(p, run_id, public["cells"], manifest["disclosure"])
    previous_parquet = os.readlink(p["current"]) if p["current"].is_symlink() else None
    pointer = p["parquet"] / ".current.tmp"
    pointer.unlink(missing_ok=True)
    os.symlink(run_id, pointer)
    os.replace(pointer, p["current"])
    write_views(p, [name for name in sorted(k.split(".")[1] for k in counts if k.startswith("marts."))])
    if p["manifest"].exists():
        shutil.copyfile(p["manifest"], p["manifest_previous"])
    manifest["previous_parquet"] = previous_parquet
    temporary_manifest = p["manifest"].with_suffix(".json.tmp")
    temporary_manifest.write_text(json.dumps(manifest, indent=2, default=str))
    os.replace(temporary_manifest, p["manifest"])
    manifest["published_md5"] = file_md5(p["published"])
    keep = {run_id, previous_parquet}
    for old in p["parquet"].iterdir():
        if old.is_dir() and not old.is_symlink() and old.name not in keep:
            shutil.rmtree(old)
    log(f"published {p['published']} (run {run_id}) in {time.perf_counter() - started:.1f} s; "
        f"{len(report['changed_cells'])} revised cells; previous kept for `make rollback`")
    return 0


def rollback() -> int:
    p = paths()
    if not p["previous"].exists() or not p["manifest_previous"].exists():
        raise PublishError("rollback: there is no previous publication to go back to")
    previous_manifest = json.loads(p["manifest_previous"].read_text())
    target_run = previous_manifest["run_id"]
    if not (p["parquet"] / target_run).is_dir():
        raise PublishError(f"rollback: the Parquet set of run {target_run} is gone")
    rolled_back = json.loads(p["manifest"].read_text())["run_id"] if p["manifest"].exists() else None
    os.replace(p["previous"], p["published"])
    pointer = p["parquet"] / ".current.tmp"
    pointer.unlink(missing_ok=True)
    os.symlink(target_run, pointer)
    os.replace(pointer, p["current"])
    os.replace(p["manifest_previous"], p["manifest"])
    for name in ("public.duckdb", "figures.parquet"):
        current = p["public"] / name
        previous = current.with_name(current.stem + ".previous" + current.suffix)
        if previous.exists():
            os.replace(previous, current)
    if rolled_back and rolled_back != target_run:
        shutil.rmtree(p["parquet"] / rolled_back, ignore_errors=True)
        order = [v for v in disclosure.vintages(p["history"]) if v != rolled_back]
        if (p["history"] / "index.json").exists():
            temporary = p["history"] / "index.json.tmp"
            temporary.write_text(json.dumps({"vintages": order}, indent=2))
            os.replace(temporary, p["history"] / "index.json")
        shutil.rmtree(p["history"] / rolled_back, ignore_errors=True)
    log(f"rolled back to run {target_run} (run {rolled_back} withdrawn)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vars", help="dbt vars for the build, e.g. '{raw_path: /data/2024q4}'")
    parser.add_argument("--full-refresh", action="store_true")
    parser.add_argument("--skip-build", action="store_true", help="publish the build warehouse as it is")
    parser.add_argument("--rollback", action="store_true", help="go back to the previous publication")
    args = parser.parse_args(argv)
    return rollback() if args.rollback else publish(args)


if __name__ == "__main__":
    sys.exit(main())
