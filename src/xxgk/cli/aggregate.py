"""`xxgk aggregate`: the summed report of a county or city, from its agencies' reports."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from xxgk.aggregate.expect import ExpectListError, parse_expect
from xxgk.aggregate.stream import StreamedSum
from xxgk.aggregate.sums import INVALID, UNREADABLE, Aggregate, Candidate, is_manifest
from xxgk.batch.discover import InputError, PathList, Skipped, discover
from xxgk.check.findings import counts
from xxgk.check.source import check_source
from xxgk.check.validate import validate
from xxgk.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, echo_err
from xxgk.files.read import open_error, read_source
from xxgk.format.jsonio import dump_report
from xxgk.format.schema import YEAR_MAX, YEAR_MIN

MANIFEST_SUFFIX = ".manifest.json"


def output_paths(out: Path) -> tuple[Path, Path, Path]:
    """OUT (a suffix .json/.xlsx is dropped) → OUT.json, OUT.xlsx, OUT.manifest.json."""
    if out.suffix.lower() in (".json", ".xlsx"):
        out = out.with_suffix("")
    return (
        out.with_name(out.name + ".json"),
        out.with_name(out.name + ".xlsx"),
        out.with_name(out.name + MANIFEST_SUFFIX),
    )


def _own_outputs_skipped(paths: Iterable[Path], outputs: tuple[Path, Path, Path]) -> PathList:
    """Inputs without this command's own outputs of an earlier run (recognised by the manifest
    beside them), sorted by path; an output that would overwrite any other input is a usage
    error. Held as text: 5,000 Paths took 2 MB of a run that holds no input's data."""
    mine = {p.resolve() for p in outputs}
    kept: list[str] = []
    clash: Path | None = None
    for p in paths:
        if p.resolve() in mine:
            clash = clash or p
        else:
            kept.append(str(p))
    if clash is not None and not outputs[2].is_file():
        raise click.UsageError(
            f"输出会覆盖输入文件 {clash}。输入文件不会被修改，请用 -o 换一个输出名。"
        )
    return PathList(sorted(kept))  # the texts as found: no second copy of each


MANIFEST_REASON = "这是 xxgk aggregate 写出的汇总清单，不是报告，不汇总"


def _load_manifest(path: Path) -> dict | None:
    """The aggregate manifest at `path`, or None if there is none (or it is something else)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if is_manifest(data) else None


def _summed_by(path: Path) -> tuple[str, ...] | None:
    """If `path` is a summed report written with a manifest beside it (OUT.json / OUT.xlsx and
    OUT.manifest.json, wherever they now lie), the agencies that manifest says it summed."""
    manifest = _load_manifest(path.with_name(path.stem + MANIFEST_SUFFIX))
    if manifest is None:
        return None
    outputs = manifest.get("outputs") or [path.stem + ".json", path.stem + ".xlsx"]
    if path.name not in outputs:
        return None
    included = manifest.get("included")
    entries = included if isinstance(included, list) else []
    return tuple(
        e["agency"] for e in entries if isinstance(e, dict) and isinstance(e.get("agency"), str)
    )


def _candidate(path: Path) -> Candidate:
    if path.name.lower().endswith(MANIFEST_SUFFIX) and _load_manifest(path) is not None:
        return Candidate(str(path), own=MANIFEST_REASON)
    source = read_source(path)
    if not source.readable:
        return Candidate(str(path), error=source.error)
    if is_manifest(source.data):  # a manifest renamed: recognised by its content
        return Candidate(str(path), source.data, own=MANIFEST_REASON)
    errors, _ = counts(check_source(source))
    return Candidate(str(path), source.data, errors, summed=_summed_by(path))


def _iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _read_expect(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise click.UsageError(
            f"名单文件 {path}：{open_error(exc)}"
        ) from None
    try:
        return parse_expect(raw)
    except ExpectListError as exc:  # an input that cannot be read as text: exit 3, no output
        echo_err(f"名单文件 {path} 无法读取：{exc}")
        sys.exit(EXIT_UNREADABLE)


def _report(agg: Aggregate) -> None:
    echo_err(f"已汇总 {len(agg.included)} 个单位。")
    if agg.excluded:
        echo_err(f"未汇总 {len(agg.excluded)} 个文件：")
        for e in agg.excluded:
            who = f"（{e.agency}）" if e.agency else ""
            echo_err(f"  {e.path}{who}：{e.reason}")
    if agg.missing:
        echo_err(f"缺报 {len(agg.missing)} 个单位：")
        for x in agg.missing:
            echo_err(f"  {x.agency}" + (f"：{x.note}" if x.note else ""))
    if agg.unexpected:
        echo_err("已汇总但不在名单中：" + "、".join(agg.unexpected))


@click.command("aggregate")
@click.argument("inputs", nargs=-1, required=True, metavar="输入...")
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="输出文件名（不含扩展名），写出 OUT.json、OUT.xlsx 和 OUT.manifest.json。",
)
@click.option("--agency", required=True, help="汇总报告的机关名称，如：某某县人民政府。")
@click.option(
    "--year", required=True, type=click.IntRange(YEAR_MIN, YEAR_MAX), help="报告年度，如 2024。"
)
@click.option(
    "--expect",
    "expect_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=(
        "应报单位名单（文本文件，每行一个单位名称，UTF-8、GBK 或记事本的 Unicode），"
        "用于列出缺报单位。"
    ),
)
@click.option("--address", default="", help="汇总报告的通信地址（可在工作簿中再填）。")
@click.option("--postcode", default="", help="汇总报告的邮政编码。")
@click.option("--phone", default="", help="汇总报告的联系电话。")
@click.option(
    "--published-on",
    default=None,
    metavar="YYYY-MM-DD",
    help="成文日期。默认：报告年度次年 1 月 31 日。",
)
def aggregate_cmd(
    inputs: tuple[str, ...],
    out: Path,
    agency: str,
    year: int,
    expect_path: Path | None,
    address: str,
    postcode: str,
    phone: str,
    published_on: str | None,
) -> None:
    """汇总本地区各单位的年度报告：表二、表三、表四和信息处理费逐格相加。

    输入可以是文件、文件夹（含子文件夹）或通配符，工作簿和 JSON 均可。

    \b
    不汇总（列在标准错误输出、工作簿「未汇总单位」表和 OUT.manifest.json 中）：
      xxgk 自己写出的汇总报告和清单（OUT.manifest.json）、机关名称就是 --agency 的报告；
      无法读取的文件、报告年度不是 --year 的文件、有错误的文件；
      同一单位（机关名称相同，不计空格和全角半角）报送多份时，按文件路径排序只汇总第一份。
    给出 --expect 名单时，列出名单中没有汇总到的单位（缺报）。

    \b
    输出（每个文件先写临时文件再改名，输入文件不会被修改）：
      OUT.json           汇总报告数据（合计数已重算，表格勾稽关系必然平衡）
      OUT.xlsx           填好的模板，可继续填写文字部分后用 xxgk convert 生成报告；
                         另有「各单位对比」表（每个单位一行，可在 Excel 中排序筛选）
                         和「未汇总单位」表（未汇总的文件、缺报单位）
      OUT.manifest.json  汇总了哪些文件、哪些没有汇总及原因、缺报单位
    输出所在的文件夹不存在时自动创建。

    \b
    退出码：
      0  已汇总（报告年度不符和重复报送的文件不汇总，不影响退出码）
      1  有文件因有错误未汇总（其余已汇总），或没有任何可汇总的报告（不写输出），
         或汇总报告还缺通信地址、邮政编码、联系电话（已写出，请补填后再转换）
      2  用法错误
      3  有文件无法读取（其余已汇总），或 --expect 名单无法读取（不写输出），或输出无法写入
    """
    if not agency.strip():
        raise click.UsageError("--agency 不能为空。")
    if published_on is not None and not _iso_date(published_on):
        raise click.UsageError(f"--published-on「{published_on}」不是有效日期，请写成 2025-01-31。")
    skipped = Skipped()  # manifests and other xxgk outputs found by a folder search
    try:
        found = discover(inputs, skipped=skipped)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    for line in skipped.lines():
        echo_err(line)
    if out.is_dir():
        raise click.UsageError(f"输出 {out} 是一个文件夹，请给出文件名，如 {out / '汇总'}。")
    outputs = output_paths(out)
    if outputs[0].parent.exists() and not outputs[0].parent.is_dir():
        raise click.UsageError(f"输出位置 {outputs[0].parent} 是一个文件，不是文件夹。")
    paths = _own_outputs_skipped(found, outputs)
    del found  # 5,000 paths' texts took 0.4 MB
    expected = _read_expect(expect_path) if expect_path is not None else None

    summing = StreamedSum(agency.strip(), year)
    for path in paths:  # summed as read: no input's data is held after it (stream.py)
        summing.add(_candidate(path))
    agg = summing.result(
        expected=expected,
        address=address.strip(),
        postcode=postcode.strip(),
        phone=phone.strip(),
        published_on=published_on,
    )
    _report(agg)
    statuses = {e.status for e in agg.excluded}
    unreadable = UNREADABLE in statuses
    if not agg.included:
        echo_err("没有可汇总的报告，未生成输出。")
        sys.exit(EXIT_UNREADABLE if unreadable else EXIT_ERRORS)
    complete = _write(agg, outputs)
    if unreadable:
        sys.exit(EXIT_UNREADABLE)
    sys.exit(EXIT_ERRORS if INVALID in statuses or not complete else EXIT_OK)


def _write(agg: Aggregate, outputs: tuple[Path, Path, Path]) -> bool:
    """Write the outputs; False if the summed report still lacks contact details or date."""
    from xxgk.aggregate.manifest import manifest_pieces
    from xxgk.aggregate.workbook import aggregate_workbook
    from xxgk.files.atomic import write_atomic, write_failure
    from xxgk.workbook.template import workbook_bytes

    json_path, xlsx_path, manifest_path = outputs
    left = [f for f in validate(agg.data) if f.is_error]
    if left:  # only the contact details or the date can be wrong: the numbers add up
        echo_err("注意：汇总报告的以下内容需要补填（可用 --address、--postcode、--phone、")
        echo_err("--published-on 给出，或在工作簿中填写）：")
        for f in left:
            echo_err(f"  {f.message}")
    names = [p.name for p in outputs]
    wb, notes = aggregate_workbook(agg)
    for note in notes:
        echo_err(f"  注意：{note}")
    # the JSON's and the workbook's bytes made before anything is written (a failure there
    # writes nothing); the manifest made as it is written, last, once the workbook's bytes are
    # let go: together they were 1 MB at once at 5,000 inputs
    payloads = [
        (json_path, dump_report(agg.data).encode("utf-8")),
        (xlsx_path, workbook_bytes(wb)),
    ]
    del wb
    target = json_path.parent
    try:
        json_path.parent.mkdir(parents=True, exist_ok=True)  # as convert makes its OUTDIR
        while payloads:
            target, payload = payloads.pop(0)
            write_atomic(target, payload)
            del payload
        target = manifest_path
        write_atomic(manifest_path, manifest_pieces(agg, names))
    except OSError as exc:
        echo_err(write_failure(target, exc))
        sys.exit(EXIT_UNREADABLE)
    echo_err("已写出：" + "、".join(str(p) for p in outputs))
    return not left
