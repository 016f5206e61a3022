"""What every command module shares: exit codes and printing to stderr."""

from __future__ import annotations

from pathlib import Path

import click

from xxgk.format.clean import clean_text

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


def exit_code(any_errors: bool, any_unreadable: bool) -> int:
    if any_unreadable:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if any_errors else EXIT_OK


def echo_err(message: str) -> None:
    click.echo(clean_text(message), err=True)


def echo(message: str) -> None:
    """A line on stdout, through the one cleaning step (a file name that is not UTF-8, a lone
    surrogate in a report's text: stdout cannot encode them)."""
    click.echo(clean_text(message))


# Shared by convert and import.
outdir_option = click.option(
    "-o",
    "--output-dir",
    "outdir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="输出文件夹（不存在则新建）。",
)

# Shared by validate and convert.
previous_option = click.option(
    "--previous",
    "previous_path",
    type=click.Path(path_type=Path),
    default=None,
    metavar="上年报告",
    help="上年报告（工作簿或 JSON；或上年报告所在文件夹，按机关名称和年度对应），"
    "核对本年“上年结转”与上年“结转下年度”、现行有效件数是否衔接。",
)
