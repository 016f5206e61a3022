"""Reading reports agencies already published (web pages, Word, PDF, text) into the data contract.

Bytes in, a report and findings out: extractors turn each file kind into one `Document` of lines
and table rows (document.py); the recognisers find the official tables and sections in it.
"""
