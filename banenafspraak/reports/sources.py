"""The regional reports' other inputs (build.py): the public reference data in
seeds/reference (region names, target-group labels) and a region's own remarks
(reports/remarks, see its README.md).
"""
from __future__ import annotations

import csv
import re

from markupsafe import Markup, escape

from banenafspraak.config import ROOT

REFERENCE = ROOT / "seeds" / "reference"
REMARKS = ROOT / "reports" / "remarks"
NATIONAL = "NL"
UNKNOWN_PROVINCE = "PVUNKNOWN"


def read_csv(name: str) -> list[dict]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def region_names() -> dict[str, str]:
    names = {row["region_code"]: row["region_name"] for row in read_csv("labour_market_regions.csv")}
    names[NATIONAL] = "Nederland"
    return names


def province_names() -> dict[str, str]:
    """PVxx → the province's name (the CBS indeling in municipality_province.csv), and
    PVUNKNOWN, the persons without a residence or in a municipality without a province."""
    names = {row["province_code"]: row["province_name"] for row in read_csv("municipality_province.csv")}
    names[UNKNOWN_PROVINCE] = "Onbekend"
    return dict(sorted(names.items()))


def group_labels() -> dict[str, str]:
    rows = sorted(read_csv("target_groups.csv"), key=lambda row: int(row["sort_order"]))
    return {row["target_group"]: row["label_nl"] for row in rows}


def remarks(region: str, quarter: str) -> tuple[Markup | None, str]:
    """The region's own remarks: reports/remarks/<quarter>/<region>.md, else <region>.md.

    Plain text: lines starting with '- ' become a list, blank lines separate
    paragraphs, **words** are bold. Everything else is escaped (no HTML)."""
    for path in (REMARKS / quarter / f"{region}.md", REMARKS / f"{region}.md"):
        if path.exists():
            return render_remarks(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT))
    return None, str((REMARKS / quarter / f"{region}.md").relative_to(ROOT))


def render_remarks(text: str) -> Markup:
    def inline(line: str) -> str:
        return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(escape(line)))

    html: list[str] = []
    items: list[str] = []
    paragraph: list[str] = []

    def flush():
        if items:
            html.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
            items.clear()
        if paragraph:
            html.append(f"<p>{inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue  # comments for whoever edits the file
        if line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:])
        elif not line:
            flush()
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return Markup("\n".join(html))
