#!/usr/bin/env python3
"""The synthetic reference seeds regional_target_shares.csv and sheltered_work_quota.csv.

The code is banenafspraak.synthetic.reference; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.synthetic.reference import main

sys.exit(main())
