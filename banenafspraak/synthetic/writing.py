"""Writing the raw data generator's tables (raw.py): DuckDB formats the identifiers and
writes CSV or Parquet.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from banenafspraak.sql import sql_literal
from banenafspraak.synthetic.common import NA, TABLES, Progress, month_start
from banenafspraak.synthetic.faults import add_faults
from banenafspraak.synthetic.generator import Generator

# DuckDB's memory while writing an extract without faults: the payroll's sort spills to
# disk beyond it (DuckDB's default, 80 % of the machine, let the 1x national extract's
# writing peak at 8.4 GB)
MEMORY_LIMIT = "3GB"
ROW_GROUP = 122_880      # rows per Parquet row group of the payroll written by year (DuckDB's COPY default)


def to_date(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.int64)
    mask = values == NA
    arr = pa.array(values.astype(np.int32), type=pa.int32(), mask=mask)
    return arr.cast(pa.date32())


def write_payroll_by_year(con: duckdb.DuckDBPyConnection, query: str, payroll_rows, months: np.ndarray,
                          target: Path, progress: Progress) -> int:
    """The payroll, one year at a time, into one Parquet file: each year's rows ordered by
    employment and month, as the whole file was (one COPY ordered by year, employment,
    month), but only one year's rows formatted at a time. At four times the national
    register the whole payroll at once (100 M rows) did not fit beside the simulation in
    24 GB. Returns the rows written."""
    years = months.astype("datetime64[M]").astype("datetime64[Y]").astype(np.int64) + 1970
    written = 0
    writer = None
    try:
        for year in np.unique(years):
            con.register("payroll_np", payroll_rows(np.flatnonzero(years == year)))
            chunk = con.sql(f"select * from ({query}) order by employment_id, period_month").to_arrow_table()
            if writer is None:
                writer = pq.ParquetWriter(str(target), chunk.schema, compression="zstd")
            writer.write_table(chunk, row_group_size=ROW_GROUP)
            written += chunk.num_rows
            con.unregister("payroll_np")
            progress.step(f"payroll {year}: {chunk.num_rows:,} rows written")
        if writer is None:                           # no payroll at all: an empty file, typed
            con.register("payroll_np", payroll_rows(slice(0, 0)))
            con.execute(f"copy ({query}) to {sql_literal(target)} (format parquet, compression zstd)")
    finally:
        if writer is not None:
            writer.close()
    return written


def write(gen: Generator, out: Path, fmt: str, faults: bool, progress: Progress) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    P, S, R, Q, E, Y = gen.persons, gen.spells, gen.res, gen.req, gen.emp, gen.pay
    con.register("persons_np", pa.table({
        "pid": np.arange(P["n"]), "birth_date": to_date(P["birth"]), "gender": P["gender"],
        "date_of_death": to_date(P["death"]),
    }))
    con.register("residences_np", pa.table({
        "pid": R["person"], "gemeente_code": R["code"], "valid_from": to_date(R["from"]),
        "valid_until": to_date(R["until"]),
    }))
    con.register("spells_np", pa.table({
        "sid": np.arange(len(S["person"])), "pid": S["person"], "target_group": S["group"].astype(str),
        "valid_from": to_date(S["from"]), "valid_until": to_date(S["until"]),
        "inflow_reason": S["in"].astype(str), "outflow_reason": pa.array(list(S["out"]), type=pa.string()),
    }))
    con.register("requests_np", pa.table({
        "rid": np.arange(len(Q["person"])), "pid": Q["person"], "gemeente_code": Q["code"], "requester": Q["requester"],
        "request_date": to_date(Q["request"]), "decision": Q["decision"].astype(str),
        "decision_date": to_date(Q["decided"]), "advice_valid_until": to_date(Q["valid_until"]),
    }))
    def payroll_rows(rows: np.ndarray | slice) -> pa.Table:
        emp = Y["emp"][rows]
        return pa.table({
            "pid": E["person"][emp], "eid": emp.astype(np.int64), "wid": E["employer"][emp],
            "sector": E["sector"][emp], "month": to_date(month_start(Y["month"][rows])),
            "paid_hours": Y["hours"][rows], "contract_type": E["contract"][emp],
            "employment_kind": E["kind"][emp].astype(str), "employment_start": to_date(E["start"][emp]),
        })

    # by year (below) unless faults are added to the whole table
    by_year = not faults and fmt == "parquet"
    con.register("payroll_np", payroll_rows(slice(0, 0) if by_year else slice(None)))
    pid = "'P' || lpad(cast(pid + 1 as varchar), 7, '0')"
    queries = {
        "persons": f"""select {pid} as person_id, birth_date, gender, date_of_death
                        from persons_np order by pid""",
        "residences": f"""select {pid} as person_id, gemeente_code, valid_from, valid_until
                           from residences_np order by pid, valid_from, gemeente_code""",
        "register_spells": f"""select 'S' || cast(sid + 1 as varchar) as spell_id,
                                {pid} as person_id, target_group, valid_from, valid_until,
                                inflow_reason, outflow_reason
                               from spells_np order by sid""",
        "payroll": f"""select {pid} as person_id,
                        'E' || lpad(cast(eid + 1 as varchar), 8, '0') as employment_id,
                        'W' || lpad(cast(wid + 1 as varchar), 6, '0') as employer_id,
                        sector, month as period_month,
                        cast(paid_hours as decimal(12, 2)) as paid_hours,
                        contract_type, employment_kind, employment_start
                       from payroll_np""",
        "sheltered_work_requests": f"""select 'R' || lpad(cast(rid + 1 as varchar), 7, '0') as request_id,
                        {pid} as person_id, gemeente_code, requester, request_date,
                        decision, decision_date, advice_valid_until
                       from requests_np order by rid""",
    }
    counts = {}
    if faults:
        # the faults are added to the tables: each held in full first
        for table, sql in queries.items():
            con.execute(f"create or replace temp table out_{table} as {sql}")
        add_faults(con)
    else:
        # each table written straight from its query, with the spill files beside the output:
        # nothing held twice (at twice the national register, the payroll alone is 50 M rows)
        con.execute(f"set temp_directory = {sql_literal(str(out / '.generator_tmp'))}")
        con.execute(f"set memory_limit = {sql_literal(MEMORY_LIMIT)}")
        for table, sql in queries.items():
            con.execute(f"create or replace temp view out_{table} as {sql}")
    for table in TABLES:
        target = out / f"{table}.{fmt}"
        if table == "payroll" and by_year:
            counts[table] = write_payroll_by_year(con, queries["payroll"], payroll_rows, Y["month"], target,
                                                   progress)
        else:
            if fmt == "csv":
                copy = f"copy (select * from out_{table}) to {sql_literal(target)} (header, delimiter ',')"
            else:
                # payroll in blocks of one year (as yearly deliveries), each block by
                # employment and month: the row groups' min/max of period_month then
                # let an incremental refresh skip the years it keeps (README,
                # Performance), and rows of one employment stay together, which keeps
                # a full scan as fast as before at 1.5× the file size (month order
                # alone: 3× the size and a 50 % slower scan); the CSV seeds keep their order
                order = (" order by year(period_month), employment_id, period_month"
                         if table == "payroll" else "")
                copy = (f"copy (select * from out_{table}{order}) to {sql_literal(target)}"
                        " (format parquet, compression zstd)")
            counts[table] = con.execute(copy).fetchall()[0][0]    # COPY returns the rows written
        progress.step(f"wrote {target} ({counts[table]:,} rows)")
    return counts
