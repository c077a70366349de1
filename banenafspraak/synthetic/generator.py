"""The raw data generator's state (Generator): the random generator, the simulated period
and the municipalities; each topic's step is a mixin in a module of its own, the cut-off
here. raw.py runs the steps in order; writing.py writes the tables.
"""
from __future__ import annotations

import duckdb
import numpy as np

from banenafspraak.synthetic.common import NA, REFERENCE, Progress, Scale, days, month_start, quarter_bounds
from banenafspraak.synthetic.employment import Employments
from banenafspraak.synthetic.persons import PersonsAndSpells
from banenafspraak.synthetic.residences import Residences
from banenafspraak.synthetic.sheltered import ShelteredWork


class Generator(PersonsAndSpells, Residences, ShelteredWork, Employments):
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
