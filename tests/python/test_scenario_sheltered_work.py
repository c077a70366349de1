"""The hand-made scenario's beschut werk requests (tests/fixtures/scenario_register,
README "Beschut werk"): fct_sheltered_work_quarter equals the table worked out by
hand; the quota is the seed's places summed over each region's municipalities."""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal

from conftest import FIXTURES, ROOT

EXPECTED = FIXTURES / "scenario_register" / "expected" / "fct_sheltered_work_quarter.csv"
COUNTS = ["requests_municipality", "requests_citizen", "positive_advices", "valid_positive_advices",
          "persons_working_sheltered"]


def test_sheltered_work_matches_hand_worked_table(scenario_warehouse):
    with open(EXPECTED, newline="") as handle:
        expected = {(r["quarter_label"], r["region_code"]): r for r in csv.DictReader(handle)}
    actual = scenario_warehouse.query_dicts("select * from marts.fct_sheltered_work_quarter")
    assert len(actual) == 4 * 35
    for row in actual:
        key = (row["quarter_label"], row["region_code"])
        want = expected.get(key)
        if want is None:  # every other region and quarter: nothing happened
            assert all(row[c] == 0 for c in COUNTS) and row["share_working"] is None, key
            continue
        assert {c: row[c] for c in COUNTS} == {c: int(want[c]) for c in COUNTS}, key
        if want["share_working"] == "":
            assert row["share_working"] is None, key
        else:
            assert row["share_working"] == Decimal(want["share_working"]), key


def test_quota_is_the_sum_over_the_municipalities(scenario_warehouse):
    reference = ROOT / "seeds" / "reference"
    with open(reference / "municipality_region.csv", newline="", encoding="utf-8") as handle:
        region_of = {r["gemeente_code"]: r["region_code"] for r in csv.DictReader(handle)}
    quota = defaultdict(int)
    with open(reference / "sheltered_work_quota.csv", newline="") as handle:
        for r in csv.DictReader(handle):
            if r["year"] == "2022":
                quota[region_of[r["gemeente_code"]]] += int(r["quota_places"])
    actual = dict(scenario_warehouse.query(
        "select region_code, quota from marts.fct_sheltered_work_quarter where quarter_label = '2022Q3'"))
    assert actual == dict(quota)


def test_real_data_uses_the_real_national_baseline_and_targets(scenario_warehouse):
    # with files (raw_path) nothing is scaled: the regions add up to 75,159 and to the
    # national targets of the seed (e.g. 92,500 for 2022)
    assert scenario_warehouse.query("select sum(baseline_jobs) from marts.dim_region") == [(75159,)]
    assert scenario_warehouse.query(
        "select sum(target_year_end), sum(target_year_end_market), sum(target_year_end_government)"
        " from marts.fct_region_progress_quarter where quarter_label = '2022Q4'") == [(92500, 70000, 22500)]
