"""`xxgk import`: reports agencies already published (web pages, Word, PDF, text) → JSON."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from xxgk.batch.discover import PUBLISHED_SCAN, PUBLISHED_WHAT, InputError, Skipped, discover
from xxgk.batch.runner import run
from xxgk.batch.summary import (
    CONVERTED,
    FAILED,
    FORCED,
    IMPORT_STATUS_LABEL,
    INTERRUPTED,
    SUMMARY_JSON,
    UNREADABLE,
    RunResult,
)
from xxgk.cli.common import EXIT_UNREADABLE, echo_err, outdir_option
from xxgk.cli.convert import EXIT_INTERRUPTED, Progress, exit_status, sigterm_as_interrupt
from xxgk.files.atomic import write_failure
from xxgk.files.lock import FolderBusy

IMPORT_LABEL = IMPORT_STATUS_LABEL  # the same words as 汇总.csv


def _report(result: RunResult, quiet: bool) -> None:
    """Every input that needs a look: what could not be read, and what was read with findings
    (the first few located in the source; all of them in summary.json)."""
    for item in result.items:
        if item.status == CONVERTED and not item.warnings or item.status == INTERRUPTED:
            continue
        if item.status == CONVERTED and quiet:
            continue
        label = IMPORT_LABEL.get(item.status, item.status)
        if item.status in (UNREADABLE, FAILED):
            echo_err(f"{item.path}：{label}：{item.first_error or ''}")
            continue
        counted = "、".join(
            f"{n} 处{kind}" for n, kind in ((item.errors, "错误"), (item.warnings, "警告")) if n
        )
        echo_err(f"{item.path}：{label}，{counted}")
        for line in item.problems:
            echo_err(f"    {line}")
        more = item.errors + item.warnings - len(item.problems)
        if more > 0:
            echo_err(f"    ……另有 {more} 处，见 {SUMMARY_JSON}。")


def _totals_line(result: RunResult, outdir: Path) -> str:
    t = result.totals()
    parts = [f"已导入 {t[CONVERTED] + t[FORCED]} 个"]
    if t[FORCED]:
        parts[0] += f"（其中 {t[FORCED]} 个有错误，请对照原文核对）"
    for status in (UNREADABLE, FAILED):
        if t[status]:
            parts.append(f"{IMPORT_LABEL[status]} {t[status]} 个")
    return (
        f"共 {t['inputs']} 个文件：" + "；".join(parts) + f"。JSON 和 {SUMMARY_JSON} 在 {outdir}。"
    )


@click.command("import")
@click.argument("inputs", nargs=-1, required=True, metavar="输入...")
@outdir_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="同时导入的进程数。默认：CPU 核数。1 表示在本进程内逐个导入。",
)
@click.option("-q", "--quiet", is_flag=True, help="只列出有错误或无法读取的文件。")
def import_cmd(inputs: tuple[str, ...], outdir: Path, jobs: int | None, quiet: bool) -> None:
    """把已发布的年报（网页 .html、Word .docx、PDF、文本 .txt/.md）读成 JSON 报告数据。

    \b
    输入可以是文件、文件夹（含子文件夹）或通配符（如 "年报/*.pdf"）。
    每个输入写出「输入文件名.json」：完整的报告数据，原文算错的数字照原文写入，
    可再用 xxgk validate 校验。summary.json 列出文件类型、表格格式版本（2021 或 2019）
    和导入时发现的问题，每个问题写明在原文中的位置（页、行或表格的行列）。
    原文中找不到或不能确定的数字不会猜测：暂记为 0，并列为错误。

    \b
    扫描件 PDF（没有文字层）、只有图片的表格、旧版 .doc/.wps 无法读取：
    请先做文字识别（OCR），或在 Word/WPS 中另存为 .docx 后再导入。
    validate、convert、aggregate、template --from 和 --previous
    也可以直接使用已发布的年报。

    \b
    退出码：
      0   全部导入，没有错误（可有警告）
      1   有文件导入时发现错误（数字缺失、无法确定等；JSON 照样写出）
      2   用法错误
      3   有文件无法读取或导入失败；或被中断；或输出文件夹正被另一次运行使用
    """
    with sigterm_as_interrupt():
        _import(inputs, outdir, jobs, quiet)


def _import(inputs: tuple[str, ...], outdir: Path, jobs: int | None, quiet: bool) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise click.UsageError(f"输出位置 {outdir} 已是一个文件，请换一个文件夹。")
    skipped = Skipped()
    try:
        paths = discover(
            inputs, exclude=outdir, skipped=skipped, suffixes=PUBLISHED_SCAN, what=PUBLISHED_WHAT
        )
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except KeyboardInterrupt:
        echo_err("\n已中断：还没有导入任何文件。")
        sys.exit(EXIT_INTERRUPTED)
    for line in skipped.lines():
        echo_err(line)
    show = not quiet and sys.stderr.isatty()
    try:
        result = run(
            paths,
            outdir,
            ["json"],
            force=True,  # the JSON is written even when the published arithmetic is wrong
            jobs=jobs if jobs is not None else (os.cpu_count() or 1),
            progress=Progress(show),
            unreadable=skipped.unreadable,
            importing=True,
        )
    except KeyboardInterrupt:
        echo_err("\n已中断：已完成的文件和汇总保留在输出文件夹。")
        sys.exit(EXIT_INTERRUPTED)
    except FolderBusy as exc:
        echo_err(str(exc))
        sys.exit(EXIT_UNREADABLE)
    except OSError as exc:
        echo_err(write_failure(outdir, exc))
        sys.exit(EXIT_UNREADABLE)
    _report(result, quiet)
    for path, error in result.summary_failures:
        echo_err(write_failure(path, error))
    if not quiet:
        echo_err(_totals_line(result, outdir))
    code = exit_status(result, "error")
    sys.exit(EXIT_UNREADABLE if result.summary_failures else code)
