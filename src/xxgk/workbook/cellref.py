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


def cell_ranges(coords: list[str]) -> list[str]:
    """Cells as few rectangles, top to bottom: runs along rows, stacked when the next row
    repeats the run (["D5", "E5", "D6", "E6", "D8"] → ["D5:E6", "D8"])."""
    runs: list[list[int]] = []  # [first col, last col, first row, last row]
    for row, col in sorted(split_cell(c) for c in coords):
        last = runs[-1] if runs else None
        if last and last[3] == row and last[1] == col - 1:
            last[1] = col
        else:
            runs.append([col, col, row, row])
    stacked: list[list[int]] = []
    for run in runs:
        above = next((s for s in stacked if s[:2] == run[:2] and s[3] == run[2] - 1), None)
        if above:
            above[3] = run[3]
        else:
            stacked.append(run)
    out = []
    for c0, c1, r0, r1 in stacked:
        a, b = f"{col_letters(c0)}{r0}", f"{col_letters(c1)}{r1}"
        out.append(a if a == b else f"{a}:{b}")
    return out
