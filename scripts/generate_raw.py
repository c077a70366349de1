#!/usr/bin/env python3
"""make demo-data / make national: synthetic raw data.

The code is banenafspraak.synthetic.raw; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.synthetic.raw import main

sys.exit(main())
