"""A marked-up copy of a checked workbook, for staff who cannot run the add-in (WPS, Mac).

Every cell with a finding is filled light red and gets a comment holding the messages; a
校验结果 sheet lists all findings with links to their cells. The input file is only read; the
copy is written atomically. openpyxl is fine here: this is not the batch hot path. It keeps the
sheets' protection, the defined names and the data validations of the template.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from xxgk.check.findings import ERROR, SEVERITY_LABEL, Finding, counts, summary_text
from xxgk.files.atomic import write_atomic, write_failure

RESULT_SHEET = "校验结果"
MARK = ".校验"
PROBLEM_FILL = PatternFill("solid", fgColor="FFFFC7CE")  # Excel's own "bad" light red
HEADERS = ("序号", "级别", "工作表", "单元格", "代码", "说明")
WIDTHS = (6, 6, 12, 9, 24, 100)
AUTHOR = "xxgk 校验"
_FONT = "宋体"


def annotated_name(path: Path) -> str:
    """report.xlsx → report.校验.xlsx (an .xlsm stays .xlsm, so its macros keep working)."""
    suffix = ".xlsm" if path.suffix.lower() == ".xlsm" else ".xlsx"
    return f"{path.stem}{MARK}{suffix}"


def _comment_text(found: list[Finding]) -> str:
    return "\n".join(f"【{SEVERITY_LABEL[f.severity]}】{f.message}" for f in found)


def _clear_previous_marks(wb: Workbook) -> None:
    """A copy annotated before (it has a 校验结果 sheet): give the cells it marked their template
    colour back and take our comments off, so that only today's problems are marked."""
    if RESULT_SHEET not in wb.sheetnames:
        return
    from xxgk.format import model as m
    from xxgk.workbook.template import INPUT_FILL, TOTAL_FILL

    totals = {m.pointer(p) for p in m.total_paths()}
    named: dict[tuple[str, str], str] = {}
    for name, dn in wb.defined_names.items():
        for sheet, ref in dn.destinations:
            named[(sheet, ref.replace("$", ""))] = "/" + name.replace(".", "/")
    for row in wb[RESULT_SHEET].iter_rows(min_row=5, min_col=3, max_col=4, values_only=True):
        sheet, ref = row
        if not (isinstance(sheet, str) and isinstance(ref, str)) or sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        if cell.fill.fgColor.rgb == PROBLEM_FILL.fgColor.rgb:
            pointer = named.get((sheet, ref))
            if pointer is None:
                cell.fill = PatternFill(fill_type=None)
            else:
                cell.fill = TOTAL_FILL if pointer in totals else INPUT_FILL
        if cell.comment is not None and cell.comment.author == AUTHOR:
            _, sep, theirs = cell.comment.text.partition("\n——\n")
            cell.comment = Comment(theirs, "") if sep and theirs else None


def _mark_cells(wb: Workbook, found: Iterable[Finding]) -> None:
    at: dict[tuple[str, str], list[Finding]] = {}
    for f in found:
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            at.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, ref), here in at.items():
        cell = wb[sheet][ref]
        cell.fill = PROBLEM_FILL
        text = _comment_text(here)
        if cell.comment is not None and cell.comment.author != AUTHOR:
            text = f"{text}\n——\n{cell.comment.text}"  # keep what someone wrote there before
        comment = Comment(text, AUTHOR)
        comment.width = 360
        comment.height = min(60 + 18 * len(text) // 22, 400)
        cell.comment = comment


def _result_sheet(wb: Workbook, name: str, found: list[Finding]) -> None:
    if RESULT_SHEET in wb.sheetnames:  # a copy annotated before: replace the old list
        wb.remove(wb[RESULT_SHEET])
    ws = wb.create_sheet(RESULT_SHEET)
    ws.sheet_properties.tabColor = "FFC00000"
    ws["A1"] = f"校验结果：{name}"
    ws["A1"].font = Font(name=_FONT, size=14, bold=True)
    ws["A2"] = summary_text(*counts(found)) + (
        "。标红的单元格有问题，鼠标移到单元格上可看说明；点击下表「单元格」列可跳转。"
        if found
        else "。"
    )
    ws["A2"].font = Font(name=_FONT, size=11)
    head = 4
    for col, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        c = ws.cell(head, col, title)
        c.font = Font(name=_FONT, bold=True)
        c.fill = PatternFill("solid", fgColor="FFF2F2F2")
        ws.column_dimensions[c.column_letter].width = width
    for i, f in enumerate(found, start=1):
        row = head + i
        values = (i, SEVERITY_LABEL[f.severity], f.sheet or "", f.cell or "", f.code, f.message)
        for col, value in enumerate(values, start=1):
            c = ws.cell(row, col, value)
            c.font = Font(
                name=_FONT, color="FFC00000" if f.severity == ERROR and col == 2 else None
            )
            c.alignment = Alignment(vertical="top", wrap_text=col == 6)
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(row, 4)
            # An internal link (location), not a "#…" target that Excel treats as a file.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}")
            link.font = Font(name=_FONT, color="FF0563C1", underline="single")
    ws.freeze_panes = ws.cell(head + 1, 1)
    # Open on the results: only this tab selected (several selected tabs would group sheets).
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = wb.worksheets.index(ws)


def annotate_bytes(path: Path, found: list[Finding]) -> bytes:
    """The annotated copy of the workbook at `path`, as bytes; `path` is only read."""
    keep_vba = path.suffix.lower() == ".xlsm"
    with path.open("rb") as fh:
        wb = load_workbook(BytesIO(fh.read()), keep_vba=keep_vba)
    _clear_previous_marks(wb)
    _mark_cells(wb, found)
    _result_sheet(wb, path.name, found)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def write_annotated(
    path: Path, found: list[Finding], outdir: Path, name: str | None = None
) -> Path:
    """Write `<stem>.校验.xlsx` into `outdir` and return its path. Refuses to overwrite `path`."""
    target = outdir / (name or annotated_name(path))
    if target.exists() and target.resolve() == path.resolve():
        raise OSError(f"输出文件与输入文件相同：{target}")
    write_atomic(target, annotate_bytes(path, found))
    return target


def annotate_all(
    items: Iterable[tuple[Path, list[Finding]]], outdir: Path, say: Callable[[str], None]
) -> bool:
    """Annotated copies of the workbooks among `items` (JSON inputs are skipped); `say` gets one
    line per file written or failed. False if some copy could not be written."""
    used: set[str] = set()
    ok = True
    for path, found in items:
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        name = annotated_name(path)
        n = 2
        while name in used:  # two inputs called report.xlsx from different folders
            stem, dot, ext = annotated_name(path).rpartition(".")
            name = f"{stem}-{n}{dot}{ext}"
            n += 1
        used.add(name)
        try:
            target = write_annotated(path, found, outdir, name)
        except OSError as exc:  # one bad copy must not stop the rest
            say(f"{path}：无法写出校验副本。" + write_failure(outdir / name, exc))
            ok = False
            continue
        except Exception:  # e.g. a workbook openpyxl cannot load although our reader could
            say(f"{path}：无法为这个工作簿生成带标记的副本。请用 Excel 加载项校验。")
            ok = False
            continue
        say(f"已写出校验副本：{target}")
    return ok
