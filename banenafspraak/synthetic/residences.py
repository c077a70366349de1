"""Residences (raw.residences) for the raw data generator (generator.py): movers (some
together with a group change), persons without a residence, overlapping registrations and
former municipality codes.
"""
from __future__ import annotations

import numpy as np

from banenafspraak.synthetic.common import NA, days, pick


class Residences:
    """Generator step: sets self.res and self.home_code (needs self.persons)."""

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
