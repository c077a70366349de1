"""The demo warehouse: builds with every data and unit test passing, reconciles, and
holds what the synthetic generator promises (all regions, groups, reasons, ...)."""
from __future__ import annotations

import json


def test_demo_build_passes_every_test(demo_warehouse):
    # the fixture asserts the build succeeded; no data or unit test may even warn (the
    # statuses of that one build, kept by the fixture: running the tests again costs 40 s)
    results = json.loads((demo_warehouse.directory / "build_results.json").read_text())
    tests = [r for r in results if r["unique_id"].split(".")[0] in ("test", "unit_test")]
    assert {r["status"] for r in tests} == {"pass"}, [r["unique_id"] for r in tests if r["status"] != "pass"]
    assert len([r for r in tests if r["unique_id"].startswith("test.")]) > 150
    assert len([r for r in tests if r["unique_id"].startswith("unit_test.")]) > 20


def test_demo_quarantine_holds_exactly_the_injected_faults(demo_warehouse):
    rows = demo_warehouse.query(
        "select 'persons', rule from audit.quarantine_persons union all "
        "select 'residences', rule from audit.quarantine_residences union all "
        "select 'register_spells', rule from audit.quarantine_register_spells union all "
        "select 'payroll', rule from audit.quarantine_payroll union all "
        "select 'sheltered_work_requests', rule from audit.quarantine_sheltered_work_requests")
    assert sorted(rows) == sorted([
        ("persons", "duplicate_row"),
        ("residences", "unknown_municipality"),
        ("register_spells", "invalid_interval"),
        ("register_spells", "unknown_code"),
        ("payroll", "duplicate_row"), ("payroll", "duplicate_row"), ("payroll", "duplicate_row"),
        ("payroll", "negative_hours"),
        ("payroll", "unknown_person"),
        ("sheltered_work_requests", "missing_value"),
    ])
    for table, raw, accepted, quarantined in demo_warehouse.query("select * from audit.reconciliation"):
        assert raw == accepted + quarantined, table


def test_demo_covers_regions_groups_and_every_reason(demo_warehouse):
    regions = {r for (r,) in demo_warehouse.query("select distinct region_code from marts.fct_register_quarter")}
    assert len(regions - {"UNKNOWN"}) == 35 and "UNKNOWN" in regions
    groups = {g for (g,) in demo_warehouse.query("select distinct target_group from marts.fct_register_quarter")}
    assert groups == {"participatiewet", "wajong", "wsw", "wiw_id"}
    reasons = set(demo_warehouse.query("select distinct direction, reason from marts.fct_register_flow_reasons_quarter"))
    assert reasons == set(demo_warehouse.query("select direction, reason from marts.dim_flow_reason"))


def test_demo_has_the_situations_real_data_has(demo_warehouse):
    q = demo_warehouse.query
    transitions = dict(q("select transition_type, count(*) from intermediate.int_register_transitions group by 1"))
    assert transitions["move"] > 20 and transitions["group_change"] > 20
    assert q("select count(*) from intermediate.int_register_transitions where transition_type = 'move'"
             " and target_group_start <> target_group_end")[0][0] > 0, "no move together with a group change"
    overlapping = q("""
        select count(*) from intermediate.int_register_person_quarters as pq
        join intermediate.int_register_spells_enriched as s
          on s.person_id = pq.person_id and pq.quarter_index between s.first_held_quarter_index
             and coalesce(s.last_held_quarter_index, 99999) and s.spell_id <> pq.spell_id""")[0][0]
    assert overlapping > 0, "no overlapping spells"
    assert q("select count(*) from intermediate.int_register_spells_enriched where is_ended_by_death")[0][0] > 0
    payroll = "intermediate.int_payroll__checked where row_rule is null"
    assert q(f"select count(*) from (select 1 from {payroll} group by employment_id, period_month having count(*) > 1)")[0][0] > 50
    assert q(f"select count(*) from (select 1 from {payroll} and employment_kind = 'regular'"
             " group by person_id, period_month having count(distinct employment_id) > 1)")[0][0] > 50
    assert q(f"select count(*) from {payroll} and paid_hours = 0")[0][0] > 50
    kinds = set(q(f"select distinct employment_kind, sector from {payroll}"))
    assert {("regular", "market"), ("regular", "government")} <= kinds
    assert {k for k, _ in kinds} == {"regular", "sheltered_work", "wsw_sheltered"}


def test_demo_rates_are_roughly_like_uwv(demo_warehouse):
    q = demo_warehouse.query
    for quarter, registered, working in q(
            "select quarter_label, sum(persons_registered), sum(persons_working)"
            " from marts.fct_register_quarter group by 1"):
        assert 0.40 <= working / registered <= 0.65, (quarter, working / registered)
    for quarter, start, inflow, outflow in q(
            "select quarter_label, sum(registered_start), sum(inflow), sum(outflow)"
            " from marts.fct_register_flows_quarter group by 1"):
        assert 0.01 <= inflow / start <= 0.035, (quarter, inflow / start)
        assert 0.004 <= outflow / start <= 0.02, (quarter, outflow / start)
