"""Every flow-balance check fails on broken data.

Each case copies the built scenario warehouse, injects one fault into a built
relation with SQL, runs only the check it is aimed at (`dbt test --select`), and
asserts that this very check fails. The untouched copy passes the same checks, so
the failure comes from the fault and nothing else.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # the dbt tests rerun on a corrupted copy per check: not in make test-fast

FLOWS = "marts.fct_register_flows_quarter"
REGISTER = "marts.fct_register_quarter"
REASONS = "marts.fct_register_flow_reasons_quarter"
CELL = "quarter_label = '2022Q3' and region_code = 'AM02' and target_group = 'wajong'"

# (check, selector, fault)
MUTANTS = [
    ("registered balance", "test_name:flow_balance_holds",
     f"update {FLOWS} set inflow = inflow + 1 where {CELL}"),
    ("working balance", "test_name:flow_balance_holds",
     f"update {FLOWS} set found_work = found_work + 1 where {CELL}"),
    ("reasons sum to inflow/outflow", "test_name:flow_reasons_sum_to_flows",
     f"update {REASONS} set persons = persons + 1 where quarter_label = '2022Q4' and direction = 'inflow'"),
    ("a flow without reasons", "test_name:flow_reasons_sum_to_flows",
     f"delete from {REASONS} where quarter_label = '2022Q3' and reason = 'group_change'"),
    ("moves cancel nationally", "test_name:moves_cancel_nationally",
     f"update {FLOWS} set moved_in = moved_in + 1, registered_end = registered_end + 1 where {CELL}"),
    ("group changes cancel per region", "test_name:moves_cancel_nationally",
     f"update {FLOWS} set group_in_working = group_in_working + 1 where quarter_label = '2022Q3'"
     " and region_code = 'AM01' and target_group = 'participatiewet'"),
    ("end stock = register stock", "test_name:stocks_match_register",
     f"update {REGISTER} set persons_working = persons_working - 1 where {CELL}"),
    ("register cell missing from flows", "test_name:stocks_match_register",
     f"delete from {FLOWS} where {CELL}"),
    ("start stock = previous register stock", "test_name:starts_match_previous_stock",
     f"update {FLOWS} set registered_start = registered_start + 1, registered_end = registered_end + 1 where {CELL}"),
    ("reconciliation raw = accepted + quarantined", "reconciliation,test_name:expression_is_true",
     "update audit.reconciliation set accepted_rows = accepted_rows - 1 where table_name = 'payroll'"),
]

SELECTORS = sorted({selector for _, selector, _ in MUTANTS})


def test_checks_pass_on_the_untouched_scenario(scenario_warehouse, tmp_path):
    copy = scenario_warehouse.copy_to(tmp_path / "clean")
    run = copy.dbt("test", "--select", *SELECTORS)
    assert run.ok, run.output[-4000:]
    assert run.results and all(r["status"] == "pass" for r in run.results)


@pytest.mark.parametrize("check,selector,fault", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_check_fails_on_broken_data(scenario_warehouse, tmp_path, check, selector, fault):
    copy = scenario_warehouse.copy_to(tmp_path / "mutant")
    copy.execute(fault)
    run = copy.dbt("test", "--select", selector)
    assert not run.ok, f"{check}: the check passed on broken data"
    assert run.failed(), f"{check}: dbt failed without a failing test:\n{run.output[-3000:]}"
