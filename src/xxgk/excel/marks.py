"""Marks the add-in leaves on a problem cell, and how the next run takes them off again.

How the last run left the note of a cell it marked is recorded (in the hidden marks sheet), so
that the next run can undo exactly that: a note that staff wrote is never lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xxgk.check.findings import Finding
from xxgk.workbook.results import NOTE_SEPARATOR, RESULT_SHEET
from xxgk.workbook.results import note_text as plain_note_text

MARKS_SHEET = "xxgk_marks"  # hidden: the cells the last run marked (sheet, cell, mode, note)

# How the last run left the note of a cell it marked, so that the next run can undo it:
ADDED = "added"  # there was no note: ours is deleted


MERGED = "merged"  # staff's note, our text put in front: their text (`original`) is put back


KEPT = "kept"  # staff's note the engine could not read: left alone


LISTED = "listed"  # listed in a 校验结果 sheet only: its note is ours if it reads 【…】


# Excel may cut or refuse text over 255 characters passed to an object from code (Microsoft KB
# 213841), notes included: ours stay within it, and a longer merge leaves staff's note alone.
NOTE_MAX = 255


NOTE_MORE = f"……（其余见「{RESULT_SHEET}」工作表）"


@dataclass(frozen=True)
class Mark:
    mode: str
    original: str = ""


def note_text(at_cell: list[Finding]) -> str:
    """The note for one cell, at most NOTE_MAX characters (the rest is in 校验结果)."""
    text = plain_note_text(at_cell)
    if len(text) <= NOTE_MAX:
        return text
    return text[: NOTE_MAX - len(NOTE_MORE)] + NOTE_MORE


def _own_note_text(note: Any) -> str | None:
    """The text of a note someone else wrote; None where the engine cannot read it."""
    try:
        return str(note.text)
    except NotImplementedError:  # xlwings' remote engine; the desktop engines read it
        return None


def _without_ours(text: str) -> str:
    """A note's text minus what a check wrote in front of it (【错误】… then the separator)."""
    if not text.startswith("【"):
        return text
    return text.split(NOTE_SEPARATOR, 1)[1] if NOTE_SEPARATOR in text else ""


def mark_note(rng: Any, text: str, previous: Mark | None) -> Mark:
    """Write our note at `rng` without losing a note that staff wrote there."""
    note = rng.note
    if note is None:
        rng.add_note(text)
        return Mark(ADDED)
    if previous is None or previous.mode == LISTED:  # someone else's note, or partly ours
        current = _own_note_text(note)
        if current is None:
            return Mark(KEPT)
        original = current if previous is None else _without_ours(current)
        if not original:
            note.text = text
            return Mark(ADDED)
        merged = f"{text}{NOTE_SEPARATOR}{original}"
        if len(merged) > NOTE_MAX:
            return Mark(KEPT)
        note.text = merged
        return Mark(MERGED, original)
    if previous.mode == KEPT:
        return previous
    if previous.mode == MERGED:
        merged = f"{text}{NOTE_SEPARATOR}{previous.original}"
        if len(merged) > NOTE_MAX:
            note.text = previous.original  # put theirs back whole rather than cut it
            return Mark(KEPT)
        note.text = merged
        return previous
    note.text = text  # ours, from the last run
    return Mark(ADDED)


def unmark(rng: Any, fill: str | None, previous: Mark) -> None:
    if fill is not None or previous.mode != LISTED:
        rng.color = fill  # a listed cell that is no data cell keeps whatever it has
    note = rng.note
    if note is None or previous.mode == KEPT:
        return
    if previous.mode == LISTED:
        current = _own_note_text(note)
        if current is None or not current.startswith("【"):
            return  # unreadable here, or not ours: left alone
        original = _without_ours(current)
        if original:
            note.text = original
        else:
            note.delete()
    elif previous.mode == MERGED:
        note.text = previous.original
    else:
        note.delete()
