"""The earlier vintages a reader may hold, read from the publication history.

publish/history/index.json lists every vintage in the order recorded (withdrawn ones
included: readers downloaded them) and the ones `make rollback` withdrew; each
vintage's cells.parquet holds its cells with their exact values and status.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from banenafspraak.disclosure.cells import KEY, TOLERANCE


def read_index(history: Path) -> dict:
    """history/index.json: {"vintages": [...], "withdrawn": {vintage: {"withdrawn_at", "back_to"}}}."""
    index = history / "index.json"
    data = json.loads(index.read_text()) if index.exists() else {}
    return {"vintages": data.get("vintages", []), "withdrawn": data.get("withdrawn", {})}


def read_vintages(history: Path) -> tuple[list[str], pd.DataFrame | None]:
    """Every vintage in the history (publish/history/index.json, in the order recorded),
    withdrawn ones included: readers may still hold them. Returns (ids, their cells
    stacked with a `vintage` column), or ([], None) without a history."""
    index = history / "index.json"
    ids = read_index(history)["vintages"]
    frames = []
    for vintage in ids:
        path = history / vintage / "cells.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path}: a vintage listed in {index} is missing")
        frames.append(pd.read_parquet(path).assign(vintage=vintage))
    return ids, (pd.concat(frames, ignore_index=True) if frames else None)


def reader_knowledge(cells: pd.DataFrame, previous: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """(known_before, suppressed_before): published unchanged in an earlier vintage / suppressed in one.

    previous holds the cells of every earlier vintage (read_vintages), one row per cell and
    vintage: a value is known when any vintage published it with the value it has now, and
    a cell stays suppressed when any vintage suppressed it."""
    if previous is None or not len(previous):
        return np.zeros(len(cells), bool), np.zeros(len(cells), bool)
    current = cells[KEY + ["exact_value"]].reset_index(drop=True)
    current["cell"] = np.arange(len(current))
    merged = current.merge(
        previous[KEY + ["exact_value", "status"]].rename(columns={"exact_value": "previous_value",
                                                                 "status": "previous_status"}),
        on=KEY, how="inner")
    same = (merged["previous_value"].isna() & merged["exact_value"].isna()) | \
        ((merged["previous_value"] - merged["exact_value"]).abs() <= TOLERANCE)
    cell = merged["cell"].to_numpy()
    known = np.zeros(len(cells), bool)
    before = np.zeros(len(cells), bool)
    # shown: a value, or a figure shown not to exist (not_applicable), the same as now
    shown = merged["previous_status"].isin(["published", "not_applicable"])
    known[cell[(shown & same).to_numpy()]] = True
    before[cell[merged["previous_status"].eq("suppressed").to_numpy()]] = True
    return known, before


def previous_published_mask(cells: pd.DataFrame, previous: pd.DataFrame | None) -> np.ndarray:
    """Cells that some earlier vintage published (previous: every earlier vintage's cells)."""
    if previous is None or not len(previous):
        return np.zeros(len(cells), bool)
    published = previous.loc[previous["status"].eq("published"), KEY].drop_duplicates()
    merged = cells[KEY].merge(published.assign(was_published=True), on=KEY, how="left")
    return merged["was_published"].eq(True).to_numpy()
