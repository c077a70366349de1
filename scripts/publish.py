#!/usr/bin/env python3
"""make publish / make rollback: publish the marts for BI tools, or go back one publication.

The code is banenafspraak.publication.publish; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.publication.publish import main

sys.exit(main())
