"""Auditors' documentation: every model, seed, source and column is described (100 %),
and the static docs site (`dbt docs generate --static`, what `make docs` writes)
works from the file system in a real headless browser (Debian's chromium): the page
loads, the lineage graph of fct_register_flows_quarter reaches its raw sources, and
a mart's column descriptions are visible. Screenshots go to target/test-artifacts/."""
from __future__ import annotations

import json

import pytest

from conftest import CHROMIUM_ARGS, ROOT, chromium

from banenafspraak.checks.docs_coverage import undocumented

ARTIFACTS = ROOT / "target" / "test-artifacts"


@pytest.fixture(scope="module")
def docs(demo_warehouse):
    run = demo_warehouse.dbt("docs", "generate", "--static")
    assert run.ok, run.output[-3000:]
    return demo_warehouse.target


def test_everything_is_documented(docs):
    manifest = json.loads((docs / "manifest.json").read_text())
    catalog = json.loads((docs / "catalog.json").read_text())
    missing, checked = undocumented(manifest, catalog)
    assert checked > 500
    assert missing == [], f"documentation coverage {checked - len(missing)}/{checked}"


def test_coverage_check_catches_a_missing_description(docs):
    manifest = json.loads((docs / "manifest.json").read_text())
    catalog = json.loads((docs / "catalog.json").read_text())
    manifest["nodes"]["model.banenafspraak.fct_register_quarter"]["columns"]["jobs"]["description"] = ""
    manifest["sources"]["source.banenafspraak.raw.payroll"]["description"] = " "
    missing, _ = undocumented(manifest, catalog)
    assert sorted(missing) == ["model.banenafspraak.fct_register_quarter.jobs: no description",
                               "source.banenafspraak.raw.payroll: no description"]


def test_static_docs_site_in_a_headless_browser(docs):
    from playwright.sync_api import sync_playwright
    site = docs / "static_index.html"
    assert site.exists() and site.stat().st_size > 1_000_000  # manifest and catalog are inlined
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.goto(f"{site.as_uri()}#!/model/model.banenafspraak.fct_register_flows_quarter")
        page.wait_for_selector("text=registered_start", timeout=60_000)
        body = page.inner_text("body")
        # column descriptions of the mart, Dutch terms included
        assert "Stand begin kwartaal" in body and "Werk gevonden" in body and "Instroom" in body
        page.screenshot(path=str(ARTIFACTS / "docs_fct_register_flows_quarter.png"))
        # the lineage graph, expanded to every ancestor: it reaches the raw sources
        page.click("[ng-click='onLauncherClick()']")
        page.wait_for_timeout(1000)
        page.click("[ng-click='showExpanded()']")
        page.wait_for_function("() => angular.element(document.body).injector().get('graph').graph.elements"
                               ".filter(e => e.group === 'nodes').length > 20", timeout=30_000)
        nodes = page.evaluate("() => angular.element(document.body).injector().get('graph').graph.elements"
                              ".filter(e => e.group === 'nodes').map(e => e.data.id)")
        page.screenshot(path=str(ARTIFACTS / "docs_lineage_fct_register_flows_quarter.png"))
        browser.close()
    assert {"source.banenafspraak.raw.register_spells", "source.banenafspraak.raw.residences",
            "source.banenafspraak.raw.payroll", "source.banenafspraak.raw.persons"} <= set(nodes)
    assert "model.banenafspraak.int_register_transitions" in nodes
    assert page_errors == []
