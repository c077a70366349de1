"""Disclosure control of the public figures, and its audit.

  cells.py                the cells, primary cells, derived figures and their inputs
  relations.py            every linear relation a reader knows between the cells
  vintages.py             the earlier vintages in the history and what they tell a reader
  intervals.py            the interval a hidden cell can take, by linear programming
  protection.py           primary and secondary suppression (scripts/disclosure.py)
  publication_figures.py  writes publication.figures (and audit.disclosure_cells)
  audit.py                the audit a publication must pass (scripts/disclosure_audit.py)
"""
