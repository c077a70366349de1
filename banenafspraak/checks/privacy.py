"""Privacy guard: no person-level data in the public marts.

Checks a built warehouse:
  1. no relation in schema `marts` has a person-level column (person_id,
     birth_date, employment_id, ... see PERSON_LEVEL_COLUMNS);
  2. no text value in `marts` is a person, spell, employment, employer or request
     key of the raw data (a key leaked under another column name);
  3. every mart declares its grain (a unique or unique-combination test in the
     manifest, or exactly one row) and that grain is made of aggregate dimensions
     only (quarter, region, target group, reason, ...), never a person.
Exits 1 and lists every finding when one fails.

Usage: scripts/check_privacy.py [--warehouse warehouse.duckdb] [--manifest target/manifest.json]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from banenafspraak.config import config
from banenafspraak.registry import declared_grains

PERSON_LEVEL_COLUMNS = {
    "person_id", "birth_date", "date_of_death", "gender", "employment_id", "employer_id", "spell_id",
    "request_id", "bsn", "citizen_service_number", "employment_start", "period_month", "valid_from",
    "valid_until", "decision_date", "request_date",
}
GRAIN_COLUMNS = {
    "quarter_label", "quarter_end_date", "region_code", "target_group", "direction", "reason",
    "gemeente_code", "year", "cohort_year", "durability_group", "period", "period_type", "breakdown",
    "measure", "code", "run_id", "class", "province_code", "province_name",
}
# raw keys that must never appear as a value in the marts
KEY_SOURCES = [
    ("intermediate.int_persons__accepted", "person_id"),
    ("intermediate.int_register_spells__accepted", "spell_id"),
    ("intermediate.int_payroll_employment_quarters__accepted", "employment_id"),
    ("intermediate.int_payroll__checked", "employer_id"),
    ("intermediate.int_sheltered_work_requests__accepted", "request_id"),
]


def findings(warehouse: Path, manifest_path: Path | None) -> list[str]:
    problems = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position").fetchall()
        marts = sorted({table for table, _, _ in columns})
        for table, column, _ in columns:
            if column.lower() in PERSON_LEVEL_COLUMNS:
                problems.append(f"marts.{table}.{column}: a person-level column in a public mart")
        keys = " union ".join(f"select cast({column} as varchar) as key from {relation}"
                              for relation, column in KEY_SOURCES)
        con.execute(f"create temp table raw_keys as {keys}")
        for table, column, data_type in columns:
            if data_type.upper() not in ("VARCHAR", "TEXT", "STRING"):
                continue
            leaked = con.execute(f'select count(*), min(m."{column}") from marts."{table}" as m '
                                 f'inner join raw_keys on m."{column}" = raw_keys.key').fetchall()[0]
            if leaked[0]:
                problems.append(f"marts.{table}.{column}: holds {leaked[0]} raw person-level key(s), "
                                f"e.g. {leaked[1]!r}")
        if manifest_path is not None:
            grains = declared_grains(json.loads(manifest_path.read_text()))
            for table in marts:
                rows = con.execute(f'select count(*) from marts."{table}"').fetchall()[0][0]
                grain = grains.get(table)
                if grain is None:
                    if rows > 1:
                        problems.append(f"marts.{table}: no declared grain (unique test) and {rows} rows")
                    continue
                personal = [c for c in grain if c not in GRAIN_COLUMNS]
                if personal:
                    problems.append(f"marts.{table}: grain {grain} has non-aggregate column(s) {personal}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    settings = config()
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse)
    parser.add_argument("--manifest", type=Path, default=settings.target / "manifest.json")
    args = parser.parse_args(argv)
    problems = findings(args.warehouse, args.manifest if args.manifest.exists() else None)
    for problem in problems:
        print(f"PRIVACY: {problem}", file=sys.stderr)
    if not problems:
        print(f"privacy guard: no person-level data in the marts of {args.warehouse}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
