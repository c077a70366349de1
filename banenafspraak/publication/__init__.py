"""make publish and make rollback (publish.py has the whole story).

  publish.py     publish(): the steps from the lock to the switch; main() (scripts/publish.py)
  rollback.py    rollback(): back to the previous publication
  steps.py       the step boundaries and their log
  layout.py      the paths of the publish folder, and its lock
  storage.py     durable writes (fsync, write-then-rename, symlinks, md5)
  history.py     the disclosure vintages, recorded owner-only
  recovery.py    what a crash left behind, the fixed links, pruning
  run.py         one publication written whole into runs/<id>/
  revisions.py   the revision report against the previous publication
"""
