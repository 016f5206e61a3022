"""The Excel template (making, filling, marking up) and reading a filled one back.

`sheets.py` declares the workbook contract (sheet names, template version); `template*.py`
write it with openpyxl; `package.py` guards an untrusted .xlsx before `reader.py` reads it;
`core.py` turns cells into report data whatever the cells came from (file or Excel).
"""
