"""Beschut werk requests (raw.sheltered_work_requests) for the raw data generator
(generator.py): by municipalities and citizens, all four decisions, repeated requests after
a negative advice, and advices that expire.
"""
from __future__ import annotations

import numpy as np

from banenafspraak.synthetic.common import NA, pick


class ShelteredWork:
    """Generator step: sets self.req (needs self.persons and self.home_code)."""

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
