"""`xxgk convert`: many workbooks or JSON reports → JSON / Word / web page / text, in batch."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import click

from xxgk.batch.discover import InputError, Skipped, discover
from xxgk.batch.runner import mark_duplicates, run
from xxgk.batch.summary import (
    CONVERTED,
    FAILED,
    FORCED,
    INTERRUPTED,
    INVALID,
    STATUS_LABEL,
    SUMMARY_CSV,
    SUMMARY_JSON,
    UNREADABLE,
    RunResult,
)
from xxgk.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    echo_err,
    outdir_option,
    previous_option,
)
from xxgk.files.atomic import write_failure
from xxgk.files.lock import FolderBusy
from xxgk.files.pdf import PdfError
from xxgk.files.previous import PreviousError, load_previous
from xxgk.report.figures import NoChineseFont
from xxgk.report.registry import DEFAULT_FORMATS, OUTPUT_FORMATS

# docs/exit-codes.md allows 0–3 only: a run stopped by Ctrl-C did not finish its inputs, like a
# failed conversion (3), rather than the shell's 130.
EXIT_INTERRUPTED = EXIT_UNREADABLE


def parse_formats(text: str | None) -> list[str]:
    """`json,docx` → ['json', 'docx']; raises click.BadParameter for an unknown one. Without
    `--to`: the report and its data (not the PDF, which needs LibreOffice, nor the 图解)."""
    if text is None:
        return list(DEFAULT_FORMATS)
    wanted: list[str] = []
    for part in text.replace("，", ",").split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in OUTPUT_FORMATS:
            known = "、".join(OUTPUT_FORMATS)
            raise click.BadParameter(f"未知的输出格式 {part.strip()}，可选：{known}。")
        if name not in wanted:
            wanted.append(name)
    if not wanted:
        raise click.BadParameter("请至少指定一种输出格式。")
    return wanted


class Progress:
    """A one-line progress display on stderr; silent unless stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        click.echo(f"\r转换中 [{bar}] {done}/{total}", err=True, nl=False)
        if done == total:
            click.echo("", err=True)


def exit_status(result: RunResult, fail_on: str) -> int:
    totals = result.totals()
    if totals[UNREADABLE] or totals[FAILED]:
        return EXIT_UNREADABLE
    if fail_on == "error" and totals["errors"]:
        return EXIT_ERRORS
    if fail_on == "warning" and (totals["errors"] or totals["warnings"]):
        return EXIT_ERRORS
    return EXIT_OK


def _report_problems(result: RunResult, quiet: bool) -> None:
    """Every input that is not simply done: unreadable, failed, with errors — and, unless
    `quiet`, converted with warnings, so that the 1 in 1,000 that needs a look is seen."""
    problems = [
        i
        for i in result.items
        if i.status not in (CONVERTED, INTERRUPTED)
        or (i.status == CONVERTED and i.warnings and not quiet)
    ]
    if not problems:
        return
    echo_err("以下文件有问题：")
    for item in problems:
        label = STATUS_LABEL[item.status]
        detail = item.first_error or ""
        if item.status in (UNREADABLE, FAILED):
            echo_err(f"  {item.path}：{label}：{detail}")
            continue
        counted = "、".join(
            f"{n} 处{kind}（{'、'.join(codes)}）"
            for n, kind, codes in (
                (item.errors, "错误", item.error_codes),
                (item.warnings, "警告", item.warning_codes),
            )
            if n
        )
        echo_err(f"  {item.path}：{label}，{counted}")
        for line in item.problems:
            echo_err(f"    {line}")
        more = item.errors + item.warnings - len(item.problems)
        if more > 0:
            echo_err(f"    ……另有 {more} 处，见 {SUMMARY_JSON} 或用 xxgk validate 查看全部。")
        if item.note:
            echo_err(f"    {item.note}")


def _report_duplicates(result: RunResult) -> None:
    """Two inputs of one agency and year are written side by side as X and X-2: say so."""
    for first, *rest in mark_duplicates(result.items):
        others = "、".join(item.path for item in rest)
        echo_err(
            f"注意：{first.path} 与 {others} 都是{first.agency}{first.year}年的报告，"
            "请确认保留哪一份（都转换时，输出文件名依次加 -2、-3）。"
        )


def _totals_line(result: RunResult, outdir: Path) -> str:
    t = result.totals()
    warned = sum(1 for i in result.items if i.status == CONVERTED and i.warnings)
    note = f"（其中 {warned} 个有警告，请查看）" if warned else ""
    parts = [f"已转换 {t[CONVERTED]} 个{note}"]
    for status in (FORCED, INVALID, UNREADABLE, FAILED):
        if t[status]:
            parts.append(f"{STATUS_LABEL[status]} {t[status]} 个")
    return (
        f"共 {t['inputs']} 个文件：" + "；".join(parts) + f"。结果和汇总（{SUMMARY_CSV}、"
        f"{SUMMARY_JSON}）在 {outdir}。"
    )


def _fonts_line(substituted: dict[str, str]) -> str:
    pairs = "；".join(f"{official} → {used}" for official, used in substituted.items())
    return (
        f"PDF 使用了替代字体：{pairs}。本机没有这些公文字体；需要原字体的，"
        "请在本机安装后重新转换，或用 Word 打开 .docx 另存为 PDF。"
    )


@click.command("convert")
@click.argument("inputs", nargs=-1, required=True, metavar="输入...")
@outdir_option
@click.option(
    "--to",
    "to",
    default=None,
    metavar="格式",
    # spaces between the runs of Latin: click wraps at spaces, else inside a word
    help="输出格式，逗号分隔，可选 json、docx、html、md、pdf、png、svg。"
    "默认：json、docx、html、md。 pdf 需要本机装有 LibreOffice； png、svg 是图解 "
    "（一页关键数字，有 --previous 时写明比上年的变化）。",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="同时转换的进程数。默认：CPU 核数。1 表示在本进程内逐个转换。",
)
@click.option("--force", is_flag=True, help="有错误的文件也照样转换（默认：只报告，不转换）。")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="什么情况下以退出码 1 结束：有错误、有错误或警告、从不。",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="不显示进度、只有警告的文件的明细和最后的统计行。"
)
@previous_option
def convert_cmd(
    inputs: tuple[str, ...],
    outdir: Path,
    to: str | None,
    jobs: int | None,
    force: bool,
    fail_on: str,
    quiet: bool,
    previous_path: Path | None,
) -> None:
    """批量把工作簿（.xlsx/.xlsm）或 JSON 报告转换为 JSON、Word、网页、文本、PDF、图解。

    输入可以是文件、文件夹（含子文件夹）或通配符（如 "收件/*.xlsx"）。
    Office 临时文件（~$开头）和隐藏文件会被跳过；旧版 .xls、.xlsb 和 .ods、.et 会列为无法读取。
    已发布的年报（.docx、.pdf、.html、.txt、.md）写出文件名或通配符时也可转换。
    文件夹和通配符中 xxgk 以前写出的文件（summary.json、*.manifest.json、*.校验.xlsx、
    summary.json 列出的输出）会被跳过并在标准错误输出中说明；直接写出文件名的文件照样处理。

    \b
    每个输入先读取、校验：
      没有错误（可有警告）→ 按 --to 生成各格式文件；
      有错误 → 只在汇总中列出，不生成文件（加 --force 则照样生成）。
    输出文件名为「机关名称-年度」，同名时依次加 -2、-3。
    输出文件夹里还会写入 summary.json 和 汇总.csv（Excel 可直接打开）。
    PDF 由 LibreOffice 从 Word 文件生成；本机没有公文字体（方正小标宋简体、仿宋_GB2312、
    楷体_GB2312、黑体）时用最接近的免费字体代替，并在最后说明替代了哪些。
    再次转换到同一文件夹时，同一输入上次生成、这次不再生成的文件会被删除。

    \b
    退出码：
      0   全部完成（可有警告；--fail-on warning 时须无警告）
      1   有文件有错误（--fail-on error，默认），或有错误或警告（--fail-on warning）
      2   用法错误（未知格式、找不到输入、文件夹里没有可转换的文件）
      3   有文件无法读取，或有文件转换失败（进程意外退出、输出文件被占用等），
          不论 --fail-on；或被 Ctrl-C 或 SIGTERM 中断（已完成的文件完整保留，不留半成品）；
          或输出文件夹正被另一次转换使用（不等待，不写任何文件）；
          或要生成 PDF 而本机没有 LibreOffice、要生成图解而本机没有中文字体（不写任何文件）
    """
    with sigterm_as_interrupt():  # from the start: SIGTERM during discovery is Ctrl-C there too
        _convert(inputs, outdir, to, jobs, force, fail_on, quiet, previous_path)


def _convert(
    inputs: tuple[str, ...],
    outdir: Path,
    to: str | None,
    jobs: int | None,
    force: bool,
    fail_on: str,
    quiet: bool,
    previous_path: Path | None,
) -> None:
    try:
        formats = parse_formats(to)
    except click.BadParameter as exc:
        exc.param_hint = "'--to'"
        raise
    if outdir.exists() and not outdir.is_dir():
        raise click.UsageError(f"输出位置 {outdir} 已是一个文件，请换一个文件夹。")
    skipped = Skipped()
    try:
        paths = discover(inputs, exclude=outdir, skipped=skipped)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except KeyboardInterrupt:  # while searching a large folder: nothing written yet
        echo_err("\n已中断：还没有转换任何文件。")
        sys.exit(EXIT_INTERRUPTED)
    for line in skipped.lines():
        echo_err(line)
    if previous_path is not None:
        try:
            load_previous(previous_path)  # fail early and once; workers read it again
        except PreviousError as exc:
            echo_err(str(exc))
            sys.exit(EXIT_UNREADABLE)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    show = not quiet and sys.stderr.isatty()
    try:
        result = run(
            paths,
            outdir,
            formats,
            force=force,
            jobs=workers,
            progress=Progress(show),
            last_year=previous_path,
            unreadable=skipped.unreadable,
        )
    except KeyboardInterrupt:
        _interrupted()
    except (FolderBusy, PdfError, NoChineseFont) as exc:
        echo_err(str(exc))
        sys.exit(EXIT_UNREADABLE)
    except OSError as exc:
        echo_err(write_failure(outdir, exc))
        sys.exit(EXIT_UNREADABLE)
    try:  # Ctrl-C or SIGTERM while the run is said: interrupted still, not click's 已中止
        _report_problems(result, quiet)
        _report_duplicates(result)
        for path, error in result.summary_failures:  # after the problems, known anyway
            echo_err(write_failure(path, error))
        if result.pdf_fonts:
            echo_err(_fonts_line(result.pdf_fonts))
        if not quiet:
            echo_err(_totals_line(result, outdir))
    except KeyboardInterrupt:
        _interrupted()
    code = exit_status(result, fail_on)
    sys.exit(EXIT_UNREADABLE if result.summary_failures else code)


def _interrupted() -> NoReturn:
    echo_err("\n已中断：未完成的文件没有留下半成品；已完成的文件和汇总保留在输出文件夹。")
    sys.exit(EXIT_INTERRUPTED)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service stopping, `kill`, a CI timeout) ends the run as Ctrl-C does: workers
    stopped, no temp file left, finished outputs and the summary kept. A second SIGTERM during
    that clean-up is ignored (SIGKILL still ends it; the next run then removes the leftovers)."""

    def handler(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (an embedding program): leave its handler alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


__all__ = ["convert_cmd", "EXIT_INTERRUPTED", "EXIT_USAGE"]
