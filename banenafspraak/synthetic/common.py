"""Shared by the raw data generator's modules (raw.py): the tables, the target groups and
their rates, the scales, the progress log and the day-number helpers.

Dates are day numbers (days since 1970-01-01, int64); NA stands for a missing date.
"""
from __future__ import annotations

import csv
import sys
import time
from dataclasses import dataclass

import numpy as np

from banenafspraak.config import ROOT

REFERENCE = ROOT / "seeds" / "reference"

TABLES = ["persons", "residences", "register_spells", "payroll", "sheltered_work_requests"]
# Per target group: its share of the persons, the chance that a person works at a given
# time, and the share of short jobs (mean 5 months) among its jobs; the rest are long
# (mean 3 years). The short-job share sets how many new jobs last a year: about a third
# over all groups (UWV's baanbehoud), fewer for Participatiewet, more for WSW/Wiw-ID.
GROUP_RATES = {  # group: (share, work propensity, short-job share)
    "participatiewet": (0.45, 0.30, 0.70),
    "wajong": (0.30, 0.37, 0.64),
    "wsw": (0.20, 0.45, 0.60),
    "wiw_id": (0.05, 0.50, 0.60),
}


def target_groups() -> list[str]:
    """The target groups of the reference seed (seeds/reference/target_groups.csv), in
    its sort order: the generator makes exactly these, so a group added to the seed
    needs its rates above (or the generator stops, naming the seed)."""
    with open(REFERENCE / "target_groups.csv", newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["sort_order"]))
    groups = [row["target_group"] for row in rows]
    if set(groups) != set(GROUP_RATES):
        raise ValueError(f"{REFERENCE / 'target_groups.csv'}: target groups {sorted(groups)} differ from the "
                         f"generator's rates for {sorted(GROUP_RATES)} (banenafspraak/synthetic/common.py)")
    return groups


GROUPS = np.array(target_groups())
GROUP_SHARE = np.array([GROUP_RATES[group][0] for group in GROUPS])
WORK_PROPENSITY = np.array([GROUP_RATES[group][1] for group in GROUPS])
SHORT_JOB_SHARE = np.array([GROUP_RATES[group][2] for group in GROUPS])
NA = -(10**9)  # day number that stands for a missing date (NULL)


@dataclass(frozen=True)
class Scale:
    stock: int               # persons registered on the first day
    first_quarter: str       # first quarter with payroll
    last_quarter: str        # last quarter with payroll


SCALES = {
    "demo": Scale(stock=2_000, first_quarter="2020Q4", last_quarter="2023Q4"),
    "small": Scale(stock=20_000, first_quarter="2019Q1", last_quarter="2023Q4"),
    "national": Scale(stock=200_000, first_quarter="2015Q1", last_quarter="2024Q4"),
}


# --------------------------------------------------------------------------- helpers
class Progress:
    """Prints one line per step with the time it took (stderr)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.t0 = time.perf_counter()
        self.t = self.t0

    def step(self, message: str) -> None:
        now = time.perf_counter()
        if not self.quiet:
            print(f"[{now - self.t0:7.1f}s] {message}", file=sys.stderr, flush=True)
        self.t = now


def quarter_bounds(label: str) -> tuple[np.datetime64, np.datetime64]:
    """First day of the quarter and first day of the next quarter."""
    if len(label) != 6 or label[4] != "Q" or label[5] not in "1234" or not label[:4].isdigit():
        raise SystemExit(f"generate_raw: quarter {label!r} is not of the form YYYYQn")
    year, q = int(label[:4]), int(label[5])
    start = np.datetime64(f"{year}-{3 * (q - 1) + 1:02d}-01", "D")
    end = (start.astype("datetime64[M]") + 3).astype("datetime64[D]")
    return start, end


def days(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[D]").astype(np.int64)


def month_of(day: np.ndarray) -> np.ndarray:
    """Month number (months since 1970-01) of day numbers."""
    return (day.astype("datetime64[D]").astype("datetime64[M]")).astype(np.int64)


def month_start(month: np.ndarray) -> np.ndarray:
    return month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def pick(rng: np.random.Generator, choices, shares, size) -> np.ndarray:
    shares = np.asarray(shares, dtype=float)
    return rng.choice(np.asarray(choices), size=size, p=shares / shares.sum())


def exp_days(rng: np.random.Generator, mean_days, size) -> np.ndarray:
    return np.maximum(1, rng.exponential(mean_days, size)).astype(np.int64)

