"""Report data in, findings out: the catalogue of codes, the schema validator and the rules.

A new rule goes in `rules.py` (one report) or `years.py` (this year against last year), its
code and Chinese message in `findings.py`. Pure: no files, no terminal, no Excel.
"""
