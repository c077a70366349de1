"""scripts/trace.py: trace one published cell to its persons and raw rows (see cell.py)."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

import duckdb

from banenafspraak.config import config
from banenafspraak.trace import cell
from banenafspraak.trace.cell import TraceError, trace_cell
from banenafspraak.trace.output import file_stem, output_folder, record, write_private


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(cell.__doc__ or "").split("\n\n")[0])
    settings = config()
    parser.add_argument("--mart", required=True)
    parser.add_argument("--quarter", required=True, help="YYYYQn")
    parser.add_argument("--region", required=True, help="AM01 … AM38 or UNKNOWN")
    parser.add_argument("--target-group")
    parser.add_argument("--measure", help="the mart column (default: persons_registered / valid_positive_advices)")
    parser.add_argument("--direction", choices=["inflow", "outflow"])
    parser.add_argument("--reason")
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse)
    parser.add_argument("--out", type=Path, default=settings.root / "audit_traces")
    args = parser.parse_args(argv)
    started = datetime.now()
    try:
        folder = output_folder(args.out)
        if not args.warehouse.is_file():  # duckdb.connect would create an empty one
            raise TraceError(f"no warehouse at {str(args.warehouse)!r} (build it, or give --warehouse)")
        with duckdb.connect(str(args.warehouse)) as con:
            trace = trace_cell(con, args.mart, args.quarter, args.region, args.target_group, args.measure,
                               args.direction, args.reason)
            output = write_private(folder, file_stem(trace, started),
                                   json.dumps({"cell": trace.cell, "published": trace.published,
                                               "computed": trace.computed, "adds_up": trace.adds_up,
                                               "persons": trace.persons, "raw_rows": trace.raw_rows},
                                              indent=2, default=str))
            record(con, trace, started, output)
    except TraceError as error:
        print(f"trace: {error}", file=sys.stderr)
        return 2
    except (duckdb.IOException, duckdb.CatalogException) as error:  # locked, not DuckDB, not built
        print(f"trace: cannot trace in the warehouse {str(args.warehouse)!r}: {error}", file=sys.stderr)
        return 2
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
