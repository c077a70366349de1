#!/usr/bin/env python3
"""make benchmark / make benchmark-spark: the national-scale benchmark.

The code is banenafspraak.benchmarks.national; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.benchmarks.national import main

sys.exit(main())
