"""The semantic layer's metrics equal the marts' columns (issue 21).

Builds the demo warehouse, then asks MetricFlow (`mf query`, one invocation per
mart and grain, all its metrics at once) for every public simple metric of the
registry by quarter and region, and by year and region, and compares with the
mart's column summed over target groups: exactly. A stock (semi-additive on the
peildatum) shows per year its last quarter, a flow the sum of the quarters.
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from banenafspraak import registry
from conftest import ROOT, Warehouse

MF = str(Path(sys.executable).with_name("mf"))


def load_registry(target: Path) -> list[dict]:
    return registry.registry(*registry.load_artifacts(target))


def mf_query(warehouse: Warehouse, metrics: list[str], group_by: str, out: Path) -> list[dict]:
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse.path), "DBT_PROFILES_DIR": str(ROOT),
           "DBT_TARGET": "ci", "DBT_TARGET_PATH": str(warehouse.target)}
    proc = subprocess.run([MF, "query", "--metrics", ",".join(metrics), "--group-by", group_by,
                           "--csv", str(out), "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0 and out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def number(value) -> Decimal:
    return Decimal(str(value)).normalize() if value not in (None, "") else Decimal(0)


@pytest.mark.slow
def test_every_metric_matches_its_mart(demo_warehouse, tmp_path):
    warehouse = demo_warehouse
    parse = warehouse.dbt("parse")  # writes semantic_manifest.json into the warehouse's target
    assert parse.ok, parse.output[-3000:]
    rows = [r for r in load_registry(warehouse.target)
            if r["public"] and r["type"] == "simple" and r["column"]]
    by_mart = defaultdict(list)
    for row in rows:
        by_mart[row["mart"]].append(row)
    assert by_mart, "the registry has no public metrics"
    checked = 0
    for mart, metrics in by_mart.items():
        names = [m["name"] for m in metrics]
        for grain in ("quarter", "year"):
            got = mf_query(warehouse, names, f"metric_time__{grain},region", tmp_path / f"{mart}_{grain}.csv")
            for metric in metrics:
                column = metric["column"]
                if metric["additivity"] == "semi_additive" and grain == "year":
                    sql = f"""
                        select date_trunc('year', quarter_end_date) as t, region_code, sum({column}) as v
                        from marts.{mart}
                        where quarter_end_date = (
                            select max(quarter_end_date) from marts.{mart} as last
                            where year(last.quarter_end_date) = year({mart}.quarter_end_date))
                        group by 1, 2"""
                else:
                    sql = f"""select date_trunc('{grain}', quarter_end_date) as t, region_code, sum({column}) as v
                              from marts.{mart} group by 1, 2"""
                expected = {(str(t)[:10], region): number(v) for t, region, v in warehouse.query(sql)}
                actual = {(r[f"metric_time__{grain}"][:10], r["region"]): number(r[metric["name"]])
                          for r in got if r[metric["name"]] not in ("", None)}
                expected = {k: v for k, v in expected.items() if k in actual or v != 0}
                assert actual == expected, f"{metric['name']} by {grain} differs from {mart}.{column}"
                checked += 1
    assert checked == 2 * len(rows)
