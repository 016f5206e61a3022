"""What every command module shares: exit codes, printing (`output.py`) and options."""

from __future__ import annotations

from pathlib import Path

import click

from xxgk.cli import chinese
from xxgk.cli.output import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    echo,
    echo_err,
    exit_code,
)

# Before any command is declared: click words help texts (--version, --help) as it decorates,
# and every module that declares one imports this one first.
chinese.install()

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "echo",
    "echo_err",
    "exit_code",
    "outdir_option",
    "previous_option",
]


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
