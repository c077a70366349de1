"""Every SQL block the docs show runs on the demo warehouse: the example queries of
docs/*.md (```sql blocks, each statement on its own) return rows, with no error.
A query that names a column the marts no longer have fails here, not in a user's
BI tool."""
from __future__ import annotations

import re

import duckdb
import pytest

from conftest import ROOT

BLOCK = re.compile(r"^```sql\n(.*?)^```", re.MULTILINE | re.DOTALL)


def statements() -> list[tuple[str, str]]:
    found = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            text = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("--"))
            for number, statement in enumerate(s for s in text.split(";") if s.strip()):
                found.append((f"{page.name}#{number}", statement))
    return found


def test_the_docs_show_sql():
    assert len(statements()) >= 6


@pytest.mark.parametrize("name,statement", statements(), ids=[name for name, _ in statements()])
def test_every_docs_query_runs_on_the_demo_warehouse(demo_warehouse, name, statement):
    with duckdb.connect(str(demo_warehouse.path), read_only=True) as con:
        rows = con.execute(statement).fetchall()
    assert rows, f"{name} returned no rows"
