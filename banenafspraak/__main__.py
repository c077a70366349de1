"""python -m banenafspraak COMMAND [OPTIONS]: the same commands as scripts/*.py.

Run without a command for the list; `python -m banenafspraak COMMAND --help` for a
command's options.
"""
from __future__ import annotations

import importlib
import sys

# command -> (module whose main(argv) runs it, what it does); scripts/<name>.py call the same
COMMANDS = {
    "publish": ("banenafspraak.publication.publish", "make publish / make rollback (--rollback)"),
    "disclosure": ("banenafspraak.disclosure.protection", "disclosure control of a build warehouse"),
    "disclosure-audit": ("banenafspraak.disclosure.audit", "the disclosure audit of a build warehouse"),
    "reports": ("banenafspraak.reports.build", "make reports"),
    "trace": ("banenafspraak.trace.cli", "trace one published cell to its persons and raw rows"),
    "check-project": ("banenafspraak.checks.project", "the project's structure rules (make check)"),
    "privacy": ("banenafspraak.checks.privacy", "make privacy"),
    "docs-coverage": ("banenafspraak.checks.docs_coverage", "documentation coverage (make docs)"),
    "expectations": ("banenafspraak.checks.expectations", "make expectations"),
    "generate-raw": ("banenafspraak.synthetic.raw", "synthetic raw data (make demo-data, make national)"),
    "synthetic-reference": ("banenafspraak.synthetic.reference", "the synthetic reference seeds"),
    "benchmark": ("banenafspraak.benchmarks.national", "make benchmark / benchmark-spark"),
    "benchmark-growth": ("banenafspraak.benchmarks.growth", "make benchmark-growth (and the end of make benchmark)"),
    "benchmark-disclosure": ("banenafspraak.benchmarks.disclosure", "make benchmark-disclosure"),
    "benchmark-disclosure-national": ("banenafspraak.benchmarks.disclosure_national",
                                      "make benchmark-disclosure-national"),
    "compare-builds": ("banenafspraak.benchmarks.compare", "two commits built, published and compared"),
    "registry": ("banenafspraak.registry", "the public metrics of the measure registry"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.split("\n\n")[0] + "\n\ncommands:", file=sys.stderr)
        for name, (_, what) in COMMANDS.items():
            print(f"  {name:<22} {what}", file=sys.stderr)
        return 0 if not argv or argv[0] in ("-h", "--help") else 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    sys.argv = [f"banenafspraak {argv[0]}", *argv[1:]]
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
