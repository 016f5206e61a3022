"""The summed report of a county or city: which inputs count (`sums.py`), the expected-list
file (`expect.py`) and the summed workbook's extra sheets (`workbook.py`)."""
