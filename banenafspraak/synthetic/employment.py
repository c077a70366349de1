"""Employments and payroll (raw.payroll) for the raw data generator (generator.py): short
and long jobs by target group, side jobs, beschut werk and sheltered WSW employments,
market and government employers, zero-hour months and payroll corrections.
"""
from __future__ import annotations

import numpy as np

from banenafspraak.synthetic.common import NA, SHORT_JOB_SHARE, WORK_PROPENSITY, exp_days, month_of, month_start, pick


class Employments:
    """Generator steps: employments() sets self.emp (needs self.persons and self.req),
    payroll() sets self.pay from it."""

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
