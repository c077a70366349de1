"""One publication, written whole into runs/<id>/ before it can become current: the BI
file, the Parquet set, the public figures, the views, the revision report and the
manifest; then fsynced and marked COMPLETE."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from banenafspraak.disclosure.vintages import read_index
from banenafspraak.publication.layout import COMPLETE, Layout
from banenafspraak.publication.revisions import revision_markdown, revisions
from banenafspraak.publication.steps import log
from banenafspraak.publication.storage import file_md5, fsync_path, write_durably
from banenafspraak.registry import ensure_artifacts, fact_grains, load_artifacts, measure_dictionary
from banenafspraak.sql import sql_literal, table_names

STORAGE_VERSION = "v1.0.0"          # DuckDB 1.x readers (BI connectors) open this
PUBLIC_AUDIT = ["reconciliation", "run_log"]


def write_bi_file(layout: Layout, target: Path, publication_id: str) -> dict:
    """The BI file: marts and the public audit tables only; publication_info gains the
    publication id. Returns row counts."""
    counts = {}
    con = duckdb.connect()
    try:
        con.execute(f"attach {sql_literal(layout.warehouse)} as build (read_only)")
        con.execute(f"attach {sql_literal(target)} as bi (storage_version '{STORAGE_VERSION}')")
        for schema, tables in (("marts", table_names(con, "build", "marts")), ("audit", PUBLIC_AUDIT)):
            con.execute(f"create schema bi.{schema}")
            for table in tables:
                extra = f", {sql_literal(publication_id)} as publication_id" \
                    if (schema, table) == ("marts", "publication_info") else ""
                con.execute(f"create table bi.{schema}.{table} as select *{extra} from build.{schema}.{table}")
                counts[f"{schema}.{table}"] = con.execute(f"select count(*) from bi.{schema}.{table}").fetchall()[0][0]
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
        marts = table_names(con, "bi", "marts")
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


MEASURE_COLUMNS = ("period_type", "measure", "metric", "label", "description", "value_kind")


def write_measures(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """publication.measures in the attached public file: what each measure of
    publication.figures is (Dutch label, English description, value kind), from the
    measure registry in dbt's artefacts. A measure of the figures without an entry stops
    the publication, naming it."""
    ensure_artifacts(target)
    entries = measure_dictionary(*load_artifacts(target))
    con.execute("create table public.publication.measures (period_type varchar, measure varchar, "
                "metric varchar, label varchar, description varchar, value_kind varchar)")
    con.executemany("insert into public.publication.measures values (?, ?, ?, ?, ?, ?)",
                    [[entry[column] for column in MEASURE_COLUMNS] for entry in entries])
    missing = con.execute("""
        select distinct f.period_type, f.measure from public.publication.figures as f
        anti join public.publication.measures as m using (period_type, measure)
        order by all""").fetchall()
    if missing:
        raise RuntimeError("publication.figures has measures the registry does not describe: "
                           + ", ".join(f"{measure} ({period_type})" for period_type, measure in missing))


def write_public(layout: Layout, folder: Path, run_id: str, publication_id: str) -> dict:
    """publication.figures (with the publication id) and publication.measures (what each
    measure is) as public.duckdb, the figures also as figures.parquet; and the cells for
    the vintage (exact values: kept out of the run)."""
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
        rows = con.execute("select count(*) from public.publication.figures").fetchall()[0][0]
        write_measures(con, layout.target)
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
    report = revisions(previous_bi, bi_file, info["last_quarter"], fact_grains(layout.target))
    (folder / "revisions.json").write_text(json.dumps(report, indent=2, default=str))
    (folder / "revisions.md").write_text(
        revision_markdown(publication_id, info, report, public, checks["protection"]))
    files = {str(path.relative_to(folder)): file_md5(path) for path in sorted(folder.rglob("*")) if path.is_file()}
    manifest = {
        "publication_id": publication_id, "run_id": run_id, "previous": previous,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
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
                         "completed_at": datetime.now(UTC).isoformat(timespec="seconds")})
    write_durably(folder / COMPLETE, marker.encode())


def new_publication_id(layout: Layout, run_id: str) -> str:
    """`<UTC time>-<dbt run id, 8 characters>`, numbered on when taken (the lock is held)."""
    base = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{re.sub(r'[^A-Za-z0-9]', '', run_id)[:8] or 'run'}"
    taken = {p.name for p in layout.runs.iterdir()} | set(read_index(layout.history)["vintages"]) | \
        ({p.name for p in layout.history.iterdir()} if layout.history.exists() else set())
    publication_id, number = base, 1
    while publication_id in taken:
        number += 1
        publication_id = f"{base}-{number}"
    return publication_id
