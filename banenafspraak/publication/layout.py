"""The paths of the publish folder, and the lock every publish or rollback holds."""
from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

from banenafspraak.config import Config, config
from banenafspraak.publication.steps import PublishError, log

COMPLETE = "COMPLETE"


class Layout:
    """The paths of one publish folder."""

    def __init__(self, settings: Config | None = None) -> None:
        settings = settings or config()
        self.root = settings.root
        self.folder = settings.publish_folder
        self.bi_link = self.folder / settings.publish_path.name
        self.runs = self.folder / "runs"
        self.current = self.folder / "current"
        self.history = settings.history
        self.lock = self.folder / ".lock"
        self.warehouse = settings.warehouse.resolve()
        self.target = settings.target          # dbt's target folder (run_results.json of the build)

    def run(self, publication_id: str) -> Path:
        return self.runs / publication_id

    def links(self) -> dict[Path, str]:
        """The fixed paths BI tools use -> where they point (relative, through `current`)."""
        return {self.bi_link: "current/warehouse.duckdb",
                self.folder / "manifest.json": "current/manifest.json",
                self.folder / "marts.sql": "current/marts.sql",
                self.folder / "revisions.md": "current/revisions.md",
                self.folder / "parquet" / "current": "../current/parquet",
                self.folder / "public" / "public.duckdb": "../current/public/public.duckdb",
                self.folder / "public" / "figures.parquet": "../current/public/figures.parquet"}

    def current_id(self) -> str | None:
        if not self.current.is_symlink():
            return None
        return Path(os.readlink(self.current)).name

    def is_complete(self, publication_id: str) -> bool:
        return (self.run(publication_id) / COMPLETE).is_file()

    def manifest(self, publication_id: str) -> dict:
        return json.loads((self.run(publication_id) / "manifest.json").read_text())


def acquire_lock(layout: Layout, operation: str, wait: bool) -> int:
    """An exclusive flock on publish/.lock for the whole operation. The descriptor stays
    open until the process ends (the kernel releases the lock then, also on kill -9);
    the dbt build inherits it, so the lock is held until that ends too."""
    layout.folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(layout.lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(descriptor, 500, 0).decode(errors="replace").strip() or "another process"
        if not wait:
            os.close(descriptor)
            raise PublishError(f"{operation}: another publish or rollback is running ({holder}; lock "
                               f"{layout.lock}); nothing was changed. Run again when it has finished, "
                               "or without --no-wait to wait for it.") from None
        log(f"waiting: another publish or rollback is running ({holder}); this {operation} starts when "
            "it has finished")
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{operation} by pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
              .encode(), 0)
    log(f"lock {layout.lock} held by this {operation} (pid {os.getpid()})")
    return descriptor
