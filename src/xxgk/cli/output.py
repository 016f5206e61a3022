"""Exit codes and printing, without click: `xxgk validate` of plain files runs without loading
click (`cli/validate.py`, 20 ms of a 0.1 s start), and every command prints through here."""

from __future__ import annotations

import codecs
import io
import os
import sys

from xxgk.format.clean import clean_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


def exit_code(any_errors: bool, any_unreadable: bool) -> int:
    if any_unreadable:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if any_errors else EXIT_OK


def echo_err(message: str) -> None:
    _write(message, err=True)


def echo(message: str) -> None:
    """A line on stdout, through the one cleaning step (a file name that is not UTF-8, a lone
    surrogate in a report's text: stdout cannot encode them)."""
    _write(message, err=False)


def _write(message: str, err: bool) -> None:
    """What `click.echo` writes, written directly where that is the same: a text stream that
    click would take as it is, a line with no escape sequence for click to strip. Otherwise
    click itself writes it (an ASCII-configured stream, Windows' console, an escape in a name)."""
    text = clean_text(message)
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # pythonw: no console, and click.echo writes nothing either
        return
    if "\x1b" in text or not _as_click_takes_it(stream):
        import click

        click.echo(text, err=err)
        return
    stream.write(text + "\n")
    stream.flush()


def _as_click_takes_it(stream: Any) -> bool:
    if not isinstance(stream, io.TextIOBase):
        return False
    try:
        if codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii":
            return False  # click re-wraps an ASCII stream as UTF-8
    except LookupError:
        return False
    return os.name != "nt" or not stream.isatty()
