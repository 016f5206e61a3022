"""The `xxgk` command group (click): parses options, calls the library, prints, returns an exit
code. `cli/main.py` is the entry point; `xxgk.cli.main.main` is this group."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from xxgk import __version__
from xxgk.cli import chinese
from xxgk.cli.common import EXIT_UNREADABLE, echo_err, previous_option
from xxgk.cli.loading import loading
from xxgk.cli.validate import closed_pipe, run_validate
from xxgk.files.errorlog import internal_message
from xxgk.format.schema import packaged_schema_text


class _Commands(click.Group):
    """The command group, with one guard: a bug of ours anywhere in a command is said as ours
    (内部错误, exit 3, the traceback in the error log), never as a Python traceback; and
    click's own words (usage, option errors) in Chinese."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        chinese.install()
        chinese.localise(self)
        kwargs.setdefault("prog_name", "xxgk")  # `python -m xxgk` is the same command
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in LAZY_COMMANDS:
            module, name = LAZY_COMMANDS[cmd_name].split(":")
            with loading():
                found = getattr(importlib.import_module(module), name)
            chinese.localise(found)
            self.add_command(found, cmd_name)
        return found

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:  # suggest among the unloaded ones too
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            sys.exit(closed_pipe())
        except Exception as exc:
            echo_err(internal_message(exc, f"xxgk {ctx.invoked_subcommand or ''}".strip()))
            sys.exit(EXIT_UNREADABLE)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="xxgk")
def main() -> None:
    """政府信息公开工作年度报告工具：模板、校验、转换。"""


@main.command("schema")
def schema_cmd() -> None:
    """打印报告数据的 JSON Schema（2020-12）。"""
    click.echo(packaged_schema_text(), nl=False)


@main.command("validate")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件..."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 供人阅读，json 供其他系统读取。",
)
@previous_option
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="输出文件夹",
    help="把每个工作簿另存一份到 OUTDIR（文件名加“.校验”）：有问题的单元格标红并加批注，"
    "另附「校验结果」工作表。原文件不改动。",
)
def validate_cmd(
    files: tuple[Path, ...], fmt: str, previous_path: Path | None, annotate_dir: Path | None
) -> None:
    """校验报告数据（JSON 或工作簿；也可给文件夹或通配符），列出全部问题。

    用 xxgk template --from 生成的工作簿记录了上年数据，不加 --previous 也会核对与上年的衔接。

    也可以直接校验已发布的年报（.docx、.pdf、.html、.txt、.md，写出文件名或如 "年报/*.pdf"
    的通配符）：先按 xxgk import 读出，每个问题写明在原文中的位置（第几页第几行等）。

    退出码：0 通过（可有警告），1 有错误，3 有文件（含 --previous 的上年报告）无法读取。
    """
    sys.exit(run_validate(files, fmt, previous_path, annotate_dir))


# Commands that live in their own modules register here, one line each: name → "module:command",
# imported only when that command runs (or --help lists them all), so that `xxgk validate` does
# not load what others need — openpyxl, Jinja2, the web server (tests/test_startup.py).
LAZY_COMMANDS = {
    "convert": "xxgk.cli.convert:convert_cmd",
    "import": "xxgk.cli.published:import_cmd",
    "template": "xxgk.cli.workbook:template_cmd",
    "fill": "xxgk.cli.workbook:fill_cmd",
    "aggregate": "xxgk.cli.aggregate:aggregate_cmd",
    "serve": "xxgk.cli.serve:serve_cmd",
}
