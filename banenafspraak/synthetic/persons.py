"""Persons and their register spells (raw.persons, raw.register_spells) for the raw data
generator (generator.py): inflow and outflow by reason, pension age and deaths (also where
the register was not updated), group changes, WSW returns, overlapping and short spells.
"""
from __future__ import annotations

import numpy as np

from banenafspraak.synthetic.common import GROUP_SHARE, GROUPS, NA, exp_days, month_start, pick


class PersonsAndSpells:
    """Generator step: sets self.persons, self.spells and self.change_day."""

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
