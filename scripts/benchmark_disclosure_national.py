#!/usr/bin/env python3
"""make benchmark-disclosure-national: disclosure control at national scale, two vintages, beside tau-ARGUS.

The code is banenafspraak.benchmarks.disclosure_national; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.benchmarks.disclosure_national import main

sys.exit(main())
