"""The demo warehouse: builds with every data and unit test passing, reconciles, and
holds what the synthetic generator promises (all regions, groups, reasons, ...)."""
from __future__ import annotations

import json

import duckdb
import yaml
from conftest import ROOT


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


# The breakdown mart sums the parts itself (macro breakdown_parts, grouped); the
# person-level view int_register_breakdown_parts is the auditors' trace of the same
# parts. Every cell of the mart must be the sum of its parts in the view, and no part
# may lie outside a cell. Jobs: the parts' hours / (3 × paid_hours_per_job_month).
def breakdown_cells_not_matching_their_parts(con, mart: str) -> list[tuple]:
    return con.execute(f"""
        with parts as (
            select
                cast(quarter_index // 4 as varchar) || 'Q' || cast(quarter_index % 4 + 1 as varchar) as quarter_label,
                region_code, target_group, breakdown, class,
                sum(is_registered) as persons_registered,
                sum(is_working) as persons_working,
                sum(paid_hours) as paid_hours
            from intermediate.int_register_breakdown_parts
            group by all
        )
        select coalesce(m.quarter_label, p.quarter_label), coalesce(m.region_code, p.region_code),
               coalesce(m.target_group, p.target_group), coalesce(m.breakdown, p.breakdown),
               coalesce(m.class, p.class)
        from {mart} as m
        full outer join parts as p
            on m.quarter_label = p.quarter_label and m.region_code = p.region_code
            and m.target_group = p.target_group and m.breakdown = p.breakdown and m.class = p.class
        where m.quarter_label is null or p.quarter_label is null
            or m.persons_registered is distinct from p.persons_registered
            or m.persons_working is distinct from p.persons_working
            or abs(m.jobs - p.paid_hours / (3 * 110.92)) >= 0.000001
    """).fetchall()


def test_every_breakdown_cell_is_the_sum_of_its_persons_parts(demo_warehouse):
    assert yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["paid_hours_per_job_month"] == 110.92
    with duckdb.connect(str(demo_warehouse.path), read_only=True) as con:
        cells = con.execute("select count(*) from marts.fct_register_breakdowns_quarter").fetchone()[0]
        assert cells > 1000
        assert breakdown_cells_not_matching_their_parts(con, "marts.fct_register_breakdowns_quarter") == []
        # the check sees a cell one working person off, and a cell without parts
        one_off = """(select * replace (
                          persons_working + case when breakdown = 'gender' and class = 'F'
                              and quarter_label = (select max(quarter_label) from marts.fct_register_breakdowns_quarter)
                              and region_code = 'AM01' then 1 else 0 end as persons_working)
                      from marts.fct_register_breakdowns_quarter
                      union all
                      select * replace ('AM99' as region_code) from marts.fct_register_breakdowns_quarter
                      where breakdown = 'gender' and class = 'M' and region_code = 'AM01'
                          and quarter_label = (select max(quarter_label) from marts.fct_register_breakdowns_quarter))"""
        broken = breakdown_cells_not_matching_their_parts(con, one_off)
        changed = con.execute("""
            select count(*) filter (where class = 'F'), count(*) filter (where class = 'M')
            from marts.fct_register_breakdowns_quarter
            where breakdown = 'gender' and region_code = 'AM01'
                and quarter_label = (select max(quarter_label) from marts.fct_register_breakdowns_quarter)
        """).fetchone()
    assert changed[0] > 0 and changed[1] > 0
    assert sorted((row[1], row[3], row[4]) for row in broken) == sorted(
        [("AM01", "gender", "F")] * changed[0] + [("AM99", "gender", "M")] * changed[1])
