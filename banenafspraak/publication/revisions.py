"""The revision report: which cells of quarters published before changed, per fact mart."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from banenafspraak.sql import sql_literal, table_names


def revisions(previous_file: Path | None, new_file: Path, newest_quarter: str,
              grains: dict[str, list[str]]) -> dict:
    """Cells of quarters published before whose value changed, per fact mart; grains: each
    fact mart's key columns (banenafspraak.registry.fact_grains: as its tests declare it)."""
    report: dict[str, Any] = {"provisional_quarter": newest_quarter, "changed_cells": [], "summary": {}}
    if previous_file is None or not previous_file.exists():
        report["note"] = "first publication: nothing to compare"
        return report
    with duckdb.connect() as con:
        con.execute(f"attach {sql_literal(previous_file)} as old (read_only)")
        con.execute(f"attach {sql_literal(new_file)} as new (read_only)")
        old_quarters = {q for (q,) in con.execute("select quarter_label from old.marts.dim_quarter").fetchall()}
        old_marts = set(table_names(con, "old", "marts"))
        for mart, keys in grains.items():
            if mart not in old_marts:  # a mart new in this publication: nothing was revised
                continue
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'new' and "
                "table_schema = 'marts' and table_name = ? and data_type not in ('VARCHAR', 'DATE', 'BOOLEAN')",
                [mart]).fetchall() if c not in keys]
            join = " and ".join(f"n.{k} = o.{k}" for k in keys)
            # quarterly marts: the quarters published before; yearly marts: the cells published before
            published_before = ("coalesce(n.quarter_label, o.quarter_label) in (select quarter_label from "
                                "old.marts.dim_quarter)" if "quarter_label" in keys else f"o.{keys[0]} is not null")
            for column in columns:
                rows = con.execute(f"""
                    select {', '.join('coalesce(n.' + k + ', o.' + k + ')' for k in keys)},
                           o.{column}, n.{column}
                    from new.marts.{mart} as n full outer join old.marts.{mart} as o on {join}
                    where {published_before}
                      and o.{column} is distinct from n.{column}
                    order by all""").fetchall()
                for row in rows:
                    cell = dict(zip(keys, row[:len(keys)], strict=True))
                    old_value, new_value = row[len(keys)], row[len(keys) + 1]
                    delta = (float(new_value or 0) - float(old_value or 0))
                    report["changed_cells"].append({"mart": mart, **cell, "measure": column,
                                                    "old": str(old_value), "new": str(new_value),
                                                    "change": round(delta, 6)})
                if rows:
                    report["summary"][f"{mart}.{column}"] = len(rows)
        report["quarters_compared"] = sorted(old_quarters)
    return report


def revision_markdown(publication_id: str, info: dict, report: dict, public: dict, protection: dict) -> str:
    summary = ", ".join(f"{k}: {v}" for k, v in report["summary"].items()) or "none"
    return (f"# Revisions in publication {publication_id}\n\nNewest quarter {info['last_quarter']} is provisional.\n\n"
            f"Changed cells of quarters published before: {len(report['changed_cells'])} ({summary}).\n\n"
            + "\n".join(f"- {c['mart']} {c.get('quarter_label')} {c.get('region_code')} {c.get('target_group', '')} "
                        f"{c['measure']}: {c['old']} → {c['new']} ({c['change']:+})"
                        for c in report["changed_cells"][:500])
            + "\n"
            + f"\n## Disclosure control\n\n{public['rows']} public cells; "
            f"{protection['primary']} primary and {protection['secondary']} secondary suppressed. "
            f"Published before and now below the threshold, so suppressed from this vintage on: "
            f"{len(public['revised_below'])}.\n\n"
            + "\n".join(f"- {r[0]} {r[1]} {r[2]} {r[3]} {r[4]}" for r in public["revised_below"][:500]) + "\n")
