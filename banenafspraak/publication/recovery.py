"""What a crash left behind, the fixed symlinks, and the run folders no longer kept."""
from __future__ import annotations

import os
import shutil

from banenafspraak.disclosure.vintages import read_index
from banenafspraak.publication.history import recover_history
from banenafspraak.publication.layout import Layout
from banenafspraak.publication.steps import PublishError, log
from banenafspraak.publication.storage import fsync_path, replace_symlink

KEEP_PREVIOUS = 2                   # publications kept before the current one, for `make rollback`


def recover(layout: Layout) -> bool:
    """Run with the lock held, before anything else: what a crash left behind. Returns
    True when it finished a rollback that a crash interrupted."""
    layout.runs.mkdir(parents=True, exist_ok=True)
    recover_history(layout)
    current = layout.current_id()
    if current is not None and not layout.is_complete(current):
        raise PublishError(f"publish: {layout.current} points at {current}, which is not a complete "
                           "publication; this script never switches to one: check the folder by hand")
    removed = 0
    for entry in sorted(layout.runs.iterdir()):
        if entry.name == current or (entry.is_dir() and layout.is_complete(entry.name)):
            continue
        log(f"recover: {entry.name} is an incomplete publication (interrupted before it was complete; "
            "it never was current): removing it")
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        removed += 1
    if removed:
        fsync_path(layout.runs)
    for leftover in (layout.folder / ".current.tmp",):
        if leftover.is_symlink():
            leftover.unlink()
    withdrawn = read_index(layout.history)["withdrawn"]
    finished = False
    if current in withdrawn:
        back_to = withdrawn[current].get("back_to")
        if not back_to or not layout.is_complete(back_to):
            raise PublishError(f"publish: the current publication {current} was withdrawn, but the one to go "
                               f"back to ({back_to}) is gone: check the folder by hand")
        log(f"recover: a rollback of {current} was interrupted after it was recorded: finishing it "
            f"(back to {back_to})")
        replace_symlink(layout.current, f"runs/{back_to}")
        current, finished = back_to, True
    for entry in sorted(layout.runs.iterdir()):
        if entry.name in withdrawn and entry.name != current:
            log(f"recover: removing run {entry.name} (withdrawn by a rollback that was interrupted)")
            shutil.rmtree(entry)
    if current is not None:
        ensure_links(layout)
    return finished


def ensure_links(layout: Layout) -> None:
    """The fixed paths, each a symlink through `current`; created once. A regular file of
    the earlier layout (a renamed-in-place BI file) is replaced by its symlink in one rename."""
    for link, target in layout.links().items():
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.is_dir() and not link.is_symlink():
            raise PublishError(f"publish: {link} is a folder; it must become a symlink to {target}")
        link.parent.mkdir(parents=True, exist_ok=True)
        replace_symlink(link, target)
        log(f"link {link.relative_to(layout.folder)} -> {target}")
    retire_earlier_layout(layout)


def retire_earlier_layout(layout: Layout) -> None:
    """Files of the layout before runs/ (rename-in-place with *.previous copies) that no
    longer belong to any publication."""
    old = [layout.bi_link.with_name(layout.bi_link.stem + ".previous.duckdb"), layout.folder / "manifest.previous.json",
           layout.folder / "public" / "public.previous.duckdb", layout.folder / "public" / "figures.previous.parquet",
           layout.folder / "parquet" / ".current.tmp"]
    old += [p for p in (layout.folder / "parquet").glob("*") if p.is_dir() and not p.is_symlink()]
    for path in old:
        if path.is_symlink() or path.exists():
            log(f"removing {path.relative_to(layout.folder)} (the publish layout before runs/)")
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def prune(layout: Layout) -> None:
    """Keep the current publication and the KEEP_PREVIOUS before it (by each manifest's
    `previous`); remove every other run folder, withdrawn ones included."""
    keep: list[str] = []
    publication_id = layout.current_id()
    while publication_id and len(keep) <= KEEP_PREVIOUS and layout.is_complete(publication_id):
        keep.append(publication_id)
        publication_id = layout.manifest(publication_id).get("previous")
    withdrawn = read_index(layout.history)["withdrawn"]
    removed = 0
    for entry in sorted(layout.runs.iterdir()):
        if entry.name in keep:
            continue
        reason = ("withdrawn by make rollback" if entry.name in withdrawn else
                  "incomplete" if not layout.is_complete(entry.name) else
                  f"neither current nor one of the {KEEP_PREVIOUS} kept for make rollback")
        log(f"removing run {entry.name} ({reason})")
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        removed += 1
    if removed:
        fsync_path(layout.runs)
