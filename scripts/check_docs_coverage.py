#!/usr/bin/env python3
"""make docs: every model, seed, source and column has a description.

The code is banenafspraak.checks.docs_coverage; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.checks.docs_coverage import main

sys.exit(main())
