#!/usr/bin/env python3
"""The disclosure audit: can a reader of the public figures work out a small cell?.

The code is banenafspraak.disclosure.audit; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.disclosure.audit import main

sys.exit(main())
