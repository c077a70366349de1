#!/usr/bin/env python3
"""make reports: the quarterly report per region, NL and an index, from the published figures.

The code is banenafspraak.reports.build; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.reports.build import main

sys.exit(main())
