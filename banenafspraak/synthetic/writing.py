"""Writing the raw data generator's tables (raw.py): DuckDB formats the identifiers and
writes CSV or Parquet.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from banenafspraak.sql import sql_literal
from banenafspraak.synthetic.common import NA, TABLES, Progress, month_start
from banenafspraak.synthetic.faults import add_faults
from banenafspraak.synthetic.generator import Generator


# DuckDB's memory while writing an extract without faults: the payroll's sort spills to
# disk beyond it (DuckDB's default, 80 % of the machine, let the 1x national extract's
# writing peak at 8.4 GB)
MEMORY_LIMIT = "3GB"


def to_date(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.int64)
    mask = values == NA
    arr = pa.array(values.astype(np.int32), type=pa.int32(), mask=mask)
    return arr.cast(pa.date32())


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
    emp = Y["emp"]
    con.register("payroll_np", pa.table({
        "pid": E["person"][emp], "eid": emp.astype(np.int64), "wid": E["employer"][emp],
        "sector": E["sector"][emp], "month": to_date(month_start(Y["month"])),
        "paid_hours": Y["hours"], "contract_type": E["contract"][emp],
        "employment_kind": E["kind"][emp].astype(str), "employment_start": to_date(E["start"][emp]),
    }))
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
        if fmt == "csv":
            written = con.execute(f"copy (select * from out_{table}) to {sql_literal(target)} (header, delimiter ',')")
        else:
            # payroll in blocks of one year (as yearly deliveries), each block by
            # employment and month: the row groups' min/max of period_month then
            # let an incremental refresh skip the years it keeps (README,
            # Performance), and rows of one employment stay together, which keeps
            # a full scan as fast as before at 1.5× the file size (month order
            # alone: 3× the size and a 50 % slower scan); the CSV seeds keep their order
            order = (" order by year(period_month), employment_id, period_month"
                     if table == "payroll" else "")
            written = con.execute(f"copy (select * from out_{table}{order}) to {sql_literal(target)}"
                                  " (format parquet, compression zstd)")
        counts[table] = written.fetchall()[0][0]                 # COPY returns the rows written
        progress.step(f"wrote {target} ({counts[table]:,} rows)")
    return counts
