#!/usr/bin/env python3
"""make benchmark-disclosure: our disclosure control beside tau-ARGUS.

The code is banenafspraak.benchmarks.disclosure; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.benchmarks.disclosure import main

sys.exit(main())
