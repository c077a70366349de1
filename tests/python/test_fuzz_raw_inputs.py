"""Fuzzing the raw route: random malformed values in every column of every raw table.

Hypothesis (seeded, derandomized) draws FUZZ_EXAMPLES raw extracts, each the valid
hand-made scenario with 1 to 12 mutations: a cell set to a hostile value (empty,
whitespace, huge, negative, NaN, far or impossible dates, other date layouts,
unknown and mis-cased codes, SQL and shell text, quotes, commas, newlines,
non-ASCII, control characters, very long text), an exact copy of a row, or a key
repeated with other values (files written with CRLF line ends, values quoted as CSV
requires); about one extract in four also gets a line that is not well-formed CSV
(an unterminated quote, too many fields, a bare carriage return, bytes that are not
UTF-8). Every extract is built through the raw-file route (two at a time:
a build is the costly part, so the examples are drawn first and built after), and
for each:

- a malformed line: the build stops before any model, naming the file, with no
  value of the line in the output;
- otherwise the build (models and every data test, so the flow and stock balances
  and the reconciliation too) passes; per table the raw rows counted here from the
  file equal audit.reconciliation's raw_rows, and raw = accepted + quarantined;
  every quarantined row has exactly one rule, one of the seed's rules.

The outcomes are printed at the end of the run (pytest's summary).
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from banenafspraak.synthetic.common import TABLES
from conftest import FIXTURES, Warehouse, summary_line

pytestmark = pytest.mark.slow  # eight drawn extracts, each built: not in make test-fast

SCENARIO = FIXTURES / "scenario_register" / "raw"
FUZZ_EXAMPLES = 8
OUTCOMES: Counter = Counter()
MARKER = "FUZZ-SECRET"  # in every malformed line: must not reach the output
MALFORMED = {  # lines that are not well-formed CSV (RFC 4180), appended to one table
    "unterminated quote": f'P01,{MARKER},{MARKER},"{MARKER}'.encode(),
    "too many fields": f"P01,{MARKER},{MARKER},{MARKER},{MARKER},{MARKER},{MARKER},{MARKER},{MARKER},x".encode(),
    "a bare carriage return in a field": f"P01,{MARKER}\r{MARKER},x,x,x,x,x,x,x".encode(),
    "bytes that are not UTF-8": f"P01,{MARKER}".encode() + b"\xff\xfe,x,x,x,x,x,x,x",
}  # each ends with the file's own line end (CRLF): a file mixing CRLF and LF stops in DuckDB's parser

HOSTILE = [
    "", " ", "\t", "  P01  ", "P99", "p01", "NULL", "null", "None", "-", "0", "-1", "-0.0001", "744", "744.0001",
    "745", "99999999999999", "9" * 40, "1e3", "1E3", "1_000", "12,5", "1.000,50", " 12.5 ", "+7", ".5", "5.",
    "NaN", "inf", "-inf", "0x10", "0000-01-01", "0001-01-01", "-001-01-01", "1899-12-31", "1900-01-01",
    "2100-12-31", "2101-01-01", "9999-12-31", "2099-01-01", "2022-02-30", "2022-13-01", "2022-1-1",
    "22-01-01", "2022/01/01", "01-02-2022", "2022-01-01T00:00:00", "2022-01-01 13:45:00", "20220101",
    "M", "F", "U", "m", "X", "wajong", "WAJONG", " wajong", "wsw", "participatiewet", "group_change",
    "death", "other", "market", "government", "public", "regular", "sheltered_work", "wsw_sheltered",
    "permanent", "temporary", "unknown", "positive", "pending", "withdrawn", "citizen", "municipality",
    "GM0014", "GM0080", "GM9999", "gm0014", "GM14", "GM00145", "AM01", "UNKNOWN",
    "x'); drop table raw.persons; --", "' or '1'='1", "\"; rm -rf / #", "`id`", "$(id)", "${HOME}",
    "{name}", "{{ var('raw_path') }}", "%s", "\\", "\\'", "a,b", 'say "hi"', "line\nbreak", "tab\tinside",
    "'s-Hertogenbosch", "één", "Zoë", "日本", "🙂", "\u00a0", "\u200b", "\x01", "x" * 5000,
]


@dataclass
class Extract:
    """One fuzzed extract: the scenario's rows per table, mutated."""
    rows: dict[str, list[list[str]]]
    header: dict[str, list[str]]
    mutations: list[str] = field(default_factory=list)
    malformed: str | None = None  # the table given a line that is not well-formed CSV
    malformed_kind: str = ""

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True)
        for table in TABLES:
            text = io.StringIO()
            # CRLF line ends: then the writer quotes every value holding a CR or LF, as it must
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(self.header[table])
            writer.writerows(self.rows[table])
            data = text.getvalue().encode()
            if table == self.malformed:
                data += MALFORMED[self.malformed_kind] + b"\r\n"
            (directory / f"{table}.csv").write_bytes(data)

    def raw_rows(self, table: str) -> int:
        return len(self.rows[table])


def scenario() -> tuple[dict, dict]:
    rows, header = {}, {}
    for table in TABLES:
        with open(SCENARIO / f"{table}.csv", newline="") as handle:
            header[table], *rows[table] = list(csv.reader(handle))
    return rows, header


@st.composite
def extracts(draw) -> Extract:
    rows, header = scenario()
    extract = Extract({t: [list(r) for r in rows[t]] for t in TABLES}, header)
    for _ in range(draw(st.integers(1, 12))):
        table = draw(st.sampled_from(TABLES))
        table_rows = extract.rows[table]
        row = draw(st.integers(0, len(table_rows) - 1))
        kind = draw(st.sampled_from(["value", "value", "value", "text", "copy", "key"]))
        if kind in ("value", "text"):
            column = draw(st.integers(0, len(header[table]) - 1))
            value = (draw(st.sampled_from(HOSTILE)) if kind == "value"
                     else draw(st.text(min_size=0, max_size=30)))
            table_rows[row][column] = value
            extract.mutations.append(f"{table}[{row}].{header[table][column]} = {value[:40]!r}")
        elif kind == "copy":
            table_rows.append(list(table_rows[row]))
            extract.mutations.append(f"{table}[{row}] copied")
        else:  # the row's key again, another value elsewhere
            copy = list(table_rows[row])
            column = draw(st.integers(1, len(header[table]) - 1))
            copy[column] = draw(st.sampled_from(HOSTILE))
            table_rows.append(copy)
            extract.mutations.append(f"{table}[{row}] key repeated, {header[table][column]} = {copy[column][:40]!r}")
    if draw(st.integers(0, 3)) == 0:
        extract.malformed = draw(st.sampled_from(TABLES))
        extract.malformed_kind = draw(st.sampled_from(sorted(MALFORMED)))
        extract.mutations.append(f"{extract.malformed}: a line with {extract.malformed_kind}")
    return extract


DRAWN: list[Extract] = []


@seed(20261202)  # the same examples in every run and every process (derandomize hashes the source)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(extracts())
def _draw(example: Extract) -> None:
    """Records the examples Hypothesis generates; they are built afterwards, two at a time."""
    DRAWN.append(example)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    DRAWN.clear()
    _draw()
    root = tmp_path_factory.mktemp("fuzz")

    def build(numbered):
        number, extract = numbered
        # raw_path relative to the warehouse's folder (dbt runs there): the same vars for every
        # example, so dbt parses the project once for all of them (conftest.PARSE_CACHE)
        warehouse = Warehouse(root / f"wh_{number}", {"raw_path": "raw", "raw_format": "csv"})
        extract.write(warehouse.directory / "raw")
        return number, extract, warehouse, warehouse.build("--exclude", "test_type:unit")

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(build, enumerate(DRAWN)))


def test_the_examples_cover_every_table_and_both_outcomes(fuzzed):
    assert len(fuzzed) == FUZZ_EXAMPLES
    touched = {m.split("[")[0].split(":")[0] for _, e, _, _ in fuzzed for m in e.mutations}
    assert touched == set(TABLES)
    assert any(e.malformed for _, e, _, _ in fuzzed) and any(not e.malformed for _, e, _, _ in fuzzed)


@pytest.mark.parametrize("number", range(FUZZ_EXAMPLES))
def test_each_example_stops_clearly_or_reconciles(fuzzed, number):
    _, extract, warehouse, run = fuzzed[number]
    described = f"example {number}: " + "; ".join(extract.mutations)
    if extract.malformed:
        OUTCOMES["stopped before any model (malformed line)"] += 1
        assert not run.ok, described
        assert run.results == [], f"{described}: no model may run"
        assert f"raw file {warehouse.vars['raw_path']}/{extract.malformed}.csv" in run.output, run.output[-2000:]
        assert MARKER not in run.output, described
        _report()
        return
    assert run.ok, f"{described}\n{run.output[-5000:]}"
    balances = [r for r in run.results if r["unique_id"].startswith("test.")
                and ("flow_balance_holds" in r["unique_id"] or "reconciliation" in r["unique_id"])]
    assert balances and all(r["status"] == "pass" for r in balances), described
    reconciliation = {r[0]: r[1:] for r in warehouse.query(
        "select table_name, raw_rows, accepted_rows, quarantined_rows from audit.reconciliation")}
    rules = {r[0] for r in warehouse.query("select rule from reference.quarantine_rules")}
    quarantined = 0
    for table in TABLES:
        raw_rows, accepted, in_quarantine = reconciliation[table]
        assert raw_rows == extract.raw_rows(table), f"{described}: {table} raw rows"
        assert raw_rows == accepted + in_quarantine, f"{described}: {table} does not reconcile"
        found = warehouse.query(f"select rule, count(*) from audit.quarantine_{table} group by rule")
        assert sum(n for _, n in found) == in_quarantine, f"{described}: {table} quarantine count"
        assert all(rule in rules for rule, _ in found), f"{described}: {table} rules {found}"
        quarantined += in_quarantine
    OUTCOMES["built and reconciled" + (" with rows quarantined" if quarantined else ", nothing quarantined")] += 1
    _report()


def _report() -> None:
    summary_line("fuzz", f"fuzzed raw extracts: {sum(OUTCOMES.values())} examples passed: "
                         + ", ".join(f"{n} {k}" for k, n in sorted(OUTCOMES.items())))
