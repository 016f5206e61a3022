"""A1 cell references: column letters ↔ numbers (no openpyxl: the readers avoid importing it)."""

from __future__ import annotations


def col_number(letters: str) -> int:
    """"C" → 3, "AA" → 27 (case-insensitive)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(col: int) -> str:
    """3 → "C", 27 → "AA"."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def split_name(cell: str) -> tuple[str, int]:
    """"C6" → ("C", 6)."""
    letters = cell.rstrip("0123456789")
    return letters, int(cell[len(letters) :])


def split_cell(cell: str) -> tuple[int, int]:
    """"C6" → (row 6, column 3)."""
    letters, row = split_name(cell)
    return row, col_number(letters)
