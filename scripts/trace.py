#!/usr/bin/env python3
"""The auditor's figure-to-rows trace: the persons and raw rows behind one published cell.

The code is banenafspraak.trace.cli; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.trace.cli import main

sys.exit(main())
