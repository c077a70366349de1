"""The privacy guard (scripts/check_privacy.py) passes on the demo marts and fails on
each kind of leak: a person-level column, a raw key under another name, a mart
whose grain is a person or is not declared."""
from __future__ import annotations

import pytest

from banenafspraak.checks.privacy import findings


def test_demo_marts_hold_no_person_level_data(demo_warehouse):
    assert findings(demo_warehouse.path, demo_warehouse.target / "manifest.json") == []


LEAKS = {
    "person-level column": (
        "create table marts.fct_leak as select person_id, quarter_index from intermediate.int_register_person_quarters",
        "person-level column"),
    "key under another name": (
        "create table marts.fct_codes as select person_id as code, count(*) as persons "
        "from intermediate.int_register_person_quarters group by 1",
        "raw person-level key"),
    "grain not declared": (
        "create table marts.fct_undeclared as select quarter_index, is_working from intermediate.int_register_person_quarters",
        "no declared grain"),
}


@pytest.mark.parametrize("leak", list(LEAKS))
def test_guard_catches_a_leak(demo_warehouse, tmp_path, leak):
    copy = demo_warehouse.copy_to(tmp_path / "leaky")
    sql, message = LEAKS[leak]
    copy.execute(sql)
    problems = findings(copy.path, demo_warehouse.target / "manifest.json")
    assert any(message in p for p in problems), problems


def test_guard_catches_a_person_grain(demo_warehouse, tmp_path):
    import json
    manifest = json.loads((demo_warehouse.target / "manifest.json").read_text())
    for node in manifest["nodes"].values():  # declare a mart's grain as per person
        meta = node.get("test_metadata") or {}
        if meta.get("name") == "unique_combination_of_columns" and (node.get("attached_node") or "").endswith("fct_register_quarter"):
            meta["kwargs"]["combination_of_columns"] = ["quarter_label", "person_key"]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert any("non-aggregate column(s) ['person_key']" in p for p in findings(demo_warehouse.path, path))
