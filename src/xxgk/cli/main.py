"""The `xxgk` command line: parses options, calls the library, prints, returns an exit code."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from xxgk import __version__
from xxgk.check.findings import SEVERITY_LABEL, Finding, counts, summary_text
from xxgk.check.outcome import (
    checked_result,
    totals,
    unreadable_finding,
    unreadable_result,
    validate_document,
)
from xxgk.check.source import check_source
from xxgk.cli import chinese
from xxgk.cli.common import EXIT_UNREADABLE, echo, echo_err, exit_code, previous_option
from xxgk.files.errorlog import internal_message
from xxgk.files.previous import PreviousError, PreviousReports, load_previous
from xxgk.files.read import read_source
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
            # `xxgk validate … | head`: the reader stopped reading; not a bug, nothing to log.
            # stdout is pointed at devnull so that Python's exit flush does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_UNREADABLE)
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


def _finding_line(f: Finding) -> str:
    return f"  {SEVERITY_LABEL[f.severity]} {f.code} {f.located}"


def _files_report(
    paths: Iterable[Path], previous: PreviousReports | None = None
) -> tuple[list[dict[str, object]], bool, bool]:
    files: list[dict[str, object]] = []
    any_errors = any_unreadable = False
    for path in paths:
        source = read_source(path)
        if not source.readable:
            any_unreadable = True
            files.append(unreadable_result(str(path), source))
            continue
        last = previous.pick(source) if previous else None
        if previous is not None and last is None and source.previous is None:
            echo_err(f"{path}：--previous 中没有同一机关的上年报告，未与上年核对。")
        result = checked_result(str(path), check_source(source, last))
        any_errors |= not result["valid"]
        files.append(result)
    return files, any_errors, any_unreadable


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
    previous = None
    if previous_path is not None:
        try:
            previous = load_previous(previous_path)
        except PreviousError as exc:
            echo_err(str(exc))
            if fmt == "json":  # a caller that asked for JSON gets JSON, naming last year's file
                finding = unreadable_finding(str(exc))
                doc = {
                    "valid": False,
                    "errors": 1,
                    "warnings": 0,
                    "files": [{"path": str(previous_path), "valid": False, "findings": [finding]}],
                }
                echo(json.dumps(doc, ensure_ascii=False, indent=2))
            sys.exit(EXIT_UNREADABLE)
    results, any_errors, any_unreadable = _files_report(_expand(files), previous)
    total_e, total_w = totals(results)
    if fmt == "json":
        doc = validate_document(results)
        echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if "error" in r:
                echo(f"{r['path']}：无法读取")
                reason = str(r["error"]).removeprefix(f"{r['path']}：")  # named on the line above
                echo(f"  错误 {r['code']}：{reason}")
                continue
            found: list[Finding] = r["findings"]  # type: ignore[assignment]
            echo(f"{r['path']}：{summary_text(*counts(found))}")
            for f in found:
                echo(_finding_line(f))
        if len(results) > 1:
            echo(f"共 {len(results)} 个文件：{summary_text(total_e, total_w)}")
    for r in results:
        if "error" in r:
            echo_err(str(r["error"]))
    if annotate_dir is not None:
        from xxgk.files.annotated import annotate_all  # openpyxl: only when asked

        done = [(Path(str(r["path"])), r["findings"]) for r in results if "error" not in r]
        any_unreadable |= not annotate_all(done, annotate_dir, echo_err)  # type: ignore[arg-type]
    sys.exit(exit_code(any_errors, any_unreadable))


def _expand(files: tuple[Path, ...]) -> list[Path]:
    """Folders (searched recursively) and globs as convert takes them; a plain file name as
    given, so that a missing file is reported as unreadable (exit 3) like any bad input."""
    if not any(_searched(f) for f in files):  # no folder search: nothing of batch/ to load
        return list(dict.fromkeys(files))
    from xxgk.batch.discover import InputError, Skipped, discover

    out: list[Path] = []
    skipped = Skipped()  # xxgk's own earlier outputs (summary.json, *.校验.xlsx…): said once
    for f in files:
        if _searched(f):
            try:
                out.extend(p for p in discover([str(f)], skipped=skipped) if p not in out)
            except InputError as exc:
                raise click.UsageError(str(exc)) from None
        elif f not in out:
            out.append(f)
    for line in skipped.lines():
        echo_err(line)
    return out


def _searched(f: Path) -> bool:
    return f.is_dir() or any(c in str(f) for c in "*?[")


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


if __name__ == "__main__":  # pragma: no cover
    main()
