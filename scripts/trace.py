#!/usr/bin/env python3
"""Figure-to-rows trace, for auditors: the persons and raw rows behind one published cell.

Given a mart, a quarter, a region (and a target group, measure, direction/reason
where the mart has them), lists the persons who make up the cell and their
accepted raw rows (register spells, the residence on the peildatum, payroll rows
of the quarter, beschut werk requests), and checks that they add up to the
published value. It reads the intermediate models the marts are built from, so
the rules are not implemented a second time.

The result holds person-level data: it is written only to --out (default
audit_traces/, outside every published folder) with owner-only permissions, and
every trace is recorded in audit.run_log (who, which cell, when, the outcome).

Usage:
  scripts/trace.py --mart fct_register_quarter --quarter 2022Q3 --region AM02 \\
                   --target-group wajong --measure persons_working
  scripts/trace.py --mart fct_register_flows_quarter --quarter 2022Q3 --region AM01 \\
                   --target-group wiw_id --measure moved_in
  scripts/trace.py --mart fct_register_flow_reasons_quarter --quarter 2022Q4 --region AM35 \\
                   --target-group wajong --direction inflow --reason group_change
  scripts/trace.py --mart fct_sheltered_work_quarter --quarter 2022Q3 --region AM02 \\
                   --measure valid_positive_advices
Exit status 0 when the rows add up to the published value, 1 when not.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
PQ = "intermediate.int_register_person_quarters"
TR = "intermediate.int_register_transitions"
START = "t.is_registered_start and t.region_code_start = $region and t.target_group_start = $group"
END = "t.is_registered_end and t.region_code_end = $region and t.target_group_end = $group"
# Which transitions make up each column of fct_register_flows_quarter (the cell a
# flow counts in: leaving flows where the person was, entering flows where the person is).
FLOW_CELLS = {
    "registered_start": START,
    "inflow": f"t.transition_type = 'inflow' and {END}",
    "outflow": f"t.transition_type = 'outflow' and {START}",
    "moved_in": f"t.transition_type = 'move' and {END}",
    "moved_out": f"t.transition_type = 'move' and {START}",
    "group_in": f"t.transition_type = 'group_change' and {END}",
    "group_out": f"t.transition_type = 'group_change' and {START}",
    "registered_end": END,
    "working_start": f"t.is_working_start and {START}",
    "found_work": f"t.is_registered_start and not t.is_working_start and t.is_working_end and {END}",
    "lost_work": f"t.is_registered_start and t.is_working_start and not t.is_working_end and {END}",
    "inflow_working": f"t.transition_type = 'inflow' and t.is_working_end and {END}",
    "outflow_working": f"t.transition_type = 'outflow' and t.is_working_start and {START}",
    "moved_in_working": f"t.transition_type = 'move' and t.is_working_start and {END}",
    "moved_out_working": f"t.transition_type = 'move' and t.is_working_start and {START}",
    "group_in_working": f"t.transition_type = 'group_change' and t.is_working_start and {END}",
    "group_out_working": f"t.transition_type = 'group_change' and t.is_working_start and {START}",
    "working_end": f"t.is_working_end and {END}",
}
REGISTER_PERSONS = {
    "persons_registered": "true",
    "persons_working": "pq.is_working",
    "persons_not_working": "not pq.is_working",
}
REGISTER_HOURS = {  # measure -> (sector of the payroll rows or None for all, in jobs?)
    "paid_hours": (None, False),
    "jobs": (None, True),
    "jobs_market": ("market", True),
    "jobs_government": ("government", True),
}


@dataclass
class Trace:
    cell: dict
    published: Decimal | int | None
    computed: Decimal | int
    persons: list[dict] = field(default_factory=list)
    raw_rows: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def adds_up(self) -> bool:
        if self.published is None:
            return self.computed == 0
        return abs(Decimal(str(self.computed)) - Decimal(str(self.published))) <= Decimal("0.000001")


def rows(con, sql: str, params: dict) -> list[dict]:
    used = set(re.findall(r"\$(\w+)", sql))
    cursor = con.execute(sql, {k: v for k, v in params.items() if k in used})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def quarter(con, label: str) -> dict:
    found = rows(con, "select * from intermediate.int_quarters_reported where quarter_label = $label",
                 {"label": label})
    if not found:
        raise SystemExit(f"trace: quarter {label} is not a reported quarter")
    return found[0]


def published_value(con, mart: str, measure: str, where: dict):
    condition = " and ".join(f"{k} = ${k}" for k in where)
    found = rows(con, f"select {measure} as value from marts.{mart} where {condition}", where)
    return found[0]["value"] if found else None


def raw_rows_of(con, person_ids: list[str], q: dict, with_payroll: bool, kinds=("regular",)) -> dict:
    if not person_ids:
        return {}
    params = {"persons": person_ids, "q": q["quarter_index"], "start": q["quarter_start_date"],
              "end": q["quarter_end_date"]}
    result = {
        "register_spells": rows(con, "select * from intermediate.int_register_spells__accepted "
                                     "where list_contains($persons, person_id) order by person_id, valid_from", params),
        "residences_on_peildatum": rows(con, "select r.* from intermediate.int_residences__accepted as r "
                                             "where list_contains($persons, r.person_id) and r.valid_from <= $end "
                                             "and (r.valid_until is null or r.valid_until > $end) "
                                             "order by r.person_id, r.valid_from", params),
    }
    if with_payroll:
        params["kinds"] = list(kinds)
        # accepted payroll rows: passing the row rules, known person; an exact copy counts once
        result["payroll"] = rows(con, "select person_id, employment_id, employer_id, sector, period_month, "
                                      "paid_hours, contract_type, employment_kind, employment_start, "
                                      "count(*) - 1 as extra_copies_quarantined "
                                      "from intermediate.int_payroll__checked where row_rule is null "
                                      "and not is_unknown_person and list_contains($persons, person_id) "
                                      "and period_month between $start and $end "
                                      "and list_contains($kinds, employment_kind) group by all "
                                      "order by person_id, employment_id, period_month, paid_hours", params)
    return result


def trace_cell(con, mart: str, quarter_label: str, region: str, target_group: str | None = None,
               measure: str | None = None, direction: str | None = None, reason: str | None = None) -> Trace:
    q = quarter(con, quarter_label)
    cell = {"mart": mart, "quarter_label": quarter_label, "region_code": region}
    params = {"q": q["quarter_index"], "region": region, "group": target_group}
    hours_per_job = Decimal(str(con.execute(
        "select 3 * cast(json_extract_string(vars_used, '$.paid_hours_per_job_month') as decimal(18, 4)) "
        "from marts.publication_info").fetchone()[0]))

    if mart == "fct_register_quarter":
        measure = measure or "persons_registered"
        cell.update(target_group=target_group, measure=measure)
        key = {"quarter_label": quarter_label, "region_code": region, "target_group": target_group}
        persons = rows(con, f"select pq.* from {PQ} as pq where pq.quarter_index = $q and pq.region_code = $region "
                            f"and pq.target_group = $group order by pq.person_id", params)
        if measure in REGISTER_PERSONS:
            keep = {p["person_id"] for p in rows(con, f"select pq.person_id from {PQ} as pq where pq.quarter_index = $q "
                                                      f"and pq.region_code = $region and pq.target_group = $group "
                                                      f"and {REGISTER_PERSONS[measure]}", params)}
            persons = [p for p in persons if p["person_id"] in keep]
            raw = raw_rows_of(con, [p["person_id"] for p in persons], q, with_payroll=True)
            computed = len(persons)
        elif measure in REGISTER_HOURS:
            sector, as_jobs = REGISTER_HOURS[measure]
            raw = raw_rows_of(con, [p["person_id"] for p in persons], q, with_payroll=True)
            payroll = [y for y in raw.get("payroll", []) if sector is None or y["sector"] == sector]
            raw["payroll"] = payroll
            hours = sum((Decimal(str(y["paid_hours"])) for y in payroll), Decimal(0))
            computed = (hours / hours_per_job).quantize(Decimal("0.000001")) if as_jobs else hours
            persons = [p for p in persons if any(y["person_id"] == p["person_id"] for y in payroll)]
        else:
            raise SystemExit(f"trace: {mart} has no measure {measure}")
        return Trace(cell, published_value(con, mart, measure, key), computed, persons, raw)

    if mart == "fct_register_flows_quarter":
        if measure not in FLOW_CELLS:
            raise SystemExit(f"trace: choose --measure from {', '.join(FLOW_CELLS)}")
        cell.update(target_group=target_group, measure=measure)
        persons = rows(con, f"select t.* from {TR} as t where t.quarter_index = $q and {FLOW_CELLS[measure]} "
                            f"order by t.person_id", params)
        raw = raw_rows_of(con, [p["person_id"] for p in persons], q, with_payroll=True)
        key = {"quarter_label": quarter_label, "region_code": region, "target_group": target_group}
        return Trace(cell, published_value(con, mart, measure, key), len(persons), persons, raw)

    if mart == "fct_register_flow_reasons_quarter":
        if direction not in ("inflow", "outflow") or not reason:
            raise SystemExit("trace: fct_register_flow_reasons_quarter needs --direction and --reason")
        cell.update(target_group=target_group, direction=direction, reason=reason, measure="persons")
        side = END if direction == "inflow" else START
        params["reason"] = reason
        persons = rows(con, f"select t.* from {TR} as t where t.quarter_index = $q and t.transition_type = "
                            f"'{direction}' and t.flow_reason = $reason and {side} order by t.person_id", params)
        raw = raw_rows_of(con, [p["person_id"] for p in persons], q, with_payroll=False)
        key = {"quarter_label": quarter_label, "region_code": region, "target_group": target_group,
               "direction": direction, "reason": reason}
        return Trace(cell, published_value(con, mart, "persons", key) or 0, len(persons), persons, raw)

    if mart == "fct_sheltered_work_quarter":
        measure = measure or "valid_positive_advices"
        cell.update(measure=measure)
        key = {"quarter_label": quarter_label, "region_code": region}
        requests_in_region = ("select r.* from intermediate.int_sheltered_work_requests__accepted as r "
                              "inner join intermediate.int_municipalities_yearly as m "
                              "on r.gemeente_code = m.gemeente_code and m.calendar_year = $year "
                              "where m.region_code = $region")
        params["year"] = q["calendar_year"]
        if measure in ("valid_positive_advices", "persons_working_sheltered"):
            extra = " and a.is_working_sheltered" if measure == "persons_working_sheltered" else ""
            persons = rows(con, "select a.* from intermediate.int_sheltered_work_advices_on_peildatum as a "
                                f"where a.quarter_index = $q and a.region_code = $region{extra} order by a.person_id",
                           params)
            ids = [p["person_id"] for p in persons]
            raw = {"sheltered_work_requests": [r for r in rows(con, requests_in_region + " order by r.request_id", params)
                                               if r["person_id"] in ids]}
            raw.update(raw_rows_of(con, ids, q, with_payroll=True, kinds=("sheltered_work",)))
            return Trace(cell, published_value(con, mart, measure, key), len(persons), persons, raw)
        located = "intermediate.int_sheltered_work_requests_located"
        conditions = {  # the located requests that make up each count (the mart's own input)
            "requests_municipality": f"select * from {located} where requester = 'municipality' "
                                     "and request_quarter_index = $q and request_region_code = $region",
            "requests_citizen": f"select * from {located} where requester = 'citizen' "
                                "and request_quarter_index = $q and request_region_code = $region",
            "positive_advices": f"select * from {located} where decision = 'positive' "
                                "and decision_quarter_index = $q and decision_region_code = $region",
        }
        if measure not in conditions:
            raise SystemExit(f"trace: {mart} has no traceable measure {measure}")
        requests = rows(con, conditions[measure] + " order by request_id", params)
        return Trace(cell, published_value(con, mart, measure, key), len(requests),
                     [{"person_id": r["person_id"], "request_id": r["request_id"]} for r in requests],
                     {"sheltered_work_requests": requests})

    raise SystemExit(f"trace: no trace for mart {mart}; traceable: fct_register_quarter, "
                     "fct_register_flows_quarter, fct_register_flow_reasons_quarter, fct_sheltered_work_quarter")


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_private(path: Path, text: str) -> None:
    """A file only its owner can read (0600), in a folder only the owner can open (0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def record(con, trace: Trace, started: datetime, output: Path) -> None:
    detail = {"cell": trace.cell, "published": trace.published, "computed": trace.computed,
              "adds_up": trace.adds_up, "persons": len(trace.persons), "output": str(output)}
    con.execute("""
        insert into audit.run_log (run_id, event, started_at, ended_at, user_name, git_commit,
                                   success, detail)
        values ($id, 'trace', $started, current_timestamp, $user, $commit, $ok, $detail)
    """, {"id": str(uuid.uuid4()), "started": started, "user": getpass.getuser(), "commit": git_commit(),
          "ok": trace.adds_up, "detail": json.dumps(detail, default=str)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mart", required=True)
    parser.add_argument("--quarter", required=True, help="YYYYQn")
    parser.add_argument("--region", required=True, help="AM01 … AM38 or UNKNOWN")
    parser.add_argument("--target-group")
    parser.add_argument("--measure", help="the mart column (default: persons_registered / valid_positive_advices)")
    parser.add_argument("--direction", choices=["inflow", "outflow"])
    parser.add_argument("--reason")
    parser.add_argument("--warehouse", type=Path, default=Path(os.environ.get("WAREHOUSE_PATH", ROOT / "warehouse.duckdb")))
    parser.add_argument("--out", type=Path, default=ROOT / "audit_traces")
    args = parser.parse_args(argv)
    started = datetime.now()
    with duckdb.connect(str(args.warehouse)) as con:
        trace = trace_cell(con, args.mart, args.quarter, args.region, args.target_group, args.measure,
                           args.direction, args.reason)
        name = "_".join(str(v) for v in trace.cell.values() if v) + f"_{started:%Y%m%dT%H%M%S}.json"
        output = args.out / name
        write_private(output, json.dumps({"cell": trace.cell, "published": trace.published,
                                          "computed": trace.computed, "adds_up": trace.adds_up,
                                          "persons": trace.persons, "raw_rows": trace.raw_rows},
                                         indent=2, default=str))
        record(con, trace, started, output)
    print(f"{trace.cell}: published {trace.published}, rows add up to {trace.computed} "
          f"({'OK' if trace.adds_up else 'MISMATCH'}); {len(trace.persons)} persons")
    for person in trace.persons[:50]:
        print("  " + ", ".join(f"{k}={v}" for k, v in person.items() if v is not None))
    if len(trace.persons) > 50:
        print(f"  … {len(trace.persons) - 50} more")
    for table, table_rows in trace.raw_rows.items():
        print(f"  {table}: {len(table_rows)} rows")
    print(f"written to {output} (owner-only) and recorded in audit.run_log")
    return 0 if trace.adds_up else 1


if __name__ == "__main__":
    sys.exit(main())
