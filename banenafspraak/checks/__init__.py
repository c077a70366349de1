"""Checks on the project and the warehouse: the structure rules (project.py, make check; the
rules themselves in project_dag.py and project_conventions.py), the privacy guard (privacy.py,
make privacy), documentation coverage (docs_coverage.py, make docs) and the Great Expectations
checkpoint (expectations.py, make expectations)."""
