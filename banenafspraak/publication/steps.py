"""The step boundaries of make publish / make rollback, their log, and their error.

publish.py and rollback.py announce every step through steps.step(); the fault tests
(tests/python/publish_with_faults.py) wrap this one function to kill the process at
a chosen boundary.
"""
from __future__ import annotations

from banenafspraak.config import Logger

log = Logger("publish")


def step(name: str, what: str) -> None:
    """A step boundary: everything before it is done, nothing of the step has begun."""
    log(f"step {name}: {what}")


class PublishError(SystemExit):
    pass
