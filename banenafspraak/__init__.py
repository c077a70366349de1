"""The Python side of the banenafspraak warehouse (the dbt project is the rest).

Subpackages:
  publication   make publish / make rollback: build, protect, audit, write one run, switch
  disclosure    disclosure control of the public figures and its audit by linear programming
  reports       the regional reports (make reports) from the published figures
  trace         an auditor's figure-to-rows trace of one published cell
  checks        the project's structure rules, the privacy guard, docs coverage, Great Expectations
  synthetic     the synthetic raw data (make demo-data, make national) and reference seeds
  benchmarks    make benchmark and make benchmark-disclosure
config holds the paths and settings every one of them uses; `python -m banenafspraak`
lists the commands (scripts/*.py call the same functions).
"""
