"""Figure-to-rows trace, for auditors: the persons and raw rows behind one published cell.

Given a mart, a quarter, a region (and a target group, measure, direction/reason
where the mart has them), lists the persons who make up the cell and their
accepted raw rows (register spells, the residence on the peildatum, payroll rows
of the quarter, beschut werk requests), and checks that they add up to the
published value. It reads the intermediate models the marts are built from, so
the rules are not implemented a second time.

Every argument is checked before anything is read or written: the mart must be one
of the four below, the quarter a reported quarter (YYYYQn), the region, target group
and (direction, reason) codes of the warehouse's dimension marts (dim_region with
UNKNOWN, dim_target_group, dim_flow_reason; built from seeds/reference/), the measure
one the mart's trace can rebuild, and the cell a row of the mart. Values reach SQL
only as bound parameters; the mart and measure names, which cannot be, only after
they matched the fixed lists here.

The result holds person-level data: it is written only to --out (default
audit_traces/), never under the published folder (publish/, and PUBLISH_PATH's folder
when set; symlinks and .. resolved), into a folder only its owner can open (0700) as
a file only its owner can read (0600), named after the validated codes only. Every
trace is recorded in audit.run_log (who, which cell, when, the outcome).

Usage (cli.py):
  scripts/trace.py --mart fct_register_quarter --quarter 2022Q3 --region AM02 \\
                   --target-group wajong --measure persons_working
  scripts/trace.py --mart fct_register_flows_quarter --quarter 2022Q3 --region AM01 \\
                   --target-group wiw_id --measure moved_in
  scripts/trace.py --mart fct_register_flow_reasons_quarter --quarter 2022Q4 --region AM35 \\
                   --target-group wajong --direction inflow --reason group_change
  scripts/trace.py --mart fct_sheltered_work_quarter --quarter 2022Q3 --region AM02 \\
                   --measure valid_positive_advices
Exit status 0 when the rows add up to the published value, 1 when not, 2 when an
argument or the cell cannot be traced (unknown code, no such cell, --out under the
published folder, no warehouse): a message on stderr and nothing written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from banenafspraak.config import ROOT
from banenafspraak.registry import ensure_artifacts, load_artifacts, registry

PQ = "intermediate.int_register_person_quarters"
TR = "intermediate.int_register_transitions"
START = ("transitions.is_registered_start and transitions.region_code_start = $region "
         "and transitions.target_group_start = $group")
END = ("transitions.is_registered_end and transitions.region_code_end = $region "
       "and transitions.target_group_end = $group")


@cache
def flow_cells(target: Path | None = None) -> dict[str, str]:
    """Which transitions make up each column of fct_register_flows_quarter, as a condition
    on int_register_transitions (aliased `transitions`): not written here but read from the
    measure registry (each flow metric's meta `cell`: its side and condition), the same
    definitions the mart is generated from (macro cell_definitions). Leaving flows count
    where the person was (START), entering flows where the person is (END). The
    artifacts come from target (default: the project's target/, parsed when missing)."""
    target = target or ROOT / "target"
    ensure_artifacts(target)
    cells: dict[str, str] = {}
    for row in registry(*load_artifacts(target)):
        cell = row.get("cell")
        if row["mart"] != "fct_register_flows_quarter" or not cell:
            continue
        side = START if cell["side"] == "start" else END
        cells[row["column"]] = f"({cell['where']}) and {side}" if cell.get("where") else side
    if not cells:
        raise TraceError("the measure registry declares no flow cells (meta `cell` of the flow metrics)")
    return cells


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
SHELTERED_MEASURES = ["valid_positive_advices", "persons_working_sheltered", "requests_municipality",
                      "requests_citizen", "positive_advices"]
# The traceable marts and the measures (columns) a trace can rebuild; the first is the
# default, except for the flows, where --measure is required.
FIXED_MEASURES = {
    "fct_register_quarter": [*REGISTER_PERSONS, *REGISTER_HOURS],
    "fct_register_flow_reasons_quarter": ["persons"],
    "fct_sheltered_work_quarter": SHELTERED_MEASURES,
}
DEFAULT_MEASURE = {mart: measures[0] for mart, measures in FIXED_MEASURES.items()}


def traceable() -> dict[str, list[str]]:
    """The traceable marts and the measures (columns) a trace can rebuild."""
    return {**FIXED_MEASURES, "fct_register_flows_quarter": list(flow_cells())}
BY_TARGET_GROUP = ("fct_register_quarter", "fct_register_flows_quarter", "fct_register_flow_reasons_quarter")
DIRECTIONS = ("inflow", "outflow")
QUARTER_LABEL = re.compile(r"[0-9]{4}Q[1-4]")
CODE = re.compile(r"[A-Za-z0-9_]+")  # every part of a trace's file name (all validated codes) looks like this


class TraceError(Exception):
    """An argument or cell that cannot be traced: main reports it and exits 2, writing nothing."""


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
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def quarter(con, label: str) -> dict:
    found = rows(con, "select * from intermediate.int_quarters_reported where quarter_label = $label",
                 {"label": label})
    if not found:
        reported = [r for (r,) in con.execute("select quarter_label from intermediate.int_quarters_reported "
                                              "order by quarter_index").fetchall()]
        span = f"{reported[0]} … {reported[-1]}" if reported else "none"
        raise TraceError(f"quarter {label!r} is not a reported quarter of this warehouse ({span})")
    return found[0]


def dimension_codes(con) -> dict[str, set]:
    """The codes a cell can have, from the warehouse's dimension marts (built from the reference seeds)."""
    codes: dict[str, set[str]] = {"region": set(), "target_group": set(), "inflow": set(), "outflow": set()}
    for kind, code in con.execute("""
            select 'region', region_code from marts.dim_region
            union all select 'target_group', target_group from marts.dim_target_group
            union all select direction, reason from marts.dim_flow_reason""").fetchall():
        codes[kind].add(code)
    return codes


def validate(con, mart, quarter_label, region, target_group, measure, direction, reason) -> str:
    """Check every argument of a trace (before anything is read for it); return the measure."""
    measures = traceable()
    if not isinstance(mart, str) or mart not in measures:
        raise TraceError(f"no trace for mart {mart!r}; traceable: {', '.join(measures)}")
    if not isinstance(quarter_label, str) or not QUARTER_LABEL.fullmatch(quarter_label):
        raise TraceError(f"quarter {quarter_label!r} is not of the form YYYYQn (e.g. 2022Q3)")
    codes = dimension_codes(con)
    if not isinstance(region, str) or region not in codes["region"]:
        raise TraceError(f"unknown region {region!r}; the regions of marts.dim_region: "
                         f"{', '.join(sorted(codes['region']))}")
    if mart in BY_TARGET_GROUP:
        if not isinstance(target_group, str) or target_group not in codes["target_group"]:
            problem = (f"unknown target group {target_group!r}" if target_group is not None
                       else f"{mart} needs --target-group")
            raise TraceError(f"{problem}; the target groups of marts.dim_target_group: "
                             f"{', '.join(sorted(codes['target_group']))}")
    elif target_group is not None:
        raise TraceError(f"{mart} has no target group (--target-group {target_group!r})")
    measure = DEFAULT_MEASURE.get(mart) if measure is None else measure
    if not isinstance(measure, str) or measure not in measures[mart]:
        raise TraceError(f"{mart} has no traceable measure {measure!r}; choose --measure from "
                         f"{', '.join(measures[mart])}")
    if mart == "fct_register_flow_reasons_quarter":
        if direction not in DIRECTIONS:
            raise TraceError(f"{mart} needs --direction inflow or outflow"
                             + (f", not {direction!r}" if direction is not None else ""))
        if not isinstance(reason, str) or reason not in codes[direction]:
            raise TraceError(f"unknown {direction} reason {reason!r}; the {direction} reasons of "
                             f"marts.dim_flow_reason: {', '.join(sorted(codes[direction]))}")
    elif direction is not None or reason is not None:
        raise TraceError(f"{mart} has no direction or reason (--direction/--reason are for "
                         "fct_register_flow_reasons_quarter)")
    return measure


def published_value(con, mart: str, measure: str, where: dict):
    """The mart's value of the cell; a cell the mart has no row for is an error, not a zero."""
    if mart not in traceable() or measure not in traceable().get(mart, ()):  # names in SQL only from the fixed lists
        raise TraceError(f"no trace for mart {mart!r} and measure {measure!r}")
    condition = " and ".join(f"{k} = ${k}" for k in where)
    found = rows(con, f"select {measure} as value from marts.{mart} where {condition}", where)
    if not found:
        raise TraceError(f"no such cell: marts.{mart} has no row for "
                         + ", ".join(f"{k} {v}" for k, v in where.items())
                         + "; there is no figure to trace")
    return found[0]["value"]


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
    """The persons and raw rows behind one cell of a mart; TraceError when an argument or the cell is unknown."""
    measure = validate(con, mart, quarter_label, region, target_group, measure, direction, reason)
    q = quarter(con, quarter_label)
    key: dict[str, str | None] = {"quarter_label": quarter_label, "region_code": region}
    if mart in BY_TARGET_GROUP:
        key["target_group"] = target_group
    if mart == "fct_register_flow_reasons_quarter":
        key.update(direction=direction, reason=reason)
    cell = {"mart": mart, **key, "measure": measure}
    published = published_value(con, mart, measure, key)  # the cell exists before anything is traced
    params = {"q": q["quarter_index"], "region": region, "group": target_group}

    if mart == "fct_register_quarter":
        hours_per_job = Decimal(str(con.execute(
            "select 3 * cast(json_extract_string(vars_used, '$.paid_hours_per_job_month') as decimal(18, 4)) "
            "from marts.publication_info").fetchall()[0][0]))
        persons = rows(con, f"select pq.* from {PQ} as pq where pq.quarter_index = $q and pq.region_code = $region "
                            f"and pq.target_group = $group order by pq.person_id", params)
        if measure in REGISTER_PERSONS:
            keep = {p["person_id"] for p in rows(con, f"select pq.person_id from {PQ} as pq "
                                                      f"where pq.quarter_index = $q and pq.region_code = $region "
                                                      f"and pq.target_group = $group "
                                                      f"and {REGISTER_PERSONS[measure]}", params)}
            persons = [p for p in persons if p["person_id"] in keep]
            raw = raw_rows_of(con, [p["person_id"] for p in persons], q, with_payroll=True)
            computed: Decimal | int = len(persons)
        elif measure in REGISTER_HOURS:
            sector, as_jobs = REGISTER_HOURS[measure]
            raw = raw_rows_of(con, [p["person_id"] for p in persons], q, with_payroll=True)
            payroll = [y for y in raw.get("payroll", []) if sector is None or y["sector"] == sector]
            raw["payroll"] = payroll
            hours = sum((Decimal(str(y["paid_hours"])) for y in payroll), Decimal(0))
            computed = (hours / hours_per_job).quantize(Decimal("0.000001")) if as_jobs else hours
            persons = [p for p in persons if any(y["person_id"] == p["person_id"] for y in payroll)]
        return Trace(cell, published, computed, persons, raw)

    if mart == "fct_register_flows_quarter":
        persons = rows(con, f"select transitions.* from {TR} as transitions "
                            f"where transitions.quarter_index = $q and {flow_cells()[measure]} "
                            f"order by transitions.person_id", params)
        raw = raw_rows_of(con, [p["person_id"] for p in persons], q, with_payroll=True)
        return Trace(cell, published, len(persons), persons, raw)

    if mart == "fct_register_flow_reasons_quarter":
        side = END if direction == "inflow" else START
        params.update(direction=direction, reason=reason)
        persons = rows(con, f"select transitions.* from {TR} as transitions where transitions.quarter_index = $q "
                            f"and transitions.transition_type = $direction and transitions.flow_reason = $reason "
                            f"and {side} order by transitions.person_id", params)
        raw = raw_rows_of(con, [p["person_id"] for p in persons], q, with_payroll=False)
        return Trace(cell, published, len(persons), persons, raw)

    if mart == "fct_sheltered_work_quarter":
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
            requests = rows(con, requests_in_region + " order by r.request_id", params)
            raw = {"sheltered_work_requests": [r for r in requests if r["person_id"] in ids]}
            raw.update(raw_rows_of(con, ids, q, with_payroll=True, kinds=("sheltered_work",)))
            return Trace(cell, published, len(persons), persons, raw)
        located = "intermediate.int_sheltered_work_requests_located"
        conditions = {  # the located requests that make up each count (the mart's own input)
            "requests_municipality": f"select * from {located} where requester = 'municipality' "
                                     "and request_quarter_index = $q and request_region_code = $region",
            "requests_citizen": f"select * from {located} where requester = 'citizen' "
                                "and request_quarter_index = $q and request_region_code = $region",
            "positive_advices": f"select * from {located} where decision = 'positive' "
                                "and decision_quarter_index = $q and decision_region_code = $region",
        }
        requests = rows(con, conditions[measure] + " order by request_id", params)
        return Trace(cell, published, len(requests),
                     [{"person_id": r["person_id"], "request_id": r["request_id"]} for r in requests],
                     {"sheltered_work_requests": requests})

    raise AssertionError(f"validate() let through mart {mart!r}")
