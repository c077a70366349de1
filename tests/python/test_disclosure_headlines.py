"""The headline pass (protection.publish_headlines): a region's or the nation's total of
the newest quarter, hidden as a secondary, is published again where hiding detail cells
protects every small cell instead; and stays hidden where nothing but another headline
could. Hand-made tables; the independent audit judges each pattern."""
from __future__ import annotations

import numpy as np
import pandas as pd

from banenafspraak.disclosure import protection
from banenafspraak.disclosure.audit import audit_publication
from banenafspraak.disclosure.cells import KEY, LP_KINDS, primary_cells
from banenafspraak.disclosure.protection import candidate_order, headlines, protect, publish_headlines
from banenafspraak.disclosure.publication_figures import statuses
from banenafspraak.disclosure.relations import build_relations, check_relations_hold


def table(rows: list[tuple]) -> pd.DataFrame:
    """Cells from (region, group, value): persons_registered of 2023Q1, no breakdown."""
    frame = pd.DataFrame([(r, g, "all", "persons_registered", float(v), "count") for r, g, v in rows],
                         columns=["region_code", "target_group", "breakdown", "measure", "exact_value", "value_kind"])
    frame.insert(0, "period", "2023Q1")
    frame.insert(0, "period_type", "quarter")
    frame["period_end_date"] = pd.Timestamp("2023-03-31")
    return frame.sort_values(KEY).reset_index(drop=True)


def public(cells: pd.DataFrame, suppressed: np.ndarray) -> pd.DataFrame:
    out = cells[KEY].copy()
    out["value"] = np.where(suppressed, np.nan, cells["exact_value"])
    out["status"], out["symbol"] = statuses(suppressed, cells["exact_value"])
    return out


def audit(cells: pd.DataFrame, suppressed: np.ndarray):
    return audit_publication(cells, public(cells, suppressed), None, quiet=True, exhaustive=True)


def mask(cells: pd.DataFrame, names: set[tuple[str, str]]) -> np.ndarray:
    return np.array([(r, g) in names for r, g in zip(cells["region_code"], cells["target_group"], strict=True)])


def the_pass(cells: pd.DataFrame, suppressed: np.ndarray) -> np.ndarray:
    """publish_headlines on a given pattern (suppressed changes in place); returns the
    cells it published again."""
    relations = build_relations(cells)
    check_relations_hold(cells, relations)
    in_lp = cells["value_kind"].isin(LP_KINDS).to_numpy()
    primary = primary_cells(cells, 10)
    known = np.zeros(len(cells), bool)
    allowed = in_lp & ~cells["exact_value"].isna().to_numpy()
    released, _ = publish_headlines(cells, relations, suppressed, known, primary & in_lp, allowed,
                                    candidate_order(cells, 10), 10, {"rounds": 0, "points": None}, True,
                                    in_lp & ~primary, pd.DataFrame(columns=["cell", "lower", "upper"]))
    return released


# Two regions by two groups. AM01's wajong (5) is small.
#            wajong  wsw   all
#   AM01        5     30    35
#   AM02       20     25    45
#   NL         25     55    80
TWO_BY_TWO = [("AM01", "wajong", 5), ("AM01", "wsw", 30), ("AM01", "all", 35),
              ("AM02", "wajong", 20), ("AM02", "wsw", 25), ("AM02", "all", 45),
              ("NL", "wajong", 25), ("NL", "wsw", 55), ("NL", "all", 80)]


def test_a_hidden_headline_is_published_again_with_detail_cells_hidden_instead():
    """The pattern given hides AM01's wajong with AM01's total (35), NL's wajong and NL's
    total (80): with x = AM01 wajong, AM01 all = 30 + x, NL wajong = 20 + x, NL all = 75 + x,
    x unbounded, so it protects; but two headlines are hidden. Hiding the four group
    cells of AM01 and NL instead (wajong and wsw) protects as well: AM01 wajong + wsw = 35
    gives x in [0, 35]. The pass publishes both totals again and hides no headline."""
    cells = table(TWO_BY_TWO)
    given = mask(cells, {("AM01", "wajong"), ("AM01", "all"), ("NL", "wajong"), ("NL", "all")})
    assert audit(cells, given).passed
    suppressed = given.copy()
    released = the_pass(cells, suppressed)
    assert set(zip(cells.loc[released, "region_code"], cells.loc[released, "target_group"])) == {
        ("AM01", "all"), ("NL", "all")}
    assert not (suppressed & headlines(cells)).any()
    assert suppressed[mask(cells, {("AM01", "wajong")})].all()
    result = audit(cells, suppressed)
    assert result.passed, result.problems
    # without the repair rounds that hide the detail cells, publishing the totals again pins
    # AM01's wajong: 80 - 55 - 20 = 5 (the audit catches it)
    naive = given & ~mask(cells, {("AM01", "all"), ("NL", "all")})
    assert not audit(cells, naive).passed


def test_a_headline_only_another_headline_could_replace_stays_hidden():
    """Three regions, all groups only: AM01 (5) is small, and NL = AM01 + AM02 + AM03 is
    the only relation. Every cell in it is a headline, so the protection hides the
    smallest one of 10 or more, AM02 (12): AM01 + AM02 = 17, AM01 in [0, 17]. No detail
    cell exists that could replace it: the pass leaves it hidden and the audit passes."""
    cells = table([("AM01", "all", 5), ("AM02", "all", 12), ("AM03", "all", 40), ("NL", "all", 57)])
    result = protect(cells, None, quiet=True)
    assert result["suppressed"][mask(cells, {("AM02", "all")})].all()
    assert not result["suppressed"][mask(cells, {("AM03", "all"), ("NL", "all")})].any()
    assert not result["headlines_released"].any()
    checked = audit(cells, result["suppressed"])
    assert checked.passed, checked.problems


def test_the_pass_keeps_the_pattern_when_the_full_audit_after_it_fails(monkeypatch):
    """Should the full audit after the pass find a small cell too narrow, every headline
    goes back to hidden and the pattern is the one given (here the audit is made to say
    so: the neighbourhood repair passes, the full one fails)."""
    cells = table(TWO_BY_TWO)
    given = mask(cells, {("AM01", "wajong"), ("AM01", "all"), ("NL", "wajong"), ("NL", "all")})
    real = protection.repair_rounds
    calls = []

    def failing_full_audit(*args, **kwargs):
        calls.append(kwargs.get("max_rounds"))
        out = real(*args, **kwargs)
        if kwargs.get("max_rounds") is None:     # the full audit after the pass
            out = out.assign(upper=out["lower"])
        return out

    monkeypatch.setattr(protection, "repair_rounds", failing_full_audit)
    suppressed = given.copy()
    released = the_pass(cells, suppressed)
    assert None in calls and not released.any()
    assert (suppressed == given).all()


def test_the_provinces_totals_are_tried_after_the_regions():
    """The same table with two provinces (PV20 = 35, PV21 = 45, adding up to NL). The given
    pattern also hides both provinces. With NL's total published again, PV20 + PV21 = 80
    is known but both stay free; each is then published again in turn (nothing small
    depends on them): no total of the quarter stays hidden."""
    cells = table(TWO_BY_TWO + [("PV20", "all", 35), ("PV21", "all", 45)])
    given = mask(cells, {("AM01", "wajong"), ("AM01", "all"), ("NL", "wajong"), ("NL", "all"),
                         ("PV20", "all"), ("PV21", "all")})
    assert audit(cells, given).passed
    suppressed = given.copy()
    released = the_pass(cells, suppressed)
    totals = cells["target_group"].eq("all").to_numpy()
    assert released[totals & given].all() and not (suppressed & totals).any()
    result = audit(cells, suppressed)
    assert result.passed, result.problems
