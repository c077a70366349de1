"""The catalogue of bad-input faults, each derived from the valid hand-made scenario
(tests/fixtures/scenario_register/raw) by adding or changing CSV lines.

Every fault says which rows must end up in quarantine with which rule, and which
valid rows it takes away from the accepted data ("carried": a row replaced by a
bad one, or every row of a person whose key conflicts). All faults touch
different persons, so one build of the faulty fixture checks all of them at once
(the clarifications ask to batch them); a second build of the valid fixture minus
the carried rows gives the marts the faulty build must equal.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from banenafspraak.synthetic.common import TABLES

PERSON_COLUMN = "person_id"


@dataclass
class Fault:
    name: str
    table: str
    rule: str
    add: list[str] = field(default_factory=list)               # bad lines appended to the table
    replace: dict[str, str] = field(default_factory=dict)       # valid line -> bad line
    also_quarantined: list[tuple[str, str, str]] = field(default_factory=list)  # (table, line, rule)
    carried: list[tuple[str, str]] = field(default_factory=list)               # (table, valid line)
    person_gone: str | None = None  # a person whose every row is quarantined (conflicting key)


P = "persons"
R = "residences"
S = "register_spells"
Y = "payroll"
Q = "sheltered_work_requests"
PAY = "P01,E011,W01,market,2022-05-01,5.00,permanent,regular,2018-01-01"


def _pay(**changes) -> str:
    fields = dict(zip(["person_id", "employment_id", "employer_id", "sector", "period_month", "paid_hours",
                       "contract_type", "employment_kind", "employment_start"], PAY.split(",")))
    fields.update(changes)
    return ",".join(fields.values())


FAULTS = [
    # persons
    Fault("persons: missing key", P, "missing_value", add=[",1990-01-01,F,"]),
    Fault("persons: missing birth date", P, "missing_value", add=["PX01,,F,"]),
    Fault("persons: missing gender", P, "missing_value", add=["PX02,1990-01-01,,"]),
    Fault("persons: unknown gender", P, "unknown_code", add=["PX03,1990-01-01,X,"]),
    Fault("persons: unparseable date", P, "unreadable_value", add=["PX04,1990-13-45,F,"]),
    Fault("persons: date not ISO", P, "unreadable_value", add=["PX05,14-03-1990,M,"]),
    Fault("persons: death before birth", P, "invalid_interval", add=["PX06,1990-01-01,F,1980-01-01"]),
    Fault("persons: year 0 (1 BC)", P, "implausible_date", add=["PX07,0000-01-01,F,"]),
    Fault("persons: negative year", P, "unreadable_value", add=["PX08,-001-01-01,F,"]),
    Fault("persons: born before 1900", P, "implausible_date", add=["PX09,1899-12-31,M,"]),
    Fault("persons: death after 2100", P, "implausible_date", add=["PX10,1990-01-01,M,2101-01-01"]),
    Fault("persons: SQL in a value", P, "unknown_code", add=['PX11,1990-01-01,"M\'); drop table raw.persons; --",']),
    Fault("persons: exact duplicate", P, "duplicate_row", add=["P01,1990-03-14,F,"]),
    Fault("persons: conflicting key", P, "conflicting_key", add=["P20,1991-12-25,F,"],
          also_quarantined=[(P, "P20,1991-12-24,F,", "conflicting_key")],
          carried=[(P, "P20,1991-12-24,F,")], person_gone="P20"),
    # residences
    Fault("residences: unknown municipality", R, "unknown_municipality", add=["P03,GM9998,2015-01-01,"]),
    Fault("residences: malformed municipality code", R, "unknown_municipality", add=["P03,Gm0014,2015-01-01,"]),
    Fault("residences: valid_until before valid_from", R, "invalid_interval",
          add=["P03,GM0014,2021-05-01,2021-04-01"]),
    Fault("residences: missing valid_from", R, "missing_value", add=["P03,GM0014,,"]),
    Fault("residences: 9999-12-31 as open end", R, "implausible_date", add=["P03,GM0014,2015-01-01,9999-12-31"]),
    Fault("residences: unknown person", R, "unknown_person", add=["P99,GM0014,2015-01-01,"]),
    Fault("residences: exact duplicate", R, "duplicate_row", add=["P06,GM0363,2016-01-01,"]),
    # register spells
    Fault("spells: missing key", S, "missing_value",
          add=[",P03,wajong,2022-01-01,2022-02-01,new_indication,other"]),
    Fault("spells: unknown target group", S, "unknown_code",
          add=["SX01,P03,wajong_x,2022-01-01,2022-02-01,new_indication,other"]),
    Fault("spells: unknown inflow reason", S, "unknown_code",
          add=["SX02,P03,wajong,2022-01-01,2022-02-01,promotion,other"]),
    Fault("spells: unknown outflow reason", S, "unknown_code",
          add=["SX03,P03,wajong,2022-01-01,2022-02-01,new_indication,fired"]),
    Fault("spells: valid_until equals valid_from", S, "invalid_interval",
          add=["SX04,P03,wajong,2022-01-01,2022-01-01,new_indication,other"]),
    Fault("spells: ended without outflow reason", S, "missing_value",
          add=["SX05,P03,wajong,2022-01-01,2022-02-01,new_indication,"]),
    Fault("spells: unparseable date", S, "unreadable_value", add=["SX06,P03,wajong,2022-02-30,,new_indication,"]),
    Fault("spells: starts after 2100", S, "implausible_date",
          add=["SX08,P03,wajong,2101-01-01,,new_indication,"]),
    Fault("spells: unknown person", S, "unknown_person", add=["SX07,P98,wajong,2022-01-01,,new_indication,"]),
    Fault("spells: exact duplicate", S, "duplicate_row", add=["S140,P14,wsw,2019-01-01,,new_indication,"]),
    Fault("spells: conflicting key", S, "conflicting_key", add=["S050,P05,wsw,2019-01-01,,new_indication,"],
          also_quarantined=[(S, "S050,P05,wajong,2019-01-01,,new_indication,", "conflicting_key")],
          carried=[(S, "S050,P05,wajong,2019-01-01,,new_indication,")]),
    # payroll
    Fault("payroll: negative hours", Y, "negative_hours", add=[_pay(paid_hours="-5.00")]),
    Fault("payroll: period_month not the first", Y, "invalid_period_month", add=[_pay(period_month="2022-05-15")]),
    Fault("payroll: unknown sector", Y, "unknown_code", add=[_pay(sector="public")]),
    Fault("payroll: unknown contract type", Y, "unknown_code", add=[_pay(contract_type="freelance")]),
    Fault("payroll: unknown employment kind", Y, "unknown_code", add=[_pay(employment_kind="volunteer")]),
    Fault("payroll: unparseable hours", Y, "unreadable_value", add=[_pay(paid_hours='"12,5"')]),
    Fault("payroll: unparseable month", Y, "unreadable_value", add=[_pay(period_month="2022-13-01")]),
    Fault("payroll: hours with a digit separator", Y, "unreadable_value", add=[_pay(paid_hours="1_000")]),
    Fault("payroll: hours in exponent notation", Y, "unreadable_value", add=[_pay(paid_hours="1e3")]),
    Fault("payroll: more hours than a month has", Y, "implausible_hours", add=[_pay(paid_hours="745")]),
    Fault("payroll: absurd hours", Y, "implausible_hours", add=[_pay(paid_hours="99999999999999")]),
    Fault("payroll: month in year 9999", Y, "implausible_date", add=[_pay(period_month="9999-01-01")]),
    Fault("payroll: month not yet paid", Y, "future_period_month", add=[_pay(period_month="2099-01-01")]),
    Fault("payroll: employment started before 1900", Y, "implausible_date",
          add=[_pay(employment_start="1800-01-01")]),
    Fault("payroll: missing employment", Y, "missing_value", add=[_pay(employment_id="")]),
    Fault("payroll: unknown person", Y, "unknown_person", add=[_pay(person_id="P97")]),
    Fault("payroll: exact duplicate", Y, "duplicate_row",
          add=["P09,E091,W01,market,2022-02-01,30.00,unknown,regular,2018-01-01"]),
    Fault("payroll: valid row turned negative", Y, "negative_hours",
          replace={"P17,E171,W02,market,2022-05-01,12.00,temporary,regular,2021-06-01":
                   "P17,E171,W02,market,2022-05-01,-12.00,temporary,regular,2021-06-01"},
          carried=[(Y, "P17,E171,W02,market,2022-05-01,12.00,temporary,regular,2021-06-01")]),
    # beschut werk requests
    Fault("requests: unknown requester", Q, "unknown_code",
          add=["RX01,P22,GM0080,employer,2022-03-01,negative,2022-04-01,"]),
    Fault("requests: unknown decision", Q, "unknown_code", add=["RX02,P22,GM0080,citizen,2022-03-01,maybe,2022-04-01,"]),
    Fault("requests: decision without decision date", Q, "missing_value",
          add=["RX03,P22,GM0080,citizen,2022-03-01,positive,,"]),
    Fault("requests: decision before request", Q, "invalid_interval",
          add=["RX04,P22,GM0080,citizen,2022-03-01,negative,2022-02-01,"]),
    Fault("requests: advice ends on its decision date", Q, "invalid_interval",
          add=["RX05,P22,GM0080,citizen,2022-03-01,positive,2022-04-01,2022-04-01"]),
    Fault("requests: pending with a decision date", Q, "inconsistent_value",
          add=["RX06,P22,GM0080,citizen,2022-03-01,pending,2022-04-01,"]),
    Fault("requests: unknown municipality", Q, "unknown_municipality",
          add=["RX07,P22,GM9997,citizen,2022-03-01,negative,2022-04-01,"]),
    Fault("requests: requested after 2100", Q, "implausible_date",
          add=["RX09,P22,GM0080,citizen,2101-03-01,pending,,"]),
    Fault("requests: unknown person", Q, "unknown_person", add=["RX08,P96,GM0080,citizen,2022-03-01,negative,2022-04-01,"]),
    Fault("requests: exact duplicate", Q, "duplicate_row", add=["R02,P21,GM0014,citizen,2022-02-10,positive,2022-03-20,"]),
    Fault("requests: conflicting key", Q, "conflicting_key",
          add=["R01,P15,GM0014,municipality,2019-06-01,positive,2019-09-01,"],
          also_quarantined=[(Q, "R01,P15,GM0014,municipality,2019-06-01,positive,2019-08-01,", "conflicting_key")],
          carried=[(Q, "R01,P15,GM0014,municipality,2019-06-01,positive,2019-08-01,")]),
]


def read_lines(raw: Path, table: str) -> tuple[str, list[str]]:
    header, *lines = (raw / f"{table}.csv").read_text().splitlines()
    return header, lines


def fields(line: str) -> tuple:
    """A CSV line as the quarantine stores it: text, empty field = NULL."""
    return tuple(value if value != "" else None for value in next(csv.reader(io.StringIO(line))))


def person_rows(raw: Path, person: str) -> list[tuple[str, str]]:
    rows = []
    for table in TABLES[1:]:
        header, lines = read_lines(raw, table)
        position = header.split(",").index(PERSON_COLUMN)
        rows += [(table, line) for line in lines if line.split(",")[position] == person]
    return rows


def expected_quarantine(fault: Fault, raw: Path) -> list[tuple[str, tuple, str]]:
    rows = [(fault.table, fields(line), fault.rule) for line in fault.add]
    rows += [(fault.table, fields(line), fault.rule) for line in fault.replace.values()]
    rows += [(table, fields(line), rule) for table, line, rule in fault.also_quarantined]
    if fault.person_gone:
        rows += [(table, fields(line), "unknown_person") for table, line in person_rows(raw, fault.person_gone)]
    return rows


def carried_rows(fault: Fault, raw: Path) -> list[tuple[str, str]]:
    rows = list(fault.carried)
    if fault.person_gone:
        rows += person_rows(raw, fault.person_gone)
    return rows


def write_fixture(source: Path, target: Path, faults: list[Fault], *, apply_faults: bool) -> None:
    """apply_faults: the faulty fixture; otherwise the valid one minus the carried rows."""
    target.mkdir(parents=True, exist_ok=True)
    drop = {(t, line) for fault in faults for t, line in carried_rows(fault, source)}
    for table in TABLES:
        header, lines = read_lines(source, table)
        if apply_faults:
            for fault in faults:
                if fault.table == table:
                    lines = [fault.replace.get(line, line) for line in lines] + fault.add
        else:
            lines = [line for line in lines if (table, line) not in drop]
        (target / f"{table}.csv").write_text("\n".join([header, *lines]) + "\n")
