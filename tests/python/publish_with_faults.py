#!/usr/bin/env python3
"""scripts/publish.py with a fault injected, for the tests only (production code has no
test switch): this wrapper imports banenafspraak.publication, replaces what it needs
to, and runs publish.main with the remaining arguments.

  --kill-at N           kill -9 this process at the N-th step boundary (steps.step, which
                        publish and rollback both call, is wrapped: the N-th call sends
                        SIGKILL to the process itself before the step begins; the lock
                        dies with the process)
  --disclosure-mutant   the disclosure mutant: no secondary suppression and every
                        earlier vintage forgotten (disclosure.protection.protect is
                        wrapped); the audit must then stop the publication

Usage: publish_with_faults.py [--kill-at N] [--disclosure-mutant] -- PUBLISH_ARGS...
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

from banenafspraak.disclosure import protection
from banenafspraak.publication import publish, steps


def kill_at(number: int) -> None:
    original = steps.step
    calls = 0

    def step(name: str, *args, **kwargs) -> None:
        nonlocal calls
        calls += 1
        if calls == number:
            print(f"[faults] kill -9 at step {number} ({name})", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        original(name, *args, **kwargs)

    steps.step = step


def disclosure_mutant() -> None:
    original = protection.protect

    def protect(cells, previous, *args, **kwargs):
        return original(cells, None, *args, **{**kwargs, "secondary": False})

    protection.protect = protect


def main() -> int:
    argv = sys.argv[1:]
    ours, theirs = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kill-at", type=int)
    parser.add_argument("--disclosure-mutant", action="store_true")
    args = parser.parse_args(ours)
    if args.kill_at:
        kill_at(args.kill_at)
    if args.disclosure_mutant:
        disclosure_mutant()
    return publish.main(theirs)


if __name__ == "__main__":
    sys.exit(main())
