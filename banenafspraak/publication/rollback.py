"""make rollback: back to the publication that was current before this one (see publish.py)."""
from __future__ import annotations

from datetime import UTC, datetime

from banenafspraak.disclosure.vintages import read_index
from banenafspraak.publication import steps
from banenafspraak.publication.history import write_index
from banenafspraak.publication.layout import Layout, acquire_lock
from banenafspraak.publication.recovery import KEEP_PREVIOUS, prune, recover
from banenafspraak.publication.steps import PublishError, log
from banenafspraak.publication.storage import replace_symlink


def rollback(wait: bool = True) -> int:
    """Withdraw the current publication and switch back to the one before it."""
    layout = Layout()
    steps.step("lock", "an exclusive lock on the publish folder for the whole rollback")
    acquire_lock(layout, "rollback", wait=wait)
    steps.step("recover", "what an interrupted publish or rollback left behind")
    if recover(layout):
        log(f"rolled back to {layout.current_id()} (the interrupted rollback is finished; nothing further "
            "was rolled back)")
        return 0
    current = layout.current_id()
    if current is None:
        earlier = " in this layout (the published files are of the layout before runs/)" \
            if layout.bi_link.is_file() and not layout.bi_link.is_symlink() else ""
        raise PublishError(f"rollback: nothing is published in {layout.folder}{earlier}; nothing to go back to")
    target = layout.manifest(current).get("previous")
    withdrawn = read_index(layout.history)["withdrawn"]
    if not target:
        raise PublishError(f"rollback: {current} is the first publication here; there is nothing to go back to "
                           "(nothing was changed)")
    if target in withdrawn:
        raise PublishError(f"rollback: the publication before {current} ({target}) was withdrawn; a withdrawn "
                           "publication never becomes current again (nothing was changed)")
    if not layout.is_complete(target):
        raise PublishError(f"rollback: the publication before {current} ({target}) is no longer kept (only the "
                           f"{KEEP_PREVIOUS} before the current one are); nothing to go back to (nothing was changed)")
    steps.step("withdraw", f"mark {current} withdrawn in history/index.json (kept, still constraining)")
    index = read_index(layout.history)
    if current not in index["vintages"]:
        log(f"the vintage of {current} is not in the history (published before vintages were recorded)")
    index["withdrawn"][current] = {"withdrawn_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                   "back_to": target}
    write_index(layout, index)
    steps.step("switch", f"current -> runs/{target} (one rename)")
    replace_symlink(layout.current, f"runs/{target}")
    steps.step("prune", "the withdrawn run folder and runs no longer kept")
    prune(layout)
    steps.step("done", "rolled back")
    log(f"rolled back to {target}; {current} withdrawn: its vintage stays in {layout.history} and keeps "
        "constraining every later publication")
    return 0
