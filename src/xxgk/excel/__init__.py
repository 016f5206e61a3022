"""The Python side of the Excel add-in (the ribbon's 校验 button), through xlwings."""
