"""Write the synthetic reference seeds (no public source exists for them).

* seeds/reference/regional_target_shares.csv: each labour-market region's share of
  the national baseline and targets. No public regional baselines or targets
  exist; the shares follow the region weights the demo generator uses, so demo
  regions grow against targets of their own size. They sum to exactly 1.
* seeds/reference/sheltered_work_quota.csv: a minimum number of beschut werk
  places (taakstelling) per municipality and year. The real figures are in
  Bijlage II of the Regeling Participatiewet, which is not in this repository;
  these are synthetic: a national total that grows by 1,600 places a year from
  1,600 in 2015, spread over the municipalities by the same weights (largest
  remainder, so municipalities sum exactly to the national total).

Both are marked synthetic in their seed descriptions. Run:
  .venv/bin/python scripts/make_synthetic_reference.py
"""
from __future__ import annotations

import argparse
import csv
import sys
from decimal import ROUND_FLOOR, Decimal

from banenafspraak.config import ROOT

REFERENCE = ROOT / "seeds" / "reference"
YEARS = range(2015, 2027)


def municipality_weights() -> list[tuple[str, str, int]]:
    """(gemeente_code, region_code, weight), the weights of the raw generator (raw.py)."""
    with open(REFERENCE / "municipality_region.csv", newline="", encoding="utf-8") as handle:
        rows = sorted((r["gemeente_code"], r["region_code"]) for r in csv.DictReader(handle))
    return [(code, region, 1 + (i * 7919 % 23)) for i, (code, region) in enumerate(rows)]


def apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Largest-remainder split of an integer total by weights (ties: key order)."""
    whole = sum(weights.values())
    exact = {k: Decimal(total) * w / whole for k, w in weights.items()}
    floors = {k: int(v.to_integral_value(ROUND_FLOOR)) for k, v in exact.items()}
    short = total - sum(floors.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - floors[k]), k))[:short]:
        floors[k] += 1
    return floors


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0]).parse_args(argv)
    municipalities = municipality_weights()
    region_weight: dict[str, int] = {}
    for _, region, weight in municipalities:
        region_weight[region] = region_weight.get(region, 0) + weight
    millionths = apportion(1_000_000, region_weight)
    with open(REFERENCE / "regional_target_shares.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region_code", "share"])
        for region in sorted(millionths):
            writer.writerow([region, f"{Decimal(millionths[region]) / 1_000_000:.6f}"])
    with open(REFERENCE / "sheltered_work_quota.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["gemeente_code", "year", "quota_places"])
        for year in YEARS:
            national = 1_600 * (year - 2014)
            places = apportion(national, {code: weight for code, _, weight in municipalities})
            for code in sorted(places):
                writer.writerow([code, year, places[code]])
    print("wrote regional_target_shares.csv and sheltered_work_quota.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
