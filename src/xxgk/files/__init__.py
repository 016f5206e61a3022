"""Disk adapters: any input file → a checked `Source`, atomic writes, last year's reports.

A new input kind starts in `kind.py` (what a file is) and `read.py` (how it is read).
"""
