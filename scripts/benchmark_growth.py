#!/usr/bin/env python3
"""make benchmark-growth: the full build at 1x, 2x and 4x the national register.

The code is banenafspraak.benchmarks.growth; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.benchmarks.growth import main

sys.exit(main())
