#!/usr/bin/env python3
"""make expectations: the Great Expectations checkpoint over the marts.

The code is banenafspraak.checks.expectations; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.checks.expectations import main

sys.exit(main())
