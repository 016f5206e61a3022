"""What every command module shares: exit codes and printing to stderr."""

from __future__ import annotations

import click

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


def exit_code(any_errors: bool, any_unreadable: bool) -> int:
    if any_unreadable:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if any_errors else EXIT_OK


def echo_err(message: str) -> None:
    click.echo(message, err=True)
