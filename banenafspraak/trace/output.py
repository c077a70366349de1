"""Where a trace may be written (never under the published folder), how (owner-only),
and its record in audit.run_log."""
from __future__ import annotations

import getpass
import json
import os
import uuid
from datetime import datetime
from pathlib import Path

from banenafspraak.config import Config, config, git_commit
from banenafspraak.trace.cell import CODE, Trace, TraceError


def published_folders(settings: Config | None = None) -> list[Path]:
    """The folders a trace is never written under: publish/ and PUBLISH_PATH's folder (links resolved)."""
    settings = settings or config()
    published = settings.publish_path
    folders = [settings.root / "publish", published.parent, published.resolve().parent]  # the link's and its target's
    return [folder.resolve() for folder in folders]


def output_folder(out: Path) -> Path:
    """--out with symlinks and .. resolved; refused under a published folder or when another user's."""
    folder = Path(out).resolve()
    for published in published_folders():
        if folder == published or published in folder.parents:
            raise TraceError(f"--out {str(out)!r} is under the published folder {published}: a trace holds "
                             "person-level data and is never written there (default: audit_traces/)")
    if folder.exists() and not folder.is_dir():
        raise TraceError(f"--out {str(out)!r} is not a folder")
    if folder.exists() and folder.stat().st_uid != os.geteuid():
        raise TraceError(f"--out {str(out)!r} belongs to another user; a trace goes into a folder only you can open")
    return folder


def file_stem(trace: Trace, started: datetime) -> str:
    """The trace's file name (without .json): the cell's validated codes and the time, nothing else."""
    parts = [str(value) for value in trace.cell.values() if value is not None]
    if not all(CODE.fullmatch(part) for part in parts):  # cannot happen after validate(); never a path
        raise TraceError(f"a code of the cell is not a plain code: {parts!r}")
    return "_".join(parts) + f"_{started:%Y%m%dT%H%M%S}"


def write_private(folder: Path, stem: str, text: str) -> Path:
    """A new file only its owner can read (0600), in a folder only the owner can open (0700).

    Never overwrites or follows a link: a second trace of the cell in the same second gets _2."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if folder.resolve() != folder:
        raise TraceError(f"{folder} changed into a link while the trace ran; nothing written")
    os.chmod(folder, 0o700)
    for number in range(1, 100):
        path = folder / (stem + (f"_{number}" if number > 1 else "") + ".json")
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            continue
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
        return path
    raise TraceError(f"{folder} already holds 99 traces named {stem}")


def record(con, trace: Trace, started: datetime, output: Path) -> None:
    detail = {"cell": trace.cell, "published": trace.published, "computed": trace.computed,
              "adds_up": trace.adds_up, "persons": len(trace.persons), "output": str(output)}
    con.execute("""
        insert into audit.run_log (run_id, event, started_at, ended_at, user_name, git_commit,
                                   success, detail)
        values ($id, 'trace', $started, current_timestamp, $user, $commit, $ok, $detail)
    """, {"id": str(uuid.uuid4()), "started": started, "user": getpass.getuser(), "commit": git_commit(),
          "ok": trace.adds_up, "detail": json.dumps(detail, default=str)})
