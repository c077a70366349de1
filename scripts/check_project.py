#!/usr/bin/env python3
"""make check: the project's structure rules over dbt's manifest.

The code is banenafspraak.checks.project; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.checks.project import main

sys.exit(main())
