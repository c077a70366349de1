"""Building twice on the same input gives identical marts, a failed build leaves
nothing that a rebuild cannot mend, and the demo seeds read as CSV files (the
raw_path route) give the same marts as the seed route."""
from __future__ import annotations

import shutil

import duckdb
import pytest
import yaml

from conftest import ROOT, Warehouse

pytestmark = pytest.mark.slow  # the demo built again and twice more on the scenario: not in make test-fast

MARTS = ["fct_register_quarter", "fct_register_flows_quarter", "fct_register_flow_reasons_quarter",
         "fct_sheltered_work_quarter", "fct_region_progress_quarter", "dim_region", "dim_municipality",
         "dim_quarter", "dim_target_group", "dim_flow_reason",
         "fct_work_durability_year", "fct_participation_year"]


def differences(left: Warehouse, right_path) -> dict[str, int]:
    """Rows in one warehouse's marts and not the other's (EXCEPT ALL both ways), per mart."""
    found = {}
    with duckdb.connect(str(left.path), read_only=True) as con:
        con.execute(f"attach '{right_path}' as other (read_only)")
        for mart in MARTS:
            mine, theirs = f"select * from marts.{mart}", f"select * from other.marts.{mart}"
            count = con.execute(f"select count(*) from ({mine} except all {theirs})").fetchone()[0]
            count += con.execute(f"select count(*) from ({theirs} except all {mine})").fetchone()[0]
            if count:
                found[mart] = count
    return found


def test_building_twice_gives_identical_marts(demo_warehouse, tmp_path):
    first = tmp_path / "first_build.duckdb"
    shutil.copyfile(demo_warehouse.path, first)
    run = demo_warehouse.build("--exclude", "test_type:unit")
    assert run.ok, run.output[-4000:]
    assert differences(demo_warehouse, first) == {}
    run_ids = [demo_warehouse.query("select run_id from marts.publication_info")[0][0]]
    with duckdb.connect(str(first), read_only=True) as con:
        run_ids.append(con.execute("select run_id from marts.publication_info").fetchone()[0])
    assert run_ids[0] != run_ids[1], "publication_info records each run"


def test_rebuild_after_a_failed_build_recovers(demo_warehouse, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "seeds" / "demo", raw, ignore=shutil.ignore_patterns("*.yml"))
    payroll = raw / "payroll.csv"
    good = payroll.read_text()
    # 1,001 exact copies of one payroll row pass the input check but stop the build in
    # quarantine_payroll (it lists at most 1,000 copies of a row): the build fails
    # half-way, after the other tables' models were built
    # (a row of the newest month: a refresh recomputes only the newest quarters)
    newest = max(good.splitlines()[1:], key=lambda line: line.split(",")[4])
    payroll.write_text(good + (newest + "\n") * 1001)
    # the demo's reference scale, so baselines, targets and quota match the seed route
    scale = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]["demo_reference_scale"]
    warehouse = Warehouse(tmp_path / "wh", {"raw_path": str(raw), "raw_format": "csv", "reference_scale": scale})
    failed = warehouse.build("--exclude", "test_type:unit")
    assert not failed.ok
    assert "more than 1000 exact copies" in failed.output, failed.output[-3000:]
    built = {r["unique_id"] for r in failed.results if r["status"] == "success"}
    assert "model.banenafspraak.int_persons__validated" in built, "the build should fail half-way"
    payroll.write_text(good)
    rebuilt = warehouse.build("--exclude", "test_type:unit")
    assert rebuilt.ok, rebuilt.output[-4000:]
    # the same files through raw_path give exactly the marts of the seed route
    assert differences(warehouse, demo_warehouse.path) == {}


def test_failing_tests_keep_their_rows(scenario_warehouse, tmp_path):
    copy = scenario_warehouse.copy_to(tmp_path / "broken")
    copy.execute("update marts.fct_register_flows_quarter set inflow = inflow + 7"
                 " where quarter_label = '2022Q3' and region_code = 'AM02' and target_group = 'wajong'")
    run = copy.dbt("test", "--select", "test_name:flow_balance_holds")
    assert not run.ok
    rows = copy.query("select quarter_label, region_code, target_group, inflow, registered_end_computed"
                      " from audit.flow_balance_holds_fct_register_flows_quarter_")
    assert rows == [("2022Q3", "AM02", "wajong", 7, 10)]
