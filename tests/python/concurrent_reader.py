"""A BI reader for the concurrency test: connects to the published figures again and
again (a new connection each time, through duckdb, SQLAlchemy with duckdb_engine, and
the Parquet set) until a stop file appears, and checks on every read that what it
sees is one complete version: the flow balance holds, the flows agree with the
register stock, and every Parquet file of the set carries the same publication id
as its publication_info.

Usage: concurrent_reader.py PUBLISH_FOLDER STOP_FILE RESULT_JSON
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import sqlalchemy
from sqlalchemy.pool import NullPool

UNBALANCED = """
select count(*) from marts.fct_register_flows_quarter
where registered_end <> registered_start + inflow - outflow + moved_in - moved_out + group_in - group_out
   or working_end <> working_start + found_work - lost_work + inflow_working - outflow_working
                     + moved_in_working - moved_out_working + group_in_working - group_out_working
"""
MISMATCHED = """
select count(*) from (
    select quarter_label, sum(registered_end) as flows_stock from marts.fct_register_flows_quarter group by 1
) as flows
inner join (
    select quarter_label, sum(persons_registered) as stock from marts.fct_register_quarter group by 1
) as register using (quarter_label)
where flows.flows_stock <> register.stock
"""


def read_duckdb(published: Path) -> tuple[str, int, int]:
    with duckdb.connect(str(published), read_only=True) as con:
        publication_id = con.execute("select publication_id from marts.publication_info").fetchone()[0]
        return publication_id, con.execute(UNBALANCED).fetchone()[0], con.execute(MISMATCHED).fetchone()[0]


def read_sqlalchemy(published: Path) -> tuple[str, int, int]:
    engine = sqlalchemy.create_engine(f"duckdb:///{published}", connect_args={"read_only": True},
                                      poolclass=NullPool)
    try:
        with engine.connect() as connection:
            publication_id = connection.execute(
                sqlalchemy.text("select publication_id from marts.publication_info")).scalar()
            return (publication_id, connection.execute(sqlalchemy.text(UNBALANCED)).scalar(),
                    connection.execute(sqlalchemy.text(MISMATCHED)).scalar())
    finally:
        engine.dispose()


def read_parquet(folder: Path) -> tuple[str, int, int]:
    current = Path(os.path.realpath(folder / "parquet" / "current"))  # resolve once: one version
    with duckdb.connect() as con:
        con.execute("create schema marts")
        for file in current.glob("*.parquet"):
            con.execute(f"create view marts.{file.stem} as select * from read_parquet('{file}')")
        publication_ids = {row[0] for row in con.execute(
            f"select value from parquet_kv_metadata('{current}/*.parquet') where key = 'publication_id'").fetchall()}
        if len(publication_ids) != 1:
            return "MIXED:" + ",".join(sorted(str(r) for r in publication_ids)), 0, 0
        publication_id = publication_ids.pop()
        publication_id = publication_id.decode() if isinstance(publication_id, bytes) else publication_id
        if con.execute("select publication_id from marts.publication_info").fetchone()[0] != publication_id:
            return "MIXED:publication_info", 0, 0
        return publication_id, con.execute(UNBALANCED).fetchone()[0], con.execute(MISMATCHED).fetchone()[0]


def main() -> int:
    folder, stop, result = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    published = folder / "warehouse.duckdb"
    routes = [("duckdb", lambda: read_duckdb(published)), ("sqlalchemy", lambda: read_sqlalchemy(published)),
              ("parquet", lambda: read_parquet(folder))]
    reads, errors, mixed, unbalanced = Counter(), [], 0, 0
    versions = Counter()
    turn = 0
    while not stop.exists():
        name, read = routes[turn % len(routes)]
        turn += 1
        try:
            publication_id, bad_rows, mismatched = read()
        except Exception as error:  # a reader error is a failure of the publication
            errors.append(f"{name}: {type(error).__name__}: {error}"[:300])
            continue
        reads[name] += 1
        if publication_id.startswith("MIXED"):
            mixed += 1
            continue
        versions[publication_id] += 1
        if bad_rows or mismatched:
            unbalanced += 1
        time.sleep(0.01)
    result.write_text(json.dumps({"reads": dict(reads), "errors": errors, "mixed": mixed,
                                  "unbalanced": unbalanced, "versions": dict(versions)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
