"""The semantic layer's metrics equal the marts' columns (issue 21).

Builds the demo warehouse, then asks MetricFlow (`mf query`, one invocation per
mart and grain, all its metrics at once) for every public metric of the
registry and compares with the mart's column. The mart's time dimension is read
from the semantic manifest (quarter_end_date, or for the yearly marts the
expression that casts the year to a date), so every mart is checked the same way.

- Additive and semi-additive simple metrics: by quarter and region and by year
  and region (yearly marts: by year and region), against the column summed over
  the mart's other dimensions (target groups, directions, reasons, durability
  groups): exactly. A stock (semi-additive on its date) shows per year its last
  quarter, a flow the sum of the quarters.
- Every other public metric (ratios, derived percent changes, the simple
  non-additive values with agg max): at the mart's own grain only (its time,
  region and the other columns of its unique_combination_of_columns test), the
  one grain where the mart has a value to compare with; coarser groupings of
  these metrics have no mart column (a ratio of sums is not a sum of ratios, and
  the required growth of a group of regions is not the sum of the regions').
  Ratios and derived metrics are computed by MetricFlow in floating point and
  the mart rounds half up to 6 decimals, so these agree within 0.000001; a NULL
  of the mart (nobody in the denominator) is a NULL of MetricFlow.
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
TOLERANCE = Decimal("0.000001")


def load_registry(target: Path) -> list[dict]:
    return registry.registry(*registry.load_artifacts(target))


def mart_layouts(target: Path) -> dict[str, dict]:
    """mart -> {time: SQL of its time dimension, grains: MetricFlow grains to check,
    entity: primary entity, grain_dims: [(column, MetricFlow group-by name)]} from
    the semantic manifest and the mart's unique_combination_of_columns test."""
    semantic, manifest = registry.load_artifacts(target)
    unique = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if meta.get("name") == "unique_combination_of_columns" and node.get("attached_node"):
            unique[node["attached_node"].split(".")[-1]] = meta["kwargs"]["combination_of_columns"]
    layouts = {}
    for model in semantic["semantic_models"]:
        mart = model["node_relation"]["alias"]
        dims = {d["name"]: d for d in model["dimensions"]}
        time = dims[model["defaults"]["agg_time_dimension"]]
        time_sql = time.get("expr") or time["name"]
        yearly = time["type_params"]["time_granularity"] == "year"
        entity = model["primary_entity"]
        by_column = {(d.get("expr") or d["name"]): d["name"] for d in model["dimensions"] if d["type"] == "categorical"}
        grain_dims = [(column, f"{entity}__{by_column[column]}") for column in unique.get(mart, [])
                      if column in by_column and column not in time_sql]
        layouts[mart] = {"time": time_sql, "grains": ("year",) if yearly else ("quarter", "year"),
                         "grain_dims": grain_dims}
    return layouts


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


def summed_sql(mart: str, time: str, grain: str, column: str, semi_additive: bool) -> str:
    """The column summed per time bucket and region; a stock only on the bucket's last date."""
    if not semi_additive or grain == "quarter" and time == "quarter_end_date":
        return f"""select date_trunc('{grain}', {time}) as t, region_code, sum({column}) as v
                   from marts.{mart} group by 1, 2"""
    return f"""
        select t, region_code, sum(v) from (
            select date_trunc('{grain}', {time}) as t, {time} as d, region_code, {column} as v,
                   max({time}) over (partition by date_trunc('{grain}', {time})) as last_d
            from marts.{mart}) as cells
        where d = last_d
        group by 1, 2"""


def summed_metrics(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["type"] == "simple" and r["additivity"] in ("additive", "semi_additive")]


@pytest.mark.slow
def test_every_metric_matches_its_mart(demo_warehouse, tmp_path):
    warehouse = demo_warehouse
    parse = warehouse.dbt("parse")  # writes semantic_manifest.json into the warehouse's target
    assert parse.ok, parse.output[-3000:]
    layouts = mart_layouts(warehouse.target)
    rows = [r for r in load_registry(warehouse.target) if r["public"] and r["column"]]
    by_mart = defaultdict(list)
    for row in rows:
        by_mart[row["mart"]].append(row)
    assert by_mart, "the registry has no public metrics"
    assert set(by_mart) <= set(layouts), f"metrics of marts without a semantic model: {set(by_mart) - set(layouts)}"
    checked = 0
    for mart, metrics in by_mart.items():
        layout = layouts[mart]
        summed = summed_metrics(metrics)
        for grain in layout["grains"] if summed else ():
            got = mf_query(warehouse, [m["name"] for m in summed], f"metric_time__{grain},region",
                           tmp_path / f"{mart}_{grain}.csv")
            for metric in summed:
                sql = summed_sql(mart, layout["time"], grain, metric["column"],
                                 metric["additivity"] == "semi_additive")
                expected = {(str(t)[:10], region): number(v) for t, region, v in warehouse.query(sql)}
                actual = {(r[f"metric_time__{grain}"][:10], r["region"]): number(r[metric["name"]])
                          for r in got if r[metric["name"]] not in ("", None)}
                expected = {k: v for k, v in expected.items() if k in actual or v != 0}
                assert actual == expected, f"{metric['name']} by {grain} differs from {mart}.{metric['column']}"
                checked += 1
        own_grain = [m for m in metrics if m not in summed]
        if not own_grain:
            continue
        grain = layout["grains"][0]
        dims = layout["grain_dims"]
        got = mf_query(warehouse, [m["name"] for m in own_grain],
                       ",".join([f"metric_time__{grain}", "region", *(name for _, name in dims)]),
                       tmp_path / f"{mart}_own_grain.csv")
        for metric in own_grain:
            select = ", ".join(["region_code", *(column for column, _ in dims)])
            sql = f"""select date_trunc('{grain}', {layout['time']}), {select}, {metric['column']}
                      from marts.{mart}"""
            expected = {(str(t)[:10], *map(str, keys)): Decimal(str(v))
                        for t, *keys, v in warehouse.query(sql) if v is not None}
            actual = {(r[f"metric_time__{grain}"][:10], r["region"], *(r[name] for _, name in dims)):
                      Decimal(r[metric["name"]]) for r in got if r[metric["name"]] not in ("", None)}
            assert expected, f"{mart}.{metric['column']} is empty"
            assert actual.keys() == expected.keys(), \
                f"{metric['name']}: other cells than {mart}.{metric['column']} (or NULLs elsewhere)"
            exact = metric["type"] == "simple"
            wrong = {k: (actual[k], v) for k, v in expected.items()
                     if (actual[k] != v if exact else abs(actual[k] - v) > TOLERANCE)}
            assert not wrong, f"{metric['name']} differs from {mart}.{metric['column']}: {list(wrong.items())[:5]}"
            checked += 1
    assert checked == sum(len(layouts[r["mart"]]["grains"]) if r in summed_metrics(rows) else 1 for r in rows)
