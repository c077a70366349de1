#!/usr/bin/env python3
"""Disclosure control: the public figures, with small groups protected.

The code is banenafspraak.disclosure.protection; this entry point keeps the Makefile and the docs working.
"""
import sys

from banenafspraak.disclosure.protection import main

sys.exit(main())
