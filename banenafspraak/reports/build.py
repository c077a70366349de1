"""Regional reports: a quarterly factsheet per labour-market region, one for the
Netherlands and an index that compares the regions (`make reports`).

Modelled on UWV's public "Voortgang Banenafspraken" update per region (e.g. the
factsheet for Friesland, Q2 2023; docs/reports.md): headline
tiles with their change against the previous quarter, sentences on the current
developments, charts over all published quarters, beschut werk, and a block for the
region's own remarks. The pages are in Dutch (their readers are Dutch); code is English.

Reads only public data:
  - `publication.figures` from the public file (publish/public/public.duckdb, what
    `make publish` writes after disclosure control): a suppressed figure shows its
    symbol and the legend, and a chart leaves a gap; nothing is recomputed from the
    exact marts;
  - the public reference data in seeds/reference (region names, target-group labels).
Remarks of a region come from a text file, see reports/remarks/README.md.

Writes publish/reports/<quarter>/<region_code>.html, NL.html and index.html: each one
self-contained (CSS inline, charts as inline SVG, no fonts or scripts from anywhere
else; the index has a small inline script to sort its table), printable on A4; with
--pdf also a PDF twin of each page, printed by headless Chromium (Debian's package).

    python scripts/build_reports.py [--quarter 2023Q4] [--public FILE] [--out DIR] [--pdf]
"""
# The code: figures.py (the public figures and their formats), sources.py (reference data
# and remarks), pages.py (the context of each page); here the rendering, the PDFs and the CLI.
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from banenafspraak.config import ROOT, config
from banenafspraak.reports.figures import Figures, format_value
from banenafspraak.reports.pages import QUARTER, index_context, page_context, province_context, quarter_label
from banenafspraak.reports.sources import NATIONAL, group_labels, province_names, region_names, render_remarks

# the names tests and other code use from here, as before the split
__all__ = ["Figures", "build", "format_value", "index_context", "main", "page_context", "render_remarks"]

TEMPLATES = ROOT / "reports" / "templates"


# ------------------------------------------------------------------ PDF

def print_pdfs(pages: list[Path], progress) -> None:
    """A PDF twin of each page, printed by headless Chromium (Debian's package) on A4."""
    import shutil
    import subprocess
    if shutil.which("chromium") is None:
        subprocess.run([str(ROOT / "scripts" / "ensure_chromium.sh")], check=False)
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("build_reports: --pdf needs Debian's chromium package (scripts/ensure_chromium.sh)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        page = browser.new_page()
        for number, html in enumerate(pages, 1):
            page.goto(html.as_uri())
            page.emulate_media(media="print")
            page.pdf(path=str(html.with_suffix(".pdf")), format="A4", print_background=True,
                     prefer_css_page_size=True)
            progress(number, len(pages), f"PDF {html.with_suffix('.pdf').name}")
        browser.close()


# ------------------------------------------------------------------ main

def progress_bar(done: int, total: int, what: str) -> None:
    """One redrawn bar on a terminal; a line per tenth in a log file."""
    width = 30
    filled = int(width * done / total)
    line = f"[{'#' * filled}{'.' * (width - filled)}] {done:>2}/{total} {what}"
    if sys.stderr.isatty():
        print(f"\r{line:<70}", end="\n" if done == total else "", file=sys.stderr, flush=True)
    elif done == total or done % max(1, total // 10) == 0:
        print(line, file=sys.stderr, flush=True)


def build(public: Path, out_root: Path, quarter: str | None = None, pdf: bool = False) -> Path:
    started = time.monotonic()
    f = Figures(public)
    quarter = quarter or f.periods[-1]
    if not QUARTER.match(quarter or ""):
        raise SystemExit(f"build_reports: --quarter {quarter!r}: expected a quarter like 2023Q4")
    if quarter not in f.periods:
        raise SystemExit(f"build_reports: {public}: no published figures for {quarter} "
                         f"(published: {f.periods[0]} … {f.periods[-1]})")
    names, labels = region_names(), group_labels()
    regions = [r for r in sorted(names) if r != NATIONAL]
    missing = [r for r in regions if not any(k[1] == r and k[0] == quarter for k in f.cells)]
    if missing:
        raise SystemExit(f"build_reports: {public}: no figures for regions {', '.join(missing)} in {quarter}")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["css"] = Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))
    out = out_root / quarter
    out.mkdir(parents=True, exist_ok=True)
    # the provinces the publication has figures for this quarter (public for all groups only)
    provinces = {code: name for code, name in province_names().items()
                 if f.get(quarter, code, "persons_registered").status != "absent"}
    pages = []
    total = len(regions) + len(provinces) + 2
    for number, region in enumerate([*regions, NATIONAL], 1):
        html = env.get_template("region.html.j2").render(**page_context(f, region, quarter, names, labels))
        path = out / f"{region}.html"
        path.write_text(html, encoding="utf-8")
        pages.append(path)
        progress_bar(number, total, f"{region}.html")
    for number, province in enumerate(provinces, len(regions) + 2):
        html = env.get_template("province.html.j2").render(**province_context(f, province, quarter, provinces))
        path = out / f"{province}.html"
        path.write_text(html, encoding="utf-8")
        pages.append(path)
        progress_bar(number, total, f"{province}.html")
    index = out / "index.html"
    index.write_text(env.get_template("index.html.j2").render(**index_context(f, quarter, regions, names,
                                                                              provinces)),
                     encoding="utf-8")
    pages.append(index)
    progress_bar(total, total, "index.html")
    if pdf:
        print_pdfs(pages, progress_bar)
    print(f"build_reports: {len(pages)} pages for {quarter_label(quarter)} in {out} "
          f"({time.monotonic() - started:.1f} s{', with PDF' if pdf else ''})", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quarter", help="e.g. 2023Q4 (default: the latest published quarter)")
    settings = config()
    parser.add_argument("--public", type=Path, default=settings.publish_folder / "public" / "public.duckdb",
                        help="the public file that `make publish` writes")
    parser.add_argument("--out", type=Path, default=settings.publish_folder / "reports")
    parser.add_argument("--pdf", action="store_true", help="also print each page to PDF (headless Chromium)")
    args = parser.parse_args(argv)
    build(args.public, args.out, args.quarter, args.pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
