#!/usr/bin/env python3
"""Outputs unchanged? Two commits built, published, reported and compared.

The code is banenafspraak.benchmarks.compare; this entry point keeps the docs working.
"""
import sys

from banenafspraak.benchmarks.compare import main

sys.exit(main())
