"""The regional reports (`make reports`, scripts/build_reports.py), made from the demo's
public figures only: the demo warehouse is published (disclosure control and audit), the
public file alone is copied aside, and the reports are built from that copy.

Checked: every number on a page equals publication.figures (parsed back from the HTML,
with this file's own reading of Dutch number formatting, and tied to the tile or
sentence it belongs to); suppressed figures show their symbol; charts leave gaps;
pages reference nothing outside themselves; in headless Chromium every page loads
without console errors, is not blank and does not overflow at 1280 px and 390 px; the
compare table sorts; the PDF twins have the expected page count."""
from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import CHROMIUM_ARGS, ROOT, chromium
from publishing import Publication

from banenafspraak.reports import build as build_reports
from banenafspraak.reports import charts as report_charts

pytestmark = pytest.mark.slow  # two publications of the scenario and a headless browser: not in make test-fast

ARTIFACTS = ROOT / "target" / "test-artifacts" / "reports"
LATEST, EARLIER = "2023Q4", "2023Q2"
with open(ROOT / "seeds" / "reference" / "labour_market_regions.csv", newline="") as _handle:
    REGIONS = [row["region_code"] for row in csv.DictReader(_handle)]
with open(ROOT / "seeds" / "reference" / "municipality_province.csv", newline="") as _handle:
    PROVINCES = sorted({row["province_code"] for row in csv.DictReader(_handle)}) + ["PVUNKNOWN"]
PAGES = len(REGIONS) + len(PROVINCES) + 2   # the regions, the provinces, NL and the index


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def public_file(demo_warehouse, tmp_path_factory) -> Path:
    """The demo's public file, published from a copy of the demo warehouse, then copied
    alone into a folder of its own (the reports get nothing else)."""
    directory = tmp_path_factory.mktemp("reports_publication")
    shutil.copy(demo_warehouse.path, directory / "build.duckdb")
    publication = Publication(directory)
    run = publication.run("--skip-build")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    alone = tmp_path_factory.mktemp("public_only") / "public.duckdb"
    shutil.copy(publication.folder / "public" / "public.duckdb", alone)
    return alone


def make_reports(public: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(out), "LANG": "C.UTF-8"}  # no WAREHOUSE_PATH
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reports.py"), "--public", str(public),
                           "--out", str(out), *args], capture_output=True, text=True, env=env, cwd=out)


@pytest.fixture(scope="module")
def reports(public_file, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    latest = make_reports(public_file, out, "--pdf")
    if latest.returncode != 0 and "chromium" in latest.stderr:
        latest = make_reports(public_file, out)  # no browser on this machine: the PDF test skips
    assert latest.returncode == 0, latest.stderr[-4000:]
    assert f"{PAGES}/{PAGES}" in latest.stderr  # the progress bar reached its end
    earlier = make_reports(public_file, out, "--quarter", EARLIER)
    assert earlier.returncode == 0, earlier.stderr[-4000:]
    return out


def figures(public: Path) -> dict:
    with duckdb.connect(str(public), read_only=True) as con:
        rows = con.execute("""select period, region_code, target_group, breakdown, measure, value, status, symbol,
                                     period_type from publication.figures""").fetchall()
    # quarterly cells keyed as (period, region, group, breakdown, measure); others with their period type first
    return {(row[:5] if row[8] == "quarter" else (row[8], *row[:5])): row[5:8] for row in rows}


# ---------------------------------------------------------------- reading a page back

DATA = re.compile(r"<data ([^>]*)>([^<]*)</data>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def numbers_in(fragment: str) -> list[dict]:
    """Every <data> number in an HTML fragment: its attributes and the text a reader sees."""
    return [{**{k: html.unescape(v) for k, v in ATTRIBUTE.findall(attributes)}, "shown": html.unescape(text)}
            for attributes, text in DATA.findall(fragment)]


def element(page: str, element_id: str) -> str:
    """The HTML of the element with that id, to its matching end tag (no nesting of the same tag)."""
    start = page.index(f'id="{element_id}"')
    tag = page[page.rindex("<", 0, start) + 1:start].split()[0]
    return page[start:page.index(f"</{tag}>", start)]


def read_dutch(text: str) -> Decimal:
    """'3.062' → 3062; '−2,5%' → -2.5; '+183' → 183; '±0' → 0 (independent of the script's formatter)."""
    assert re.fullmatch(r"[+\u2212±]?\d{1,3}(\.\d{3})*(,\d)?%?", text), f"not a Dutch number: {text!r}"
    cleaned = text.replace("±", "").replace("+", "").replace("\u2212", "-").rstrip("%")
    return Decimal(cleaned.replace(".", "").replace(",", "."))


def expected_places(kind: str) -> int:
    return 1 if kind in ("pct", "abspct", "signedpct") else 0


def check_number(number: dict, published: dict) -> str:
    """One shown number against publication.figures; returns its status there."""
    key = (number["data-period"], number["data-region"], number["data-group"], number["data-breakdown"],
           number["data-measure"])
    if number.get("data-period-type", "quarter") != "quarter":
        key = (number["data-period-type"], *key)
    shown, kind = number["shown"], number["data-format"]
    if key not in published:  # e.g. flows of the first quarter: there is no figure
        assert shown == "\u2013" and "absent" in number["class"], f"{key} is not published, shown {shown!r}"
        return "absent"
    value, status, symbol = published[key]
    if status == "suppressed":
        assert shown == symbol == ".", f"{key}: suppressed, shown as {shown!r}"
    elif status == "not_applicable":
        assert value is None and symbol == "", f"{key}: not_applicable with {value!r}, {symbol!r}"
        assert shown == "\u2013" and "not-applicable" in number["class"], f"{key}: shown as {shown!r}"
    else:
        if kind == "share":
            value = value * 100
        if kind.startswith("abs"):
            value = abs(value)
        places = expected_places(kind)
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        assert read_dutch(shown) == rounded, f"{key}: published {value}, shown {shown!r}"
        assert (shown.endswith("%")) == (kind in ("pct", "abspct", "signedpct", "share")), f"{key}: {shown!r}"
        if kind.startswith("signed") and rounded > 0:
            assert shown.startswith("+"), f"{key}: a rise is shown with its sign: {shown!r}"
    return status


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def verb_matches(verb: str, value) -> bool:
    if value is None:
        return verb == "veranderde"
    return verb in ({"steeg", "gestegen"} if value > 0 else {"daalde", "gedaald"} if value < 0
                    else {"bleef gelijk", "gelijk gebleven"})


TILES = {
    "tile-job-growth": ["job_growth"],
    "tile-jobs": ["jobs", "jobs_change", "jobs_change_pct"],
    "tile-target": ["target_year_end"],
    "tile-registered": ["persons_registered", "persons_registered_change", "persons_registered_change_pct"],
    "tile-working": ["persons_working", "persons_working_change", "persons_working_change_pct"],
}


def check_page(reports: Path, published: dict, region: str, quarter: str) -> list[str]:
    """Tiles and sentences of one page; returns the statuses of every number checked."""
    page = (reports / quarter / f"{region}.html").read_text()
    statuses = []
    for tile, measures in TILES.items():
        numbers = numbers_in(element(page, tile))
        assert [n["data-measure"] for n in numbers] == measures, (region, tile)
        for number in numbers:
            assert (number["data-region"], number["data-period"], number["data-group"]) == (region, quarter, "all")
            statuses.append(check_number(number, published))

    items = re.findall(r"<li>(.*?)</li>", element(page, "developments"), flags=re.S)
    national = region == "NL"
    q = int(quarter[-1])
    remaining = published[(quarter, region, "all", "all", "required_per_remaining_quarter")]
    if q == 4:
        needed = []  # no quarter left: whether the target was met, from growth and target
    elif remaining[1] == "published" and remaining[0] == 0:
        needed = ["required_per_remaining_quarter"]  # "al gehaald"
    else:
        needed = ["required_per_remaining_quarter", "required_per_quarter_yearly_pace"]
    expected = [["target_year_end", "job_growth"], ["jobs_change", "persons_working_change"], needed,
                ["persons_registered_change", "persons_not_working", "persons_working"]]
    if not national:
        expected += [["target_year_end", "job_growth"], ["jobs_change_pct", "jobs_change_pct"]]
    assert len(items) == len(expected), (region, quarter, [plain(i) for i in items])
    for index, (item, measures) in enumerate(zip(items, expected)):
        numbers = [n for n in numbers_in(item) if "data-measure" in n]
        assert [n["data-measure"] for n in numbers] == measures, (region, quarter, plain(item))
        for position, number in enumerate(numbers):
            where = "NL" if (not national and index == 4) or (not national and index == 5 and position == 0) \
                else region
            assert number["data-region"] == where and number["data-period"] == quarter, (region, plain(item))
            statuses.append(check_number(number, published))
    text = [plain(item) for item in items]

    def value(measure, at=region):
        v, status, _ = published[(quarter, at, "all", "all", measure)]
        return v if status == "published" else None

    # the verbs say which way a figure went
    verbs = re.match(r"Het aantal banen (steeg|daalde|bleef gelijk|veranderde) met .*?, het aantal werkzame "
                     r"personen met een indicatie (steeg|daalde|bleef gelijk|veranderde) met", text[1])
    assert verbs and verb_matches(verbs[1], value("jobs_change")) \
        and verb_matches(verbs[2], value("persons_working_change")), text[1]
    assert re.match(rf"Doelstelling voor eind {quarter[:4]} is .+ banen\. In Q{q} {quarter[:4]} is hiervan", text[0])
    growth, target = value("job_growth"), value("target_year_end")
    progress = numbers_in(items[0])
    if growth is not None and target is not None and target > 0:
        derived = [n for n in progress if n.get("data-formula")]
        assert len(derived) == 1
        assert read_dutch(derived[0]["shown"]) == (growth / target * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if q == 4 and growth is not None and target is not None:
        if growth >= target:
            assert "is gehaald" in text[2]
        else:
            to_go = [n for n in numbers_in(items[2]) if n.get("data-formula")]
            assert read_dutch(to_go[0]["shown"]) == (target - growth).quantize(Decimal(1), ROUND_HALF_UP)
    if not national:
        sentence = re.match(r"Landelijk is het aantal gerealiseerde banen (gestegen|gedaald|gelijk gebleven|veranderde)"
                            r" met .*, in .* (gestegen|gedaald|gelijk gebleven|veranderde) met", text[5])
        assert sentence and verb_matches(sentence[1], value("jobs_change_pct", "NL")) \
            and verb_matches(sentence[2], value("jobs_change_pct")), text[5]

    # beschut werk sentence: the figures in their order
    sheltered = numbers_in(element(page, "sheltered-text"))
    assert [n["data-measure"] for n in sheltered] == [
        "valid_positive_advices", "persons_working_sheltered", "share_working", "quota", "requests_municipality",
        "requests_citizen", "positive_advices"]
    statuses += [check_number(n, published) for n in sheltered]
    # every other number on the page (chart tables, group table) is a published figure too
    for number in numbers_in(page):
        if "data-measure" in number:
            check_number(number, published)
    return statuses


# ---------------------------------------------------------------- the tests

def test_one_page_per_region_the_country_and_an_index(reports):
    for quarter in (LATEST, EARLIER):
        pages = sorted(p.name for p in (reports / quarter).glob("*.html"))
        assert pages == sorted([f"{r}.html" for r in REGIONS + PROVINCES] + ["NL.html", "index.html"])
        assert len(REGIONS) == 35 and len(PROVINCES) == 13


def test_the_numbers_on_the_pages_are_the_published_figures(reports, public_file):
    published = figures(public_file)
    # three regions: one whose jobs are suppressed in the latest quarter, two others; and NL
    hidden_jobs = sorted(r for r in REGIONS if published[(LATEST, r, "all", "all", "jobs")][1] == "suppressed")
    assert hidden_jobs, "the demo has no region with suppressed jobs in the latest quarter"
    chosen = [hidden_jobs[0], "AM02", "AM01"]
    statuses = []
    for quarter in (LATEST, EARLIER):
        for region in [*chosen, "NL"]:
            statuses += check_page(reports, published, region, quarter)
    assert "suppressed" in statuses and "published" in statuses
    page = (reports / LATEST / f"{hidden_jobs[0]}.html").read_text()
    assert 'class="fig suppressed"' in element(page, "tile-jobs")
    assert "= geheim" in plain(element(page, "legend"))


def test_the_compare_table_shows_every_region(reports, public_file):
    published = figures(public_file)
    page = element((reports / LATEST / "index.html").read_text(), "compare")
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\"(.*?)</tr>", page, flags=re.S)
    assert len(rows) == 36
    links = re.findall(r'<a href="([^"]+)\.html">', page)
    assert sorted(links) == sorted(REGIONS + ["NL"])
    for row in rows:
        numbers = [n for n in numbers_in(row) if "data-measure" in n]
        assert [n["data-measure"] for n in numbers] == ["jobs", "job_growth", "target_year_end", "jobs_change_pct",
                                                       "persons_registered", "persons_working",
                                                       "persons_working_sheltered"]
        for number in numbers:
            check_number(number, published)


def test_pages_reference_nothing_outside_themselves(reports):
    for page in (reports / LATEST).glob("*.html"):
        text = page.read_text()
        for attribute, target in re.findall(r'\b(src|href)\s*=\s*"([^"]*)"', text):
            assert target.startswith("#") or re.fullmatch(r"[A-Za-z0-9_]+\.html", target), (page.name, target)
        assert "<link" not in text and "@import" not in text, page.name
        assert re.findall(r"url\((?!#)", text) == [], f"{page.name}: url() outside the page"
        ids = re.findall(r'\sid="([^"]+)"', text)
        assert len(ids) == len(set(ids)), f"{page.name}: an id is used twice (charts would share clip paths)"
        assert re.search(r"<script[^>]*\bsrc", text) is None
        assert '<html lang="nl">' in text


def test_a_chart_leaves_a_gap_for_a_hidden_value():
    svg = report_charts.line_chart("t", "titel", "beschrijving", ["Q1", "Q2", "Q3", "Q4"],
                                   [("reeks", [10.0, float("nan"), 30.0, 40.0], "int")])
    line = re.search(r'<path d="([^"]+)"[^>]*style="fill: none; stroke: #0072b2; stroke-width: 2', svg)
    assert line, "the series' line is in the SVG"
    commands = re.findall(r"[ML]", line[1])
    assert commands == ["M", "M", "L"], line[1]  # two pieces: 10 | 30–40; nothing drawn at Q2
    assert "<title" in svg and 'role="img"' in svg
    bars = report_charts.bar_chart("b", "titel", "beschrijving", ["Q1", "Q2", "Q3"],
                                   [("reeks", [5.0, float("nan"), 7.0])])
    # two bars (and the legend's patch), not three
    assert len(re.findall(r"fill: #0072b2", bars)) == 3
    every_hidden = report_charts.bar_chart("e", "titel", "beschrijving", ["Q1", "Q2"],
                                           [("reeks", [float("nan"), float("nan")])])
    assert "Alle cijfers in deze grafiek zijn geheim" in every_hidden


def test_remarks_come_from_a_text_file_and_are_not_html(reports):
    rendered = build_reports.render_remarks("# comment\n- **meer banen** dan verwacht\n- <script>x</script>\n\nSlot.")
    assert str(rendered) == ("<ul><li><strong>meer banen</strong> dan verwacht</li>"
                             "<li>&lt;script&gt;x&lt;/script&gt;</li></ul>\n<p>Slot.</p>")
    with_file = (reports / LATEST / "AM02.html").read_text()  # reports/remarks/2023Q4/AM02.md
    assert "Voorbeeldtekst" in plain(element(with_file, "remarks"))
    without = (reports / LATEST / "AM01.html").read_text()
    assert "reports/remarks/2023Q4/AM01.md" in plain(element(without, "remarks"))


def test_dutch_formatting_rounds_half_up():
    assert build_reports.format_value(Decimal("3062"), "int") == "3.062"
    assert build_reports.format_value(Decimal("166.5"), "int") == "167"
    assert build_reports.format_value(Decimal("2.45"), "pct") == "2,5%"
    assert build_reports.format_value(Decimal("-2.449"), "signedpct") == "\u22122,4%"
    assert build_reports.format_value(Decimal("183"), "signed") == "+183"
    assert build_reports.format_value(Decimal("-0.2"), "signed") == "\u00b10"
    assert build_reports.format_value(Decimal("0.6667"), "share") == "67%"
    assert build_reports.format_value(Decimal("-12"), "abs") == "12"


def test_an_unpublished_quarter_is_refused_clearly(public_file, tmp_path):
    run = make_reports(public_file, tmp_path, "--quarter", "2030Q1")
    assert run.returncode != 0 and "no published figures for 2030Q1" in run.stderr


def test_pages_in_a_headless_browser(reports):
    from PIL import Image, ImageStat
    from playwright.sync_api import sync_playwright
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        for width in (1280, 390):
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            for html_file in sorted((reports / LATEST).glob("*.html")):
                errors.clear()
                page.goto(html_file.as_uri())
                page.wait_for_load_state("load")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                full = html_file.stem in ("AM02", "NL", "index")
                shot = page.screenshot(full_page=full)
                if full:
                    (ARTIFACTS / f"{html_file.stem}_{width}.png").write_bytes(shot)
                image = Image.open(io.BytesIO(shot)).convert("L")
                spread = ImageStat.Stat(image).stddev[0]
                if errors:
                    problems.append(f"{html_file.name} at {width}px: console errors {errors}")
                if overflow > 0:
                    problems.append(f"{html_file.name} at {width}px: {overflow}px horizontal overflow")
                if spread < 10:
                    problems.append(f"{html_file.name} at {width}px: the screenshot looks blank")
            page.close()
        # the compare table sorts by a column, hidden figures last
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((reports / LATEST / "index.html").as_uri())
        # one level at a time: the regions first, the provinces after choosing them
        assert page.is_visible("#compare") and not page.is_visible("#compare-provinces")
        page.check("input[value=level-provinces]")
        assert page.is_visible("#compare-provinces") and not page.is_visible("#compare")
        page.check("input[value=level-regions]")
        page.click("#compare thead th:nth-child(2) button")
        keys = page.eval_on_selector_all("#compare tbody tr td:nth-child(2)", "cells => cells.map(c => c.dataset.sort)")
        numbers = [float(k) for k in keys if k != ""]
        assert numbers == sorted(numbers) and keys[len(numbers):] == [""] * (len(keys) - len(numbers))
        assert page.get_attribute("#compare thead th:nth-child(2)", "aria-sort") == "ascending"
        page.click("#compare thead th:nth-child(2) button")
        keys = page.eval_on_selector_all("#compare tbody tr td:nth-child(2)", "cells => cells.map(c => c.dataset.sort)")
        numbers = [float(k) for k in keys if k != ""]
        assert numbers == sorted(numbers, reverse=True)
        browser.close()
    assert problems == []


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def test_pdf_twins_have_the_expected_pages(reports):
    pdfs = sorted((reports / LATEST).glob("*.pdf"))
    if not pdfs:
        chromium()  # skips with the reason when there is no browser
    assert len(pdfs) == PAGES
    counts = {pdf.stem: pdf_pages(pdf) for pdf in pdfs}
    # a province's page: tiles, sentence, chart and legend on one page
    assert {province: counts[province] for province in PROVINCES} == {province: 1 for province in PROVINCES}
    # a region's report: page 1 tiles and developments; 2 the story, its conclusion and the
    # remarks (on the country's: the news first); 3 the trend charts; 4 in- and outflow by
    # reason; 5 beschut werk; 6 target groups, durability, legend. The country's has one more
    # after the flows: the breakdowns (published nationally only)
    assert {region: counts[region] for region in REGIONS + ["NL"]} == {**{region: 6 for region in REGIONS}, "NL": 7}
    assert counts["index"] in (1, 2)
    assert all(pdf.read_bytes().startswith(b"%PDF") for pdf in pdfs)


def test_durability_on_the_pages_and_in_the_public_figures(reports, public_file):
    """The yearly figures follow the disclosure rules (no published count of 1 to 9; a
    share is hidden when a count it is made of is), and the pages show the latest
    finished cohort: 2022 in Q4 2023 (its follow-up ended in Q3 2023), 2021 in Q2 2023."""
    published = figures(public_file)
    cohort = {k: v for k, v in published.items() if k[0] == "cohort_year"}
    assert cohort, "no durability figures in the publication"
    for (_, period, region, group, breakdown, measure), (value, status, _) in cohort.items():
        if measure.startswith("persons_") and status == "published":
            assert not 1 <= value <= 9, (period, region, group, measure)
        if measure.startswith("share_"):
            inputs = ["persons_started", "persons_still_working" if "still" in measure else "persons_same_job"]
            hidden = any(cohort[("cohort_year", period, region, group, breakdown, m)][1] == "suppressed"
                         for m in inputs)
            assert (status == "suppressed") == hidden, (period, region, group, measure)
    for key, (value, status, _) in published.items():
        if key[0] == "year" and key[5] == "share_working":
            _, year, region, group, breakdown, _ = key
            inputs = [published.get((f"{year}Q4", region, group, breakdown, m)) for m in
                      ("persons_working", "persons_registered")]
            hidden = any(i is None or i[1] == "suppressed" for i in inputs)
            assert (status == "suppressed") == hidden or (inputs[1] and inputs[1][0] == 0), key
    for quarter, year in ((LATEST, "2022"), (EARLIER, "2021")):
        for region in ("NL", "AM02"):
            page = (reports / quarter / f"{region}.html").read_text()
            table = element(page, "durability")
            numbers = [n for n in numbers_in(table) if "data-measure" in n]
            assert len(numbers) == 20 and {n["data-period"] for n in numbers} == {year}
            for number in numbers:
                check_number(number, published)
            assert f"cohort {year}" in page


def test_the_labels_come_from_the_public_files_measures(public_file, tmp_path):
    """Every measure's label on a page is the one publication.measures (from the measure
    registry) gives: changed in a copy of the public file, the pages' tables and the index
    show the changed label; and a public file without publication.measures is refused."""
    copy = tmp_path / "public.duckdb"
    shutil.copy(public_file, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("update publication.measures set label = 'Banen (proef)' "
                    "where measure = 'jobs' and period_type = 'quarter'")
        con.execute("update publication.measures set label = 'Werkbehoud (proef)' "
                    "where measure = 'persons_still_working' and period_type = 'cohort_year'")
    f = build_reports.Figures(copy)
    page = build_reports.page_context(f, "AM02", LATEST, {}, {"wajong": "Wajong"})
    assert "Banen (proef)" in [column for chart in page["charts"] for column in chart["table"]["columns"]]
    assert ("jobs", "Banen (proef)") in page["group_columns"]
    assert "Werkbehoud (proef)" in page["durability"]["columns"]
    assert "Banen (proef)" in build_reports.index_context(f, LATEST, ["AM02"], {})["columns"]
    with duckdb.connect(str(copy)) as con:
        con.execute("drop table publication.measures")
    with pytest.raises(SystemExit, match="has no publication.measures"):
        build_reports.Figures(copy)



def check_story(page: str, published: dict, region: str, quarter: str) -> None:
    """The story of the quarter against the published figures, recomputed here: the verdicts
    compare the numbers as shown (whole jobs, half up), the jobs still to go and the
    conclusion follow from growth and target; the conclusion comes before the remarks."""
    year, q = quarter[:4], int(quarter[-1])
    previous = f"{int(year) - 1}Q4" if q == 1 else f"{year}Q{q - 1}"

    def value(measure, period=quarter):
        v, status, _ = published.get((period, region, "all", "all", measure), (None, "absent", None))
        return v if status == "published" else None

    def whole(v):
        return v.quantize(Decimal(1), ROUND_HALF_UP)

    def judged(a, b, words):
        return None if a is None or b is None else words[0] if whole(a) > whole(b) else \
            words[1] if whole(a) == whole(b) else words[2]

    growth_q = value("jobs_change")
    needed = value("required_per_quarter_yearly_pace") if q == 1 else value("required_per_remaining_quarter",
                                                                            previous)
    pace = value("required_per_quarter_yearly_pace")
    sentence = element(page, "story-growth")
    expected_needed = judged(growth_q, needed, ("meer dan nodig", "precies zoveel als nodig", "minder dan nodig"))
    expected_pace = judged(growth_q, pace, ("meer dan verwacht", "zoals verwacht", "minder dan verwacht"))
    if needed is not None and whole(needed) == 0:
        assert "verdict" not in sentence and "was al gehaald" in plain(sentence), (region, quarter)
    elif expected_needed and expected_pace:
        assert re.search(rf'id="verdict-needed">{expected_needed}</strong>', sentence), (region, quarter)
        assert re.search(rf'id="verdict-pace">{expected_pace}</strong>', sentence), (region, quarter)
    else:
        assert "verdict" not in sentence and "niet te zeggen" in plain(sentence), (region, quarter)
    measures = [n["data-measure"] for n in numbers_in(sentence)]
    needed_measure = "required_per_quarter_yearly_pace" if q == 1 else "required_per_remaining_quarter"
    assert measures == ["jobs_change", needed_measure] + (
        [] if needed is not None and whole(needed) == 0 else ["required_per_quarter_yearly_pace"]), (region, quarter)
    assert numbers_in(sentence)[1]["data-period"] == (quarter if q == 1 else previous)
    growth, target = value("job_growth"), value("target_year_end")
    to_go = target - growth if growth is not None and target is not None else None
    to_go_text = plain(element(page, "story-to-go"))
    if to_go is not None and to_go > 0:
        shown = [n for n in numbers_in(element(page, "story-to-go")) if n.get("data-formula")]
        assert read_dutch(shown[0]["shown"]) == whole(to_go), (region, quarter, to_go_text)
    elif to_go is not None:
        assert "is gehaald" in to_go_text
    conclusion = plain(element(page, "conclusion"))
    if to_go is None:
        assert "is niet te zeggen" in conclusion
    elif to_go <= 0:
        assert "doelstelling voor eind" in conclusion and "gehaald" in conclusion and "niet" not in conclusion
    elif q == 4:
        assert "niet gehaald" in conclusion
    elif growth_q is None:
        assert "is niet te zeggen" in conclusion
    else:
        on_course = whole(growth_q) > 0 and whole(growth_q * (4 - q)) >= whole(to_go)
        assert ("ligt op koers" in conclusion) == on_course and ("niet op koers" in conclusion) != on_course, \
            (region, quarter, conclusion)
    assert page.index('id="conclusion"') < page.index('id="remarks"')
    # in- and outflow by reason: the reasons in the table are those of the publication
    for direction in ("inflow", "outflow"):
        numbers = [n for n in numbers_in(element(page, f"flows-{direction}")) if "data-measure" in n]
        reasons = sorted(n["data-breakdown"] for n in numbers[1:])
        assert numbers[0]["data-measure"] == direction
        assert reasons == sorted(k[3] for k in published if k[:3] == (quarter, region, "all")
                                 and k[4] == "persons" and k[3].startswith(direction + ":")), (region, direction)
        shown_values = [published[(quarter, region, "all", n["data-breakdown"], "persons")] for n in numbers[1:]]
        total = value(direction)
        if total is not None and shown_values and all(s[1] == "published" for s in shown_values):
            assert sum(s[0] for s in shown_values) == total, (region, direction)


def test_the_story_of_the_quarter_flows_and_breakdowns(reports, public_file):
    """Every page of both quarters tells the story its figures give (check_story); the
    national page has the news sentences and the breakdown charts (published nationally
    only), a region's page says where they are; the source line names the publication."""
    published = figures(public_file)
    with duckdb.connect(str(public_file), read_only=True) as con:
        publication_id = con.execute("select max(publication_id) from publication.figures").fetchall()[0][0]
    for quarter in (LATEST, EARLIER):
        for region in [*REGIONS, "NL"]:
            page = (reports / quarter / f"{region}.html").read_text()
            check_story(page, published, region, quarter)
            source = plain(element(page, "source"))
            assert publication_id in source
            stamp = publication_id[:8]
            assert f"Gepubliceerd op {int(stamp[6:8])} " in source and stamp[:4] in source
            if region != "NL":
                assert 'id="news"' not in page and 'id="breakdowns-national"' in page
    page = (reports / LATEST / "NL.html").read_text()
    for breakdown in ("age_class", "gender", "hours_class", "contract_type"):
        table = element(page, f"b-{breakdown}-table")
        numbers = [n for n in numbers_in(table) if "data-measure" in n]
        classes = {n["data-breakdown"] for n in numbers}
        assert classes == {k[3] for k in published if k[:3] == (LATEST, "NL", "all")
                           and k[3].startswith(breakdown + ":")}, breakdown
        assert {n["data-measure"] for n in numbers} >= {"persons_working", "jobs"}
        for number in numbers:
            check_number(number, published)
    news = {item: plain(element(page, item)) for item in ("news-growth", "news-change", "news-flows",
                                                           "news-sheltered")}
    change = numbers_in(element(page, "news-change"))
    assert [n["data-measure"] for n in change] == ["jobs_change", "jobs_change_pct", "jobs", "persons_working_change",
                                                   "persons_working_change_pct", "persons_working"]
    verbs = re.findall(r"(steeg|daalde|bleef gelijk|veranderde)", news["news-change"])
    jobs_change = published[(LATEST, "NL", "all", "all", "jobs_change")]
    working_change = published[(LATEST, "NL", "all", "all", "persons_working_change")]
    assert verb_matches(verbs[0], jobs_change[0] if jobs_change[1] == "published" else None)
    assert verb_matches(verbs[1], working_change[0] if working_change[1] == "published" else None)
    assert [n["data-measure"] for n in numbers_in(element(page, "news-sheltered"))] == [
        "requests_municipality", "requests_citizen", "positive_advices", "valid_positive_advices",
        "persons_working_sheltered"]
    flows = [n for n in numbers_in(element(page, "news-flows")) if "data-measure" in n]
    assert flows[0]["data-measure"] == "inflow" and flows[-1]["data-measure"] == "persons_registered"
    for text in news.values():
        assert "{" not in text and "None" not in text


def test_province_pages_and_the_province_level_of_the_index(reports, public_file):
    """A page per province (all groups together: the publication has no province × group
    figures) whose numbers are the published figures, with the change on last quarter
    in words; the index's province table lists every province with a link; where every
    province is published, they add up to the national figure."""
    published = figures(public_file)
    for quarter in (LATEST, EARLIER):
        previous = "2023Q3" if quarter == LATEST else "2023Q1"
        index = (reports / quarter / "index.html").read_text()
        table = element(index, "compare-provinces")
        assert sorted(re.findall(r'<a href="(PV\w+)\.html">', table)) == PROVINCES
        for number in (n for n in numbers_in(table) if "data-measure" in n):
            check_number(number, published)
        for province in PROVINCES:
            page = (reports / quarter / f"{province}.html").read_text()
            numbers = [n for n in numbers_in(page) if "data-measure" in n]
            assert {n["data-region"] for n in numbers} == {province} and numbers
            for number in numbers:
                check_number(number, published)
                assert number["data-group"] == "all" and number["data-breakdown"] == "all"
            for moved in re.finditer(r'<span class="move" data-measure="(\w+)">([^<]+)</span>', page):
                now = published[(quarter, province, "all", "all", moved[1])]
                before = published[(previous, province, "all", "all", moved[1])]
                assert now[1] == before[1] == "published"
                assert verb_matches(moved[2], now[0] - before[0]), (province, moved[1])
        for measure in ("persons_registered", "persons_working", "jobs"):
            cells = [published[(quarter, p, "all", "all", measure)] for p in PROVINCES]
            national = published[(quarter, "NL", "all", "all", measure)]
            if all(c[1] == "published" for c in cells) and national[1] == "published":
                assert abs(sum(c[0] for c in cells) - national[0]) < Decimal("0.001"), (quarter, measure)
    assert not any(k[1].startswith("PV") and k[2] != "all" for k in published if len(k) == 5)
