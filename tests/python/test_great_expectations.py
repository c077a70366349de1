"""The Great Expectations checkpoint (scripts/run_great_expectations.py, suites in
tests/great_expectations/): every public mart has a suite, the demo meets every
expectation, and a broken mart fails the checkpoint naming the expectation."""
from __future__ import annotations



from banenafspraak.checks.expectations import load_suites, run


def test_every_public_mart_has_a_suite(demo_warehouse):
    marts = {f"marts.{t}" for (t,) in demo_warehouse.query(
        "select table_name from information_schema.tables where table_schema = 'marts'")}
    relations = {s["meta"]["relation"] for s in load_suites()}
    assert marts <= relations and "audit.reconciliation" in relations


def test_demo_meets_every_expectation(demo_warehouse, tmp_path):
    summary = run(demo_warehouse.path, tmp_path / "gx", quiet=True)
    assert summary["success"], [s for s in summary["suites"] if s["failed"]]
    assert sum(s["expectations"] for s in summary["suites"]) > 100
    assert (tmp_path / "gx" / "summary.md").exists()
    assert summary["data_docs"] and (tmp_path / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()


def test_a_broken_mart_fails_the_checkpoint(demo_warehouse, tmp_path):
    copy = demo_warehouse.copy_to(tmp_path / "broken")
    copy.execute("update marts.fct_register_flows_quarter set outflow = outflow + 2"
                 " where rowid = (select min(rowid) from marts.fct_register_flows_quarter)")
    copy.execute("update audit.reconciliation set quarantined_rows = quarantined_rows + 1 where table_name = 'payroll'")
    summary = run(copy.path, tmp_path / "gx", quiet=True)
    assert not summary["success"]
    failed = {(s["suite"], f["why"]) for s in summary["suites"] for f in s["failures"]}
    assert failed == {
        ("fct_register_flows_quarter",
         "balance: registered_end = start + inflow - outflow + moved_in - moved_out + group_in - group_out"),
        ("reconciliation", "raw = accepted + quarantined"),
    }
