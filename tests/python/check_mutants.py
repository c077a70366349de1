"""Mutants for the data tests: for every data test of the project, a fault in the
built data that this very test exists to catch.

How it works (tests/python/test_check_mutants.py): on a built warehouse, inside a
transaction that is rolled back afterwards, the mutant's SQL changes the relation
the test is attached to (a view is first turned into a table of its rows), and the
test's own compiled SQL (from dbt's manifest) is run; the mutant is killed when the
test then returns failing rows.

Generic tests get their mutant from their kind (not_null → a NULL, unique → a
copied row, ...). Every other test needs an entry in HAND_MUTANTS, keyed by the
test's name; a data test without a mutant fails the suite, so a new check cannot
be added without one. `{rel}` is the attached relation, `{one}` a condition that
picks one of its rows (`{one_where(cond)}` one row meeting cond).
"""
from __future__ import annotations

from banenafspraak.synthetic.common import TABLES

# SQL per test name. Each breaks exactly the invariant the test guards.
HAND_MUTANTS: dict[str, str] = {
    # fct_register_quarter
    "register_working_within_registered": "update {rel} set persons_working = persons_registered + 1 where {one}",
    "register_not_working_recomputes": "update {rel} set persons_not_working = persons_not_working + 1 where {one}",
    "register_jobs_market_plus_government": "update {rel} set jobs_market = jobs_market + 1 where {one}",
    "register_hours_only_for_working": "update {rel} set paid_hours = paid_hours + 10, persons_working = 0 where {one}",
    "unknown_region_share_below_fct_register_quarter_": "update {rel} set region_code = 'UNKNOWN'",
    # fct_register_flows_quarter
    "flow_balance_holds_fct_register_flows_quarter_": "update {rel} set inflow = inflow + 1 where {one}",
    "moves_cancel_nationally_fct_register_flows_quarter_": "update {rel} set moved_in = moved_in + 1 where {one}",
    "stocks_match_register_fct_register_flows_quarter_ref_fct_register_quarter_":
        "update {rel} set registered_end = registered_end + 1 where {one}",
    "starts_match_previous_stock_fct_register_flows_quarter_ref_dim_quarter___ref_fct_register_quarter_":
        "update {rel} set registered_start = registered_start + 1 where {one}",
    "flows_match_cell_definitions_fct_register_flows_quarter_ref_dim_quarter___ref_int_register_transitions_":
        "update {rel} set group_out_working = group_out_working + 1, working_start = working_start + 1 where {one}",
    "flows_not_negative": "update {rel} set lost_work = -1 where {one}",
    "flows_working_within_registered": "update {rel} set working_end = registered_end + 1 where {one}",
    # fct_register_flow_reasons_quarter
    "flow_reasons_sum_to_flows_fct_register_flow_reasons_quarter_ref_fct_register_flows_quarter_":
        "update {rel} set persons = persons + 1 where {one}",
    "combination_exists_in_fct_register_flow_reasons_quarter_direction__reason__ref_dim_flow_reason_":
        "update {rel} set reason = 'promotion' where {one}",
    "flow_reasons_persons_positive": "update {rel} set persons = 0 where {one}",
    # fct_region_progress_quarter
    "progress_every_region_every_quarter": "delete from {rel} where {one}",
    "progress_growth_recomputes": "update {rel} set job_growth = job_growth + 1 where {one}",
    "progress_required_per_remaining_quarter_recomputes":
        "update {rel} set required_per_remaining_quarter = required_per_remaining_quarter + 1"
        " where {one_where(required_per_remaining_quarter is not null)}",
    "progress_required_yearly_pace_recomputes":
        "update {rel} set required_per_quarter_yearly_pace = required_per_quarter_yearly_pace + 1"
        " where {one_where(required_per_quarter_yearly_pace is not null)}",
    "progress_jobs_change_pct_recomputes":
        "update {rel} set jobs_change_pct = jobs_change_pct + 1 where {one_where(jobs_change_pct is not null)}",
    "progress_jobs_market_plus_government": "update {rel} set jobs_market = jobs_market + 1 where {one}",
    "progress_baselines_add_up_to_national":
        "update marts.dim_region set baseline_jobs = baseline_jobs + 1 where region_code = 'AM01'",
    "regional_targets_add_up_fct_region_progress_quarter_ref_int_national_targets_scaled_":
        "update {rel} set target_year_end = target_year_end + 1 where {one_where(target_year_end is not null)}",
    # fct_sheltered_work_quarter
    "sheltered_working_within_valid_advices":
        "update {rel} set persons_working_sheltered = valid_positive_advices + 1 where {one}",
    "sheltered_share_recomputes_between_0_and_1":
        "update {rel} set share_working = 1.5 where {one_where(share_working is not null)}",
    "sheltered_counts_not_negative": "update {rel} set requests_citizen = -1 where {one}",
    "sheltered_every_region_every_quarter": "delete from {rel} where {one}",
    # dimensions and run info
    "dim_region_has_35_regions": "delete from reference.labour_market_regions where region_code = 'AM01'",
    "publication_info_has_one_row": "insert into {rel} select * from {rel}",
    # intermediate models
    "payroll_groups_months_within_quarter": "update {rel} set months_mask = 8 where {one}",
    "payroll_duplicates_have_extra_copies": "insert into {rel} select * replace (0 as extra_copies) from {rel} limit 1",
    "payroll_accepted_hours_and_rows_not_negative":
        "update {rel} set paid_hours = -1 where {one}",
    "payroll_hours_market_plus_government":
        "update {rel} set paid_hours_regular_market = paid_hours_regular_market + 1 where {one}",
    "transitions_reason_exactly_for_flows":
        "update {rel} set flow_reason = 'other' where {one_where(transition_type = 'stay')}",
    "spells_death_only_shortens":
        "update {rel} set effective_valid_until = valid_until + 10 where {one_where(valid_until is not null)}",
    "region_targets_market_and_government_not_negative":
        "update {rel} set target_government = -1 where {one_where(target_government is not null)}",
    "region_baselines_add_up_to_national": "update {rel} set baseline_jobs = baseline_jobs + 1 where {one}",
    # stg_inputs__regional_targets (empty on the demo): a supplied line for a region that does not exist
    "supplied_regional_targets_valid":
        "insert into {rel} (region_code, target_year, target_year_raw, target_total, target_total_raw,"
        " baseline_jobs, baseline_jobs_raw) values ('XX99', 2020, '2020', 5, '5', 1, '1')",
    "supplied_sheltered_work_quota_valid":
        "insert into {rel} (gemeente_code, calendar_year, calendar_year_raw, quota_places, quota_places_raw)"
        " values ('GM9999', 2020, '2020', 5, '5')",
    # audit
    "reconciliation_raw_equals_accepted_plus_quarantined": "update {rel} set raw_rows = raw_rows + 1 where {one}",
    "reconciliation_has_every_raw_table": "delete from {rel} where {one}",
    # durability and participation
    "durability_same_job_implies_still_working":
        "update {rel} set is_still_working = false, is_same_job = true where {one}",
    "durability_start_in_cohort_window": "update {rel} set start_quarter_index = 4 * cohort_year + 3 where {one}",
    "durability_counts_nested": "update {rel} set persons_same_job = persons_still_working + 1 where {one}",
    "durability_shares_recompute_between_0_and_1":
        "update {rel} set share_same_job = share_same_job + 0.01 where {one_where(share_same_job < 0.9)}",
    "participation_share_recomputes_between_0_and_1": "update {rel} set share_working = 1.5 where {one}",
    # singular tests (tests/singular): mutated on the model named in SINGULAR_TESTS
    "assert_participation_equals_register_q4": "update {rel} set persons_working = persons_working + 1 where {one}",
    "assert_shares_round_half_up":
        "update {rel} set share_still_working = share_still_working + 0.000001 where {one}",
    "assert_national_changes_follow_the_national_totals":
        "update {rel} set exact_value = exact_value + 1 where {one_where(region_code = 'NL' and target_group = 'all'"
        " and breakdown = 'all' and measure = 'jobs_change' and exact_value is not null)}",
    "assert_municipalities_add_up_to_regions":
        "update {rel} set persons_working = persons_working + 1 where {one}",
    "assert_provinces_add_up_to_national": "update {rel} set jobs = jobs + 0.01 where {one}",
    "assert_public_provinces_add_up_to_national":
        "update {rel} set exact_value = exact_value + 1 where {one_where(region_code like 'PV%')}",
    # a public measure published under another kind than the registry's
    "assert_public_cells_follow_registry": "update {rel} set value_kind = 'count' where measure = 'paid_hours'",
    # fct_register_breakdowns_quarter
    "breakdown_classes_add_up_fct_register_breakdowns_quarter_ref_fct_register_quarter_":
        "update {rel} set persons_working = persons_working + 1 where {one_where(breakdown = 'sector')}",
    "combination_exists_in_fct_register_breakdowns_quarter_breakdown__class__ref_dim_breakdown_class_":
        "update {rel} set class = '__mutant__' where {one}",
    # fct_sheltered_work_municipality_quarter
    "sheltered_municipality_working_within_valid_advices":
        "update {rel} set persons_working_sheltered = valid_positive_advices + 1 where {one}",
    "sheltered_municipality_cumulative_not_below_quarter":
        "update {rel} set positive_advices = positive_advices_cumulative + 1 where {one}",
}

# Singular tests are attached to no model: the relation their mutant changes.
SINGULAR_TESTS: dict[str, str] = {
    "assert_municipalities_add_up_to_regions": "fct_municipality_quarter",
    "assert_provinces_add_up_to_national": "fct_province_quarter",
    "assert_public_provinces_add_up_to_national": "disclosure_figures_exact",
    "assert_participation_equals_register_q4": "fct_participation_year",
    "assert_shares_round_half_up": "fct_work_durability_year",
    "assert_national_changes_follow_the_national_totals": "disclosure_figures_exact",
    "assert_public_cells_follow_registry": "disclosure_figures_exact",
}

for _table in TABLES:
    HAND_MUTANTS[f"quarantine_{_table}_rule_is_described"] = (
        "insert into {rel} (rule, rule_column, rule_description) values ('unknown_code', 'x', null)")
