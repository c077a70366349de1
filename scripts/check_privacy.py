#!/usr/bin/env python3
"""make privacy: no person-level data in the marts.

The code is banenafspraak.checks.privacy; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.checks.privacy import main

sys.exit(main())
