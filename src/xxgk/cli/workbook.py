"""`xxgk template` and `xxgk fill`: write the Excel template, empty or filled from a report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xxgk.check import findings as fc
from xxgk.check.findings import SEVERITY_LABEL, counts, summary_text
from xxgk.check.validate import validate
from xxgk.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, echo_err
from xxgk.files.atomic import write_failure
from xxgk.files.read import open_error
from xxgk.files.save import save_workbook
from xxgk.format.jsonio import ReportLoadError, parse_report_json
from xxgk.format.schema import YEAR_MAX, YEAR_MIN
from xxgk.workbook.template import build_filled, build_template

_OUT_HELP = "输出的工作簿（.xlsx）。已存在时整体替换（先写临时文件再改名）。"


def _check_output(out: Path, source: Path | None = None) -> None:
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(f"输出文件 {out} 应以 .xlsx 结尾。")
    if out.is_dir():
        raise click.UsageError(f"输出 {out} 是一个文件夹，请给出文件名，如 {out / '年报.xlsx'}。")
    if not out.parent.exists() and str(out.parent) not in ("", "."):
        raise click.UsageError(f"输出文件夹 {out.parent} 不存在，请先创建。")
    if source is not None and out.exists() and out.resolve() == source.resolve():
        raise click.UsageError("输出文件不能与输入文件相同：输入文件不会被修改。")


def _save(wb: object, out: Path) -> None:
    try:
        save_workbook(wb, out)  # type: ignore[arg-type]
    except OSError as exc:
        echo_err(write_failure(out, exc))
        sys.exit(EXIT_UNREADABLE)


@click.command("template")
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path), help=_OUT_HELP
)
@click.option("--agency", default=None, help="预先填好的机关名称。")
@click.option(
    "--year",
    type=click.IntRange(YEAR_MIN, YEAR_MAX),
    default=None,
    help="预先填好的报告年度，如 2024。",
)
@click.option(
    "--from",
    "last_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="上年报告",
    help="按上年报告（工作簿或 JSON）生成下一年度的模板：机关信息照搬、年度加一、"
    "上年结转按上年“结转下年度继续办理”预填，并记录上年现行有效件数供校验。",
)
def template_cmd(out: Path, agency: str | None, year: int | None, last_path: Path | None) -> None:
    """生成空白的 Excel 填报模板（按国办公开办函〔2021〕30号格式）。

    退出码：0 成功；1 --from 的上年报告有错误（模板照样生成）；2 用法错误；3 无法读写文件。
    """
    _check_output(out, last_path)
    if last_path is not None:
        if agency is not None or year is not None:
            raise click.UsageError(
                "--from 时机关名称和年度取自上年报告，不能再给 --agency、--year。"
            )
        from xxgk.cli.previous import template_from

        template_from(last_path, out)
    if agency is not None and not agency.strip():
        raise click.UsageError("--agency 不能为空。")
    _save(build_template(agency=agency.strip() if agency else None, year=year), out)
    echo_err(f"已生成模板：{out}")
    sys.exit(EXIT_OK)


@click.command("fill")
@click.argument("data_file", type=click.Path(path_type=Path, dir_okay=False), metavar="数据文件")
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path), help=_OUT_HELP
)
def fill_cmd(data_file: Path, out: Path) -> None:
    """把一份报告数据（JSON）填入新的模板，生成工作簿。

    数据有错误时仍然填入，并在标准错误输出中列出问题（退出码 1），以便在工作簿中修改。
    退出码：0 成功，1 数据有错误（工作簿已生成），2 用法错误，3 数据文件无法读取。
    """
    _check_output(out, data_file)
    if data_file.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise click.UsageError(
            f"{data_file} 是工作簿；xxgk fill 读取的是 JSON 报告数据。"
            "要检查工作簿请用 xxgk validate，要转成 JSON 请用 xxgk convert --to json。"
        )
    try:
        raw = data_file.read_bytes()
    except OSError as exc:
        echo_err(f"{data_file}：{open_error(exc)}")
        sys.exit(EXIT_UNREADABLE)
    try:
        loaded = parse_report_json(raw)
    except ReportLoadError as exc:
        echo_err(f"{data_file}：{exc}")
        sys.exit(EXIT_UNREADABLE)
    data = loaded.data
    if not isinstance(data, dict):
        echo_err(f"{data_file}：内容不是一份报告（最外层应为 JSON 对象 {{…}}），未生成工作簿。")
        sys.exit(EXIT_ERRORS)
    wb, notes = build_filled(data)
    _save(wb, out)
    found = ([fc.make(fc.FILE_ENCODING, "")] if loaded.encoding else []) + validate(data)
    errors, warnings = counts(found)
    echo_err(f"已生成工作簿：{out}")
    for note in notes:
        echo_err(f"  注意：{note}")
    if found:
        echo_err(f"{data_file}：{summary_text(errors, warnings)}（已照样填入，请在工作簿中修改）")
        for f in found:
            echo_err(f"  {SEVERITY_LABEL[f.severity]} {f.code} {f.path or '/'}：{f.message}")
    sys.exit(EXIT_ERRORS if errors else EXIT_OK)


__all__ = ["template_cmd", "fill_cmd"]
