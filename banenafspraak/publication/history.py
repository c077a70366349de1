"""The disclosure vintages of the publish folder (history/): recorded durably, owner-only.

Read with banenafspraak.disclosure.vintages (the protection and the audit read them too).
"""
from __future__ import annotations

import io
import json
import os
import shutil

import pandas as pd

from banenafspraak.disclosure.vintages import read_index
from banenafspraak.publication.layout import Layout
from banenafspraak.publication.steps import log
from banenafspraak.publication.storage import fsync_path, private_folder, write_durably


def write_index(layout: Layout, index: dict) -> None:
    private_folder(layout.history)
    write_durably(layout.history / "index.json", json.dumps(index, indent=2).encode(), mode=0o600)


def record_vintage(layout: Layout, publication_id: str, cells: pd.DataFrame, summary: dict) -> None:
    """history/<id>/ (cells with exact values, the protection's summary), written under a
    temporary name and renamed whole, then listed in index.json: all fsynced."""
    private_folder(layout.history)
    temporary = layout.history / f".{publication_id}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    private_folder(temporary)
    buffer = io.BytesIO()
    cells.to_parquet(buffer, index=False)
    write_durably(temporary / "cells.parquet", buffer.getvalue(), mode=0o600)
    write_durably(temporary / "disclosure.json", json.dumps(summary, indent=2, default=str).encode(), mode=0o600)
    os.rename(temporary, layout.history / publication_id)
    fsync_path(layout.history)
    index = read_index(layout.history)
    index["vintages"] = [v for v in index["vintages"] if v != publication_id] + [publication_id]
    write_index(layout, index)


def recover_history(layout: Layout) -> None:
    if not layout.history.exists():
        return
    for path in [layout.history, *layout.history.rglob("*")]:   # owner-only, also a history of older layouts
        if not path.is_symlink():
            os.chmod(path, 0o700 if path.is_dir() else 0o600)
    index = read_index(layout.history)
    changed = False
    for entry in sorted(layout.history.iterdir()):
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            log(f"recover: removing {entry} (a vintage or index whose writing was interrupted)")
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        elif entry.is_dir() and entry.name not in index["vintages"] and (entry / "cells.parquet").exists():
            # written whole but not listed: interrupted before the switch; constraining with it is safe
            log(f"recover: vintage {entry.name} was recorded but not listed; listing it (it was never current)")
            index["vintages"].append(entry.name)
            changed = True
    if changed:
        write_index(layout, index)
