"""Synthetic raw data for the banenafspraak warehouse (raw contract, version 1).

Writes the five raw tables (persons, residences, register_spells, payroll,
sheltered_work_requests) as CSV or Parquet. Everything is synthetic: no real
person is described. The same --seed always gives the same files.

The simulation is vectorised with numpy (no per-row Python loops); DuckDB formats
the identifiers and writes the files, so national scale (tens of millions of
payroll rows) generates in minutes.

What the data contains, on purpose (see README, "Demo data"):
  * all 35 labour-market regions, all four target groups;
  * inflow for every inflow reason and outflow for every outflow reason;
  * group changes, moves between regions (some together with a group change),
    overlapping spells, spells shorter than a quarter, persons without a
    residence, deaths (also where the register was not updated), pension age;
  * payroll corrections (several rows per employment-month), several
    employments at once, market and government employers, zero-hour months,
    `sheltered_work` and `wsw_sheltered` employments;
  * beschut werk requests by municipalities and citizens, all four decisions,
    advices that expire, and positive advices with and without sheltered work;
  * job starts, changes and losses such that about two thirds of the people who
    start a job still work a year later and about a third in the same job.
Rates are roughly those of UWV's publications: about half of the registered
persons work, about 2 % of the stock flows in and about 1 % flows out per quarter.

Usage:
  generate_raw.py --scale demo --format csv --out seeds/demo
  generate_raw.py --scale national --format parquet --out /data/raw_national
  generate_raw.py --scale national --through 2024Q3 ...   # data as known then
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from banenafspraak.config import ROOT
from banenafspraak.sql import sql_literal

REFERENCE = ROOT / "seeds" / "reference"

TABLES = ["persons", "residences", "register_spells", "payroll", "sheltered_work_requests"]
GROUPS = np.array(["participatiewet", "wajong", "wsw", "wiw_id"])
GROUP_SHARE = np.array([0.45, 0.30, 0.20, 0.05])
# chance that a person works at a given time, by target group
WORK_PROPENSITY = np.array([0.30, 0.37, 0.45, 0.50])
# share of short jobs (mean 5 months) among a group's jobs; the rest are long
# (mean 3 years). It sets how many new jobs last a year: about a third over all
# groups (UWV's baanbehoud), fewer for Participatiewet, more for WSW/Wiw-ID.
SHORT_JOB_SHARE = np.array([0.70, 0.64, 0.60, 0.60])
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


# --------------------------------------------------------------------------- generator
class Generator:
    def __init__(self, scale: Scale, seed: int, progress: Progress) -> None:
        self.rng = np.random.default_rng(seed)
        self.scale = scale
        self.p = progress
        self.h0, _ = quarter_bounds(scale.first_quarter)
        _, self.h1 = quarter_bounds(scale.last_quarter)
        self.H0, self.H1 = int(days(self.h0)), int(days(self.h1))
        self.municipalities = self._load_municipalities()

    # ------------------------------------------------------------------ reference
    def _load_municipalities(self):
        con = duckdb.connect()
        current = con.sql(
            "select gemeente_code, region_code from read_csv(?) order by gemeente_code",
            params=[str(REFERENCE / "municipality_region.csv")]).fetchall()
        former_file = REFERENCE / "former_municipality_codes.csv"
        former = []
        if former_file.exists():
            former = con.sql(
                "select gemeente_code, region_code, last_year"
                " from read_csv(?, all_varchar = true) order by gemeente_code",
                params=[str(former_file)]).fetchall()
        codes = np.array([c for c, _ in current])
        regions = np.array([r for _, r in current])
        # weight: larger regions get more people, every region gets some
        weight = 1.0 + (np.arange(len(codes)) * 7919 % 23)
        return {
            "codes": codes,
            "regions": regions,
            "weight": weight / weight.sum(),
            "former": former,
        }

    # ------------------------------------------------------------------ persons
    def persons_and_spells(self):
        rng, H0, H1 = self.rng, self.H0, self.H1
        n_quarters = (H1 - H0) / 91.3
        n_stock = self.scale.stock
        n_in = int(round(n_stock * 0.021 * n_quarters * 1.08))
        n_other = int(round(n_stock * 0.05))  # never registered (sheltered work requests only)
        n = n_stock + n_in + n_other
        self.p.step(f"persons: {n_stock:,} in stock, {n_in:,} inflow, {n_other:,} never registered")

        kind = np.concatenate([np.zeros(n_stock, int), np.ones(n_in, int), np.full(n_other, 2)])
        entry = np.empty(n, np.int64)
        entry[kind == 0] = H0 - rng.integers(1, 9 * 365, n_stock)
        entry[kind == 1] = rng.integers(H0, H1, n_in)
        entry[kind == 2] = H1 + 10_000  # never
        group = pick(rng, np.arange(4), GROUP_SHARE, n)
        age_at_entry = np.clip(rng.gamma(2.2, 8.0, n) + 17, 16, 64)
        birth = entry - (age_at_entry * 365.25).astype(np.int64)
        birth[kind == 2] = H0 - rng.integers(20 * 365, 60 * 365, n_other)
        gender = pick(rng, np.array(["M", "F", "U"]), [0.55, 0.44, 0.01], n)

        # exit from the register: memoryless, about 0.7 % a quarter, then pension and death
        exit_ = entry + exp_days(rng, 91.3 / 0.0072, n)
        stock_start = np.maximum(entry, H0)
        exit_ = np.where(kind == 0, stock_start + exp_days(rng, 91.3 / 0.0072, n), exit_)
        reason = np.empty(n, dtype=object)
        r = rng.random(n)
        reason[:] = "other"
        is_pw, is_wsw = group == 0, group == 2
        reason[is_wsw & (r < 0.55)] = "wsw_sheltered_started"
        reason[is_wsw & (r >= 0.55) & (r < 0.62)] = "voluntary_deregistration"
        reason[is_wsw & (r >= 0.62) & (r < 0.82)] = "no_work_capacity"
        reason[is_pw & (r < 0.22)] = "sheltered_work_indication"
        reason[is_pw & (r >= 0.22) & (r < 0.32)] = "voluntary_deregistration"
        reason[is_pw & (r >= 0.32) & (r < 0.72)] = "no_work_capacity"
        rest = ~is_pw & ~is_wsw
        reason[rest & (r < 0.15)] = "voluntary_deregistration"
        reason[rest & (r >= 0.15) & (r < 0.65)] = "no_work_capacity"
        pension = birth + int(67 * 365.25)
        by_pension = pension < exit_
        exit_ = np.where(by_pension, pension, exit_)
        reason[by_pension] = "pension_age"
        death = birth + (rng.gamma(9.0, 8.5, n) * 365.25).astype(np.int64) + 16 * 365
        death = np.where(rng.random(n) < 0.35, death, H1 + 100_000)  # most do not die in range
        death = np.where(death <= entry, entry + exp_days(rng, 5 * 365, n), death)
        by_death = death < exit_
        exit_ = np.where(by_death, death, exit_)
        reason[by_death] = "death"
        has_death = death < H1 + 50_000

        spells = []  # tuples of arrays (person, group, from, until, in_reason, out_reason)

        def add(person, grp, start, until, in_reason, out_reason):
            spells.append((person, grp, start, until, np.asarray(in_reason, dtype=object),
                           np.asarray(out_reason, dtype=object)))

        registered = kind < 2
        main = np.flatnonzero(registered)
        in_reason = pick(rng, np.array(["new_indication", "other", "wsw_sheltered_ended"]),
                         [0.85, 0.1, 0.05], n).astype(object)
        in_reason[(group != 2) & (in_reason == "wsw_sheltered_ended")] = "new_indication"

        # the register is not always updated at death: sometimes the spell stays open, or
        # it ends later with another reason; the warehouse ends it at death anyway
        out_until = exit_.copy()
        out_reason = reason.copy()
        r = rng.random(n)
        open_at_death = by_death & (r < 0.15)
        late_at_death = by_death & (r >= 0.15) & (r < 0.3)
        out_until[late_at_death] = exit_[late_at_death] + rng.integers(20, 200, late_at_death.sum())
        out_reason[late_at_death] = "other"

        # group change: split the main spell at a date inside it
        change = registered & (rng.random(n) < 0.07) & (exit_ - np.maximum(entry, H0 - 400) > 200)
        change_day = np.maximum(entry, H0 - 400) + \
            (rng.random(n) * (np.minimum(exit_, H1) - np.maximum(entry, H0 - 400))).astype(np.int64)
        change &= (change_day > entry + 30) & (change_day < exit_ - 30)
        new_group = (group + rng.integers(1, 4, n)) % 4
        keep = main[~change[main]]
        add(keep, group[keep], entry[keep], out_until[keep], in_reason[keep], out_reason[keep])
        ch = np.flatnonzero(change)
        # the register sometimes records a group change with a gap between the two
        # spells; across a peildatum that is an outflow and an inflow for group_change
        gap = np.where(rng.random(len(ch)) < 0.12, rng.integers(5, 80, len(ch)), 0)
        gap = np.minimum(gap, np.maximum(out_until[ch] - change_day[ch] - 2, 0))
        add(ch, group[ch], entry[ch], change_day[ch], in_reason[ch], np.full(len(ch), "group_change"))
        add(ch, new_group[ch], change_day[ch] + gap, out_until[ch], np.full(len(ch), "group_change"), out_reason[ch])
        final_group = np.where(change, new_group, group)
        self.p.step(f"register spells: {len(main):,} main spells, {len(ch):,} group changes")

        # WSW: back in the register when the sheltered WSW job ends
        back = registered & (reason == "wsw_sheltered_started") & (rng.random(n) < 0.5) & ~has_death
        back_from = exit_ + exp_days(rng, 300, n)
        back &= back_from < H1 + 200
        back_until = back_from + exp_days(rng, 91.3 / 0.01, n)
        b = np.flatnonzero(back)
        add(b, np.full(len(b), 2), back_from[b], back_until[b],
            np.full(len(b), "wsw_sheltered_ended"), np.full(len(b), "other"))
        # overlapping spell of another group (the later start wins while both hold)
        ov = registered & (rng.random(n) < 0.025)
        ov_from = np.maximum(entry, H0 - 200) + rng.integers(10, 500, n)
        ov_until = ov_from + rng.integers(60, 400, n)
        ov &= ov_until < exit_
        o = np.flatnonzero(ov)
        add(o, (final_group[o] + 1) % 4, ov_from[o], ov_until[o],
            np.full(len(o), "other"), np.full(len(o), "other"))
        # spell shorter than a quarter, between two peildata, before the main entry
        sh = (kind == 1) & (rng.random(n) < 0.03)
        q_start = (entry.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) // 3) * 3
        sh_from = month_start(q_start - 3) + rng.integers(2, 20, n)
        sh_until = sh_from + rng.integers(10, 50, n)
        sh &= sh_from >= H0
        s = np.flatnonzero(sh)
        add(s, group[s], sh_from[s], sh_until[s],
            np.full(len(s), "new_indication"), np.full(len(s), "voluntary_deregistration"))
        self.p.step(f"register spells: {len(b):,} WSW returns, {len(o):,} overlaps, {len(s):,} short spells")

        sp_person = np.concatenate([x[0] for x in spells])
        sp_group = np.concatenate([x[1] for x in spells])
        sp_from = np.concatenate([x[2] for x in spells])
        sp_until = np.concatenate([x[3] for x in spells]).astype(np.int64)
        sp_in = np.concatenate([x[4] for x in spells])
        sp_out = np.concatenate([x[5] for x in spells])
        # ends after the horizon are unknown yet: cut_off() opens them
        open_ = np.isin(sp_person, np.flatnonzero(open_at_death)) & (sp_until == exit_[sp_person])
        order = np.lexsort((sp_from, sp_person))
        self.persons = {
            "n": n, "kind": kind, "birth": birth, "gender": gender,
            "death": np.where(has_death & (death < H1 + 3650), death, NA),
            "entry": entry, "exit": exit_, "exit_reason": reason, "group": final_group,
        }
        self.spells = {
            "person": sp_person[order], "group": GROUPS[sp_group[order]],
            "from": sp_from[order], "until": np.where(open_[order], NA, sp_until[order]),
            "in": sp_in[order], "out": np.where(open_[order], None, sp_out[order]),
        }
        self.change_day = np.where(change, change_day, NA)

    # ------------------------------------------------------------------ residences
    def residences(self):
        rng, n = self.rng, self.persons["n"]
        m = self.municipalities
        home = pick(rng, np.arange(len(m["codes"])), m["weight"], n)
        since = np.minimum(self.persons["entry"], self.H0) - rng.integers(100, 15 * 365, n)
        rows = []
        none = rng.random(n) < 0.006  # no residence at all (reported in region UNKNOWN)
        movers = ~none & (rng.random(n) < 0.10)
        # a move together with a group change in the same quarter
        cd = self.change_day
        with_change = ~none & (cd > NA) & (rng.random(n) < 0.4)
        movers |= with_change
        move_day = self.H0 + (rng.random(n) * (self.H1 - self.H0)).astype(np.int64)
        move_day = np.where(with_change, cd + rng.integers(0, 20, n), move_day)
        same_region = rng.random(n) < 0.45
        other = pick(rng, np.arange(len(m["codes"])), m["weight"], n)
        # a move within the region: pick a municipality of the same region when there is one
        region_of = m["regions"]
        for reg in np.unique(region_of):
            idx = np.flatnonzero(region_of == reg)
            sel = same_region & (region_of[home] == reg)
            other[sel] = idx[rng.integers(0, len(idx), sel.sum())]
        other = np.where(other == home, (home + 1) % len(m["codes"]), other)
        stay = np.flatnonzero(~none & ~movers)
        rows.append((stay, m["codes"][home[stay]], since[stay], np.full(len(stay), NA)))
        mv = np.flatnonzero(movers)
        rows.append((mv, m["codes"][home[mv]], since[mv], move_day[mv]))
        gap = rng.random(n) < 0.08  # some movers are without a residence for a while
        arrive = move_day + np.where(gap, rng.integers(30, 200, n), 0)
        rows.append((mv, m["codes"][other[mv]], arrive[mv], np.full(len(mv), NA)))
        # overlapping registration in two municipalities (latest valid_from wins)
        ov = np.flatnonzero(~none & ~movers & (rng.random(n) < 0.005))
        ov_from = self.H0 + rng.integers(0, self.H1 - self.H0, len(ov))
        rows.append((ov, m["codes"][other[ov]], ov_from, ov_from + rng.integers(30, 300, len(ov))))
        # former municipality codes (mergers): people living there before the merger
        first_year = int(str(self.h0)[:4])
        former = [f for f in m["former"] if int(f[2]) >= first_year and f[1] in set(region_of)]
        n_former = 0
        if former:
            pool = np.flatnonzero(~none & ~movers)
            take = pool[rng.random(len(pool)) < 0.02]
            if len(take):
                f_idx = rng.integers(0, len(former), len(take))
                f_code = np.array([former[i][0] for i in f_idx])
                # after the merger: a current municipality of the same region
                f_succ = np.empty(len(take), dtype=object)
                for j, i in enumerate(f_idx):
                    same = np.flatnonzero(region_of == former[i][1])
                    f_succ[j] = m["codes"][same[(take[j] * 31) % len(same)]]
                f_succ = f_succ.astype(str)
                f_end = days([f"{int(former[i][2]) + 1}-01-01" for i in f_idx])
                # replace their only residence by: former code until the merger, successor after
                keep = ~np.isin(rows[0][0], take)
                rows[0] = tuple(col[keep] for col in rows[0])
                rows.append((take, f_code, since[take], f_end))
                rows.append((take, f_succ, f_end, np.full(len(take), NA)))
                n_former = len(take)
        person = np.concatenate([x[0] for x in rows])
        code = np.concatenate([x[1] for x in rows])
        vfrom = np.concatenate([x[2] for x in rows])
        vuntil = np.concatenate([x[3] for x in rows]).astype(np.int64)
        order = np.lexsort((vfrom, person))
        self.res = {"person": person[order], "code": code[order], "from": vfrom[order], "until": vuntil[order]}
        self.home_code = m["codes"][home]
        self.p.step(f"residences: {len(person):,} rows, {none.sum():,} persons without any, "
                    f"{movers.sum():,} movers, {n_former:,} in former municipalities")

    # ------------------------------------------------------------------ sheltered work
    def sheltered_work(self):
        rng, P = self.rng, self.persons
        n = P["n"]
        H0, H1 = self.H0, self.H1
        # requests: people leaving the register for a beschut werk indication, people never
        # registered, and a few other participatiewet people (often a negative advice)
        a = (P["exit_reason"] == "sheltered_work_indication") & (P["exit"] < H1 + 100)
        b = P["kind"] == 2
        c = (P["kind"] < 2) & (P["group"] == 0) & (rng.random(n) < 0.06) & ~a
        who = np.concatenate([np.flatnonzero(a), np.flatnonzero(b), np.flatnonzero(c)])
        decided = np.concatenate([
            np.clip(P["exit"][a] - rng.integers(1, 40, a.sum()), H0 - 5 * 365, None),
            H0 - 3 * 365 + (rng.random(b.sum()) * (H1 - H0 + 3 * 365 + 90)).astype(np.int64),
            H0 - 2 * 365 + (rng.random(c.sum()) * (H1 - H0 + 2 * 365 + 90)).astype(np.int64),
        ])
        decision = np.concatenate([
            np.full(a.sum(), "positive"),
            pick(rng, np.array(["positive", "negative", "withdrawn"]), [0.7, 0.22, 0.08], b.sum()),
            pick(rng, np.array(["positive", "negative", "withdrawn"]), [0.25, 0.6, 0.15], c.sum()),
        ]).astype(object)
        # a second request of the same person (a new request after a negative advice)
        again = np.flatnonzero((decision == "negative") & (rng.random(len(who)) < 0.3))
        who = np.concatenate([who, who[again]])
        decided = np.concatenate([decided, decided[again] + rng.integers(150, 500, len(again))])
        decision = np.concatenate([decision, pick(rng, np.array(["positive", "negative"]), [0.6, 0.4],
                                                  len(again)).astype(object)])
        request = decided - rng.integers(20, 120, len(who))
        # decisions after the extract's date are still pending then (see cut_off)
        keep = request < H1
        who, decided, decision, request = who[keep], decided[keep], decision[keep], request[keep]
        requester = pick(rng, np.array(["municipality", "citizen"]), [0.8, 0.2], len(who))
        expires = (decision == "positive") & (rng.random(len(who)) < 0.4)
        valid_until = np.where(expires, decided + rng.integers(365, 5 * 365, len(who)), NA)
        self.req = {
            "person": who, "code": self.home_code[who], "requester": requester,
            "request": request, "decision": decision,
            "decided": np.where(decision == "pending", NA, decided),
            "valid_until": valid_until,
        }
        self.p.step(f"sheltered work requests: {len(who):,} ({(decision == 'positive').sum():,} positive)")

    # ------------------------------------------------------------------ employments
    def employments(self):
        rng, P = self.rng, self.persons
        n = P["n"]
        H0, H1 = self.H0, self.H1
        prop = WORK_PROPENSITY[P["group"]] * np.clip(rng.normal(1, 0.35, n), 0.05, 1.6)
        prop = np.clip(prop, 0.03, 0.95)
        prop[P["kind"] == 2] *= 0.3
        # an employment is short (mean 5 months) or long (mean 36), by group
        k = 18
        start0 = H0 - 6 * 365
        short_share = SHORT_JOB_SHARE[P["group"]]
        short = rng.random((n, k)) < short_share[:, None]
        dur = np.where(short, rng.exponential(150, (n, k)), rng.exponential(1100, (n, k)))
        dur = np.maximum(dur, 20).astype(np.int64)
        mean_dur = short_share * 150 + (1 - short_share) * 1100
        gap_mean = 1.45 * mean_dur * (1 - prop) / prop
        gap = np.maximum(rng.exponential(1.0, (n, k)) * gap_mean[:, None], 1).astype(np.int64)
        # people who lose a job find the next sooner than people who never worked
        gap[:, 1:] = np.maximum(1, (gap[:, 1:] * 0.33).astype(np.int64))
        cycle = gap + dur
        ends = start0 + np.cumsum(cycle, axis=1)
        starts = ends - dur
        death = np.where(P["death"] > NA, P["death"], H1 + 10_000)
        ends = np.minimum(ends, death[:, None])
        valid = (starts < np.minimum(H1, death)[:, None]) & (ends > H0)
        person = np.repeat(np.arange(n), k).reshape(n, k)[valid]
        e_start, e_end = starts[valid], ends[valid]
        kind = np.full(len(person), "regular", dtype=object)
        # a second job at the same time for some
        side = rng.random(len(person)) < 0.09
        s_start = e_start[side] + rng.integers(0, 200, side.sum())
        s_end = np.minimum(s_start + rng.integers(60, 900, side.sum()), e_end[side] + 200)
        person = np.concatenate([person, person[side]])
        e_start = np.concatenate([e_start, s_start])
        e_end = np.concatenate([e_end, s_end])
        kind = np.concatenate([kind, np.full(side.sum(), "regular", dtype=object)])
        # beschut werk (sheltered_work) for most positive advices (about two thirds work at a time)
        R = self.req
        pos = np.flatnonzero((R["decision"] == "positive") & (rng.random(len(R["person"])) < 0.76))
        sw_start = R["decided"][pos] + rng.integers(15, 90, len(pos))
        sw_end = np.where(R["valid_until"][pos] > NA, R["valid_until"][pos], H1 + 500)
        sw_end = np.minimum(sw_end, sw_start + exp_days(rng, 5000, len(pos)))
        # sheltered WSW jobs for the people who left the register for one
        w = np.flatnonzero((P["exit_reason"] == "wsw_sheltered_started") & (P["exit"] < H1))
        w_end = P["exit"][w] + exp_days(rng, 900, len(w))
        person = np.concatenate([person, R["person"][pos], w])
        e_start = np.concatenate([e_start, sw_start, P["exit"][w]])
        e_end = np.concatenate([e_end, sw_end, w_end])
        kind = np.concatenate([kind, np.full(len(pos), "sheltered_work", dtype=object),
                               np.full(len(w), "wsw_sheltered", dtype=object)])
        e_end = np.minimum(e_end, death[person])
        ok = (e_start < e_end) & (e_start < H1) & (e_end > H0)
        person, e_start, e_end, kind = person[ok], e_start[ok], e_end[ok], kind[ok]
        m = len(person)
        n_employers = max(50, n // 12)
        employer = rng.integers(0, n_employers, m)
        gov_employer = (np.arange(n_employers) * 2654435761 % 1000) < 200
        employer[kind == "wsw_sheltered"] = n_employers + rng.integers(0, max(3, n_employers // 400),
                                                                      (kind == "wsw_sheltered").sum())
        sector = np.where((employer >= n_employers) | gov_employer[np.minimum(employer, n_employers - 1)],
                          "government", "market")
        contract = pick(rng, np.array(["permanent", "temporary", "unknown"]), [0.4, 0.55, 0.05], m)
        base_hours = np.clip(rng.gamma(4.0, 22.0, m), 8, 173)
        zero_hours = rng.random(m) < 0.12  # on-call contracts: some months without hours
        self.emp = {
            "person": person, "start": e_start, "end": e_end, "kind": kind, "employer": employer,
            "sector": sector, "contract": contract, "hours": base_hours, "on_call": zero_hours,
        }
        self.p.step(f"employments: {m:,} ({(kind == 'sheltered_work').sum():,} beschut werk, "
                    f"{(kind == 'wsw_sheltered').sum():,} sheltered WSW)")

    def payroll(self):
        rng, E = self.rng, self.emp
        h0m = int(month_of(np.array([self.H0]))[0])
        h1m = int(month_of(np.array([self.H1 - 1]))[0])
        first = np.maximum(month_of(E["start"]), h0m)
        last = np.minimum(month_of(E["end"] - 1), h1m)
        count = np.maximum(last - first + 1, 0)
        total = int(count.sum())
        self.p.step(f"payroll: expanding {len(count):,} employments to {total:,} employment-months")
        emp = np.repeat(np.arange(len(count)), count)
        offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
        month = first[emp] + offset
        mstart = month_start(month)
        mend = month_start(month + 1)
        worked = (np.minimum(mend, E["end"][emp]) - np.maximum(mstart, E["start"][emp])) / (mend - mstart)
        hours = E["hours"][emp] * worked * np.clip(rng.normal(1, 0.08, total), 0.6, 1.4)
        on_call_zero = E["on_call"][emp] & (rng.random(total) < 0.25)
        hours = np.where(on_call_zero, 0.0, hours)
        hours = np.round(hours, 2)
        # corrections: a second (and sometimes third) row for the same employment-month
        corr = np.flatnonzero(rng.random(total) < 0.025)
        corr2 = corr[rng.random(len(corr)) < 0.15]
        idx = np.concatenate([np.arange(total), corr, corr2])
        # a correction never equals the row it corrects (that would be an exact copy)
        first_fix = np.round(rng.uniform(0.5, 16, len(corr)), 2)
        first_fix = np.where(first_fix == hours[corr], first_fix + 0.01, first_fix)
        second_fix = np.round(rng.uniform(17, 20, len(corr2)), 2)
        second_fix = np.where(second_fix == hours[corr2], second_fix + 0.01, second_fix)
        paid = np.concatenate([hours, first_fix, second_fix])
        self.pay = {"emp": emp[idx], "month": month[idx], "hours": paid}
        self.p.step(f"payroll: {len(idx):,} rows ({len(corr) + len(corr2):,} corrections)")

    # ------------------------------------------------------------------ cut-off
    def cut_off(self, through: str):
        """Keep what was known at the end of quarter `through`.

        Called with the last simulated quarter by default; an earlier quarter gives the
        extract as it was then (for incremental refresh tests)."""
        _, cut = quarter_bounds(through)
        C = int(days(cut))
        self.p.step(f"cut-off: data as known on {cut} (end of {through})")
        P, S, R, Q = self.persons, self.spells, self.res, self.req
        P["death"] = np.where(P["death"] >= C, NA, P["death"])
        keep = S["from"] < C
        for key in S:
            S[key] = S[key][keep]
        late = S["until"] >= C
        S["until"] = np.where(late, NA, S["until"])
        S["out"] = np.where(late | (S["until"] == NA), None, S["out"])
        keep = R["from"] < C
        for key in R:
            R[key] = R[key][keep]
        R["until"] = np.where(R["until"] >= C, NA, R["until"])
        keep = Q["request"] < C
        for key in Q:
            Q[key] = Q[key][keep]
        later = Q["decided"] >= C
        Q["decision"] = np.where(later, "pending", Q["decision"])
        Q["decided"] = np.where(later, NA, Q["decided"])
        Q["valid_until"] = np.where(later, NA, Q["valid_until"])
        keep = month_start(self.pay["month"]) < C
        for key in self.pay:
            self.pay[key] = self.pay[key][keep]

    # ------------------------------------------------------------------ faults
    def inject_faults(self):
        """A handful of contract-breaking rows, so quarantine is exercised in the demo."""
        self.faults = True


# --------------------------------------------------------------------------- writing
def to_date(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.int64)
    mask = values == NA
    arr = pa.array(values.astype(np.int32), type=pa.int32(), mask=mask)
    return arr.cast(pa.date32())


def write(gen: Generator, out: Path, fmt: str, faults: bool, progress: Progress) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    P, S, R, Q, E, Y = gen.persons, gen.spells, gen.res, gen.req, gen.emp, gen.pay
    con.register("persons_np", pa.table({
        "pid": np.arange(P["n"]), "birth_date": to_date(P["birth"]), "gender": P["gender"],
        "date_of_death": to_date(P["death"]),
    }))
    con.register("residences_np", pa.table({
        "pid": R["person"], "gemeente_code": R["code"], "valid_from": to_date(R["from"]),
        "valid_until": to_date(R["until"]),
    }))
    con.register("spells_np", pa.table({
        "sid": np.arange(len(S["person"])), "pid": S["person"], "target_group": S["group"].astype(str),
        "valid_from": to_date(S["from"]), "valid_until": to_date(S["until"]),
        "inflow_reason": S["in"].astype(str), "outflow_reason": pa.array(list(S["out"]), type=pa.string()),
    }))
    con.register("requests_np", pa.table({
        "rid": np.arange(len(Q["person"])), "pid": Q["person"], "gemeente_code": Q["code"], "requester": Q["requester"],
        "request_date": to_date(Q["request"]), "decision": Q["decision"].astype(str),
        "decision_date": to_date(Q["decided"]), "advice_valid_until": to_date(Q["valid_until"]),
    }))
    emp = Y["emp"]
    con.register("payroll_np", pa.table({
        "pid": E["person"][emp], "eid": emp.astype(np.int64), "wid": E["employer"][emp],
        "sector": E["sector"][emp], "month": to_date(month_start(Y["month"])),
        "paid_hours": Y["hours"], "contract_type": E["contract"][emp],
        "employment_kind": E["kind"][emp].astype(str), "employment_start": to_date(E["start"][emp]),
    }))
    pid = "'P' || lpad(cast(pid + 1 as varchar), 7, '0')"
    queries = {
        "persons": f"""select {pid} as person_id, birth_date, gender, date_of_death
                        from persons_np order by pid""",
        "residences": f"""select {pid} as person_id, gemeente_code, valid_from, valid_until
                           from residences_np order by pid, valid_from, gemeente_code""",
        "register_spells": f"""select 'S' || cast(sid + 1 as varchar) as spell_id,
                                {pid} as person_id, target_group, valid_from, valid_until,
                                inflow_reason, outflow_reason
                               from spells_np order by sid""",
        "payroll": f"""select {pid} as person_id,
                        'E' || lpad(cast(eid + 1 as varchar), 8, '0') as employment_id,
                        'W' || lpad(cast(wid + 1 as varchar), 6, '0') as employer_id,
                        sector, month as period_month,
                        cast(paid_hours as decimal(12, 2)) as paid_hours,
                        contract_type, employment_kind, employment_start
                       from payroll_np""",
        "sheltered_work_requests": f"""select 'R' || lpad(cast(rid + 1 as varchar), 7, '0') as request_id,
                        {pid} as person_id, gemeente_code, requester, request_date,
                        decision, decision_date, advice_valid_until
                       from requests_np order by rid""",
    }
    counts = {}
    for table, sql in queries.items():
        con.execute(f"create or replace temp table out_{table} as {sql}")
    if faults:
        _faults(con)
    for table in TABLES:
        target = out / f"{table}.{fmt}"
        if fmt == "csv":
            con.execute(f"copy (select * from out_{table}) to {sql_literal(target)} (header, delimiter ',')")
        else:
            # payroll in blocks of one year (as yearly deliveries), each block by
            # employment and month: the row groups' min/max of period_month then
            # let an incremental refresh skip the years it keeps (README,
            # Performance), and rows of one employment stay together, which keeps
            # a full scan as fast as before at 1.5× the file size (month order
            # alone: 3× the size and a 50 % slower scan); the CSV seeds keep their order
            order = (" order by year(period_month), employment_id, period_month"
                     if table == "payroll" else "")
            con.execute(f"copy (select * from out_{table}{order}) to {sql_literal(target)}"
                        " (format parquet, compression zstd)")
        counts[table] = con.execute(f"select count(*) from out_{table}").fetchall()[0][0]
        progress.step(f"wrote {target} ({counts[table]:,} rows)")
    return counts


def _faults(con: duckdb.DuckDBPyConnection) -> None:
    """Rows that break the raw contract, as real extracts have them (demo only).

    Each lands in quarantine with its rule; see README "Data quality". The rows
    they are made from are picked before any fault is added, so each fault
    breaks exactly one rule.
    """
    con.execute("""
        create temp table base_payroll as
            select * from out_payroll order by all limit 5;
        create temp table base_spell as
            select * from out_register_spells where valid_until is not null order by all limit 2;
        -- exact duplicate payroll rows (duplicate_row), three of them
        insert into out_payroll select * from base_payroll order by all limit 3;
        -- negative hours (negative_hours)
        insert into out_payroll
            select person_id, employment_id, employer_id, sector, period_month,
                   -4.00, contract_type, employment_kind, employment_start
            from base_payroll order by all limit 1 offset 3;
        -- a payroll row of a person who is not in persons (unknown_person)
        insert into out_payroll
            select 'P9999999', employment_id, employer_id, sector, period_month,
                   paid_hours, contract_type, employment_kind, employment_start
            from base_payroll order by all limit 1 offset 4;
        -- a residence in an unknown municipality (unknown_municipality)
        insert into out_residences
            select person_id, 'GM9999', valid_from, valid_until
            from out_residences order by all limit 1;
        -- a spell that ends before it starts (invalid_interval)
        insert into out_register_spells
            select 'S' || cast(9000001 as varchar), person_id, target_group, valid_from,
                   valid_from - 10, inflow_reason, outflow_reason
            from base_spell order by all limit 1;
        -- an unknown target group (unknown_code)
        insert into out_register_spells
            select 'S' || cast(9000002 as varchar), person_id, 'wajong_old', valid_from,
                   valid_until, inflow_reason, outflow_reason
            from base_spell order by all limit 1 offset 1;
        -- the same person twice (duplicate_row)
        insert into out_persons select * from out_persons order by all limit 1;
        -- a positive advice without a decision date (missing_value)
        insert into out_sheltered_work_requests
            select 'R9000001', person_id, gemeente_code, requester, request_date,
                   'positive', null, advice_valid_until
            from out_sheltered_work_requests order by all limit 1;
    """)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="demo", help="demo, small or national (default demo)")
    parser.add_argument("--stock", type=int, help="override: persons registered on the first day")
    parser.add_argument("--first-quarter", help="override: first quarter with payroll (YYYYQn)")
    parser.add_argument("--last-quarter", help="override: last quarter simulated (YYYYQn)")
    parser.add_argument("--through", help="write only what is known at the end of this quarter")
    parser.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    parser.add_argument("--out", required=True, type=Path, help="output directory")
    parser.add_argument("--seed", type=int, default=20150401)
    parser.add_argument("--faults", action="store_true", help="add a few contract-breaking rows")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.scale not in SCALES:
        parser.error(f"unknown scale {args.scale!r}; choose from {', '.join(SCALES)}")
    base = SCALES[args.scale]
    scale = Scale(
        stock=args.stock or base.stock,
        first_quarter=args.first_quarter or base.first_quarter,
        last_quarter=args.last_quarter or base.last_quarter,
    )
    progress = Progress(args.quiet)
    progress.step(f"generating {args.scale} data, {scale.first_quarter}..{scale.last_quarter}, seed {args.seed}")
    gen = Generator(scale, args.seed, progress)
    gen.persons_and_spells()
    gen.residences()
    gen.sheltered_work()
    gen.employments()
    gen.payroll()
    gen.cut_off(args.through or scale.last_quarter)
    counts = write(gen, args.out, args.format, args.faults, progress)
    progress.step("done: " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
