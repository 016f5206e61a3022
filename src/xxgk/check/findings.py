"""Findings and the one catalogue of their codes and Chinese message templates.

Tests assert on codes; wording lives only here and in the modules of codes this one re-exports
(check/workbook_codes.py, batch_codes.py, import_codes.py). A message starts with where the
problem is and ends with how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from xxgk.check.catalogue import CATALOGUE as CATALOGUE  # re-exported: the one catalogue
from xxgk.check.catalogue import ERROR as ERROR
from xxgk.check.catalogue import SEVERITY_LABEL as SEVERITY_LABEL
from xxgk.check.catalogue import WARNING as WARNING
from xxgk.check.catalogue import Code as Code
from xxgk.check.catalogue import register as _code
from xxgk.format import model as m
from xxgk.format.record import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

# Labels that messages quote, from the format model: never restated by hand.
_T2, _T3, _T4 = m.TABLE2_NAME, m.TABLE3_NAME, m.TABLE4_NAME
_NORMATIVE = m.TABLE2_BLOCKS[0].rows[1].label
_RESULTS_TOTAL = m.TABLE3_RESULTS_TOTAL.term  # （七）总计
_OUTCOME_GROUPS = f"{m.TABLE3_OUTCOMES[0].label[:3]}至{(m.TABLE3_OUTCOMES[-1].group or '')[:3]}"
_APPLICANTS = "、".join(c.label for c in m.APPLICANT_PARTS)
_REVIEW_PARTS = "、".join(c.label for c in m.REVIEW_PARTS)
_REVIEW_AND_LITIGATION = f"{m.TABLE4_REVIEW_HEADER}、{m.TABLE4_LITIGATION_HEADER}"
_FEE_UNPAID = next(r for r in m.TABLE3_OUTCOMES if r.path[-1] == "fee_unpaid").label
_FORWARD = m.TABLE3_CARRIED_FORWARD.label
_NEW = m.TABLE3_NEW.label

# -- reading a file ---------------------------------------------------------------------------
FILE_UNREADABLE = _code("FILE_UNREADABLE", ERROR, "文件无法读取", "{detail}")
INTERNAL_ERROR = _code("INTERNAL_ERROR", ERROR, "内部错误", "{detail}")
FILE_ENCODING = _code(
    "FILE_ENCODING",
    WARNING,
    "文件不是 UTF-8 编码",
    "文件不是 UTF-8 编码，已按 GBK（GB18030）读取。请另存为 UTF-8 编码，以免文字出错。",
)
# -- shape of the data (from the JSON Schema) -------------------------------------------------
JSON_REQUIRED = _code(
    "JSON_REQUIRED", ERROR, "缺少必填项", "{where}缺少「{title}」（{key}）。请补上该项。"
)
JSON_EXTRA = _code(
    "JSON_EXTRA",
    ERROR,
    "多余的项",
    "{where}有格式中没有的项「{key}」。请删除该项或检查拼写。",
)
JSON_TYPE = _code(
    "JSON_TYPE",
    ERROR,
    "类型不对",
    "{where}应为{expected}，但填的是{value}。请改为{expected}{hint}。",
)
VALUE_NEGATIVE = _code(
    "VALUE_NEGATIVE", ERROR, "不能为负数", "{where}填的是 {value}，不能为负数。请填 0 或正数。"
)
VALUE_TOO_LARGE = _code(
    "VALUE_TOO_LARGE",
    ERROR,
    "数值过大",
    "{where}填的是 {value}，超出了 Excel 能准确保存的 15 位数字，不可能是实际的数。请核对后改正。",
)
VALUE_EMPTY = _code("VALUE_EMPTY", ERROR, "不能为空", "{where}为空。请填写{title}。")
DATE_FORMAT = _code(
    "DATE_FORMAT",
    ERROR,
    "日期无效",
    "{where}「{value}」不是“年-月-日”格式的有效日期。请写成 2025-02-13 这样的格式。",
)
POSTCODE_FORMAT = _code(
    "POSTCODE_FORMAT",
    ERROR,
    "邮政编码无效",
    "{where}「{value}」不是 6 位数字。请填写 6 位数字的邮政编码，如 834600。",
)
FORMAT_VERSION = _code(
    "FORMAT_VERSION",
    ERROR,
    "格式版本不对",
    '{where}应为文字 "2021"（{notice} 规定的格式），但填的是{value}。请填 "2021"。',
)
YEAR_RANGE = _code(
    "YEAR_RANGE",
    ERROR,
    "报告年度不对",
    "{where}为 {value}。{reason}如是笔误，请填写四位数的报告年度，如 2024。",
)
JSON_SCHEMA_ID = _code(
    "JSON_SCHEMA_ID",
    ERROR,
    "数据格式标识不对",
    "「数据格式」（$schema）为{value}，不是本格式的标识。请改为 {schema_id}，或删去该项。",
)
JSON_INVALID = _code(
    "JSON_INVALID", ERROR, "数据不合格式", "{where}：{detail}。请对照数据格式修改。"
)
# -- arithmetic (rules 1–4, from the schema's xxgkArithmetic keyword) -------------------------
T3_BALANCE = _code(
    "T3_BALANCE",
    ERROR,
    f"{_T3}勾稽关系不平",
    f"{_T3}「{{column}}」列：{{left_expr}}= {{reported}}，但{{right_expr}}= {{computed}}，"
    "相差 {diff}。"
    "请核对各办理结果行和结转数。",
)
T3_OUTCOME_TOTAL = _code(
    "T3_OUTCOME_TOTAL",
    ERROR,
    f"{_T3}{_RESULTS_TOTAL}不等于各办理结果之和",
    f"{_T3}「{{column}}」列：{_RESULTS_TOTAL}为 {{reported}}，"
    f"但{_OUTCOME_GROUPS}各办理结果行之和为 {{computed}}，相差 {{diff}}。"
    f"请核对各办理结果行，{_RESULTS_TOTAL}应等于它们之和。",
)
T3_ROW_TOTAL = _code(
    "T3_ROW_TOTAL",
    ERROR,
    f"{_T3}总计列不等于各类申请人之和",
    f"{_T3}「{{row}}」行：总计为 {{reported}}，但{_APPLICANTS}之和为 {{computed}}，"
    "相差 {diff}。请核对该行各列。",
)
T4_TOTAL = _code(
    "T4_TOTAL",
    ERROR,
    f"{_T4}总计不等于各结果之和",
    f"{_T4}「{{group}}」：总计为 {{reported}}，但{_REVIEW_PARTS}之和为 {{computed}}，"
    "相差 {diff}。请核对该组各数。",
)
# -- rules that need only this report ---------------------------------------------------------
DATE_NOT_NEXT_YEAR = _code(
    "DATE_NOT_NEXT_YEAR",
    WARNING,
    "成文日期不在报告年度的下一年",
    "{where}为 {date}，但 {year} 年度的报告应在 {next_year} 年成文发布。请核对报告年度和成文日期。",
)
DATE_LATE = _code(
    "DATE_LATE",
    WARNING,
    "晚于发布期限",
    "{where}为 {date}，晚于条例第四十九条规定的 {next_year}年{deadline}（{kind}）。"
    "若本地通知另有规定可忽略，否则请按时发布。",
)
SECTION5_EMPTY = _code(
    "SECTION5_EMPTY",
    WARNING,
    "第五部分内容缺失",
    "{where}为空或只写了“无”。第五部分应如实写明存在的主要问题及改进情况（含上年问题整改情况），请补充。",
)
PART_EMPTY = _code(
    "PART_EMPTY",
    WARNING,
    "总体情况缺少一部分",
    "{where}为空。这一部分无法按表格数字自动撰写，生成的报告中会写明“本部分未填写内容”。"
    "请补写{title}的实际情况。",
)
RULES_NOT_ALLOWED = _code(
    "RULES_NOT_ALLOWED",
    WARNING,
    "无权制定规章",
    "{where}为 {value}，但「{agency}」是{kind}，没有制定规章的权限（只有国务院部门、"
    "省级人民政府和设区的市人民政府可以制定规章）。如填的是规范性文件，请改填到"
    f"{_T2}「{_NORMATIVE}」行；否则请核对。",
)
OLD_FORMAT_CITED = _code(
    "OLD_FORMAT_CITED",
    WARNING,
    "引用了旧格式",
    "{where}写「{quote}」，这是 2019、2020 年度报告使用的旧格式（国办公开办函〔2019〕60号）的内容。"
    f"{{year}} 年度报告应按{m.FORMAT_NOTICE}的格式编写，请修改。",
)
YEAR_IN_TEXT = _code(
    "YEAR_IN_TEXT",
    WARNING,
    "文字中的年度与报告年度不符",
    "{where}写「{quote}」，但这是 {year} 年度的报告。如是沿用往年的文字，请改为 {year} 年的情况。",
)
TEXT_NUMBER_MISMATCH = _code(
    "TEXT_NUMBER_MISMATCH",
    WARNING,
    "文字中的数字与表格不一致",
    "{where}写「{quote}」，但{place}为 {actual}{unit}。请修改文字或核对{table}。",
)
TEXT_SAYS_NO_REQUESTS = _code(
    "TEXT_SAYS_NO_REQUESTS",
    WARNING,
    f"文字与{_T3}不一致",
    f"{{where}}写“{{quote}}”，但{_T3}「{_NEW}」{{column}}为 {{count}} 件。请修改文字或核对{_T3}。",
)
TEXT_SAYS_NO_LITIGATION = _code(
    "TEXT_SAYS_NO_LITIGATION",
    WARNING,
    f"文字与{_T4}不一致",
    f"{{where}}写“{{quote}}”，但{_T4}{{what}}共 {{count}} 件。请修改文字或核对{_T4}。",
)
TEXT_LINE_BREAK = _code(
    "TEXT_LINE_BREAK",
    WARNING,
    "单行内容中有换行",
    "{where}中有换行（可能是按了 Alt+Enter），报告的标题、序言和落款里会被连在一起。"
    "请删去换行，写成一行。",
)
FEE_NOTICE_MISSING = _code(
    "FEE_NOTICE_MISSING",
    WARNING,
    "收费通知未说明",
    f"{_T3}「{_FEE_UNPAID}」共 {{count}} 件，说明发出过收费通知，但{{where}}为 0。"
    "请在第六部分如实填写发出收费通知的件数和收费金额。",
)
# -- across years: this report against last year's (rules 6 and 7; src/xxgk/previous.py) -----
PREV_WRONG_YEAR = _code(
    "PREV_WRONG_YEAR",
    ERROR,
    "上年报告的年度不对",
    "{where}为 {year}，但作为上年报告提供的是 {previous_year} 年度的报告（{source}），"
    "应为 {expected_year} 年度。请提供本机关 {expected_year} 年度的报告。",
)
PREV_OTHER_AGENCY = _code(
    "PREV_OTHER_AGENCY",
    WARNING,  # a warning: agencies are renamed (机构改革), and staff cannot edit recorded names
    "上年报告不是本机关的",
    "{where}为「{agency}」，但作为上年报告提供的是「{previous_agency}」的报告（{source}），"
    "未与上年核对。如本机关已更名，可忽略；否则请提供本机关的上年报告。",
)
PREV_CARRIED_OVER = _code(
    "PREV_CARRIED_OVER",
    ERROR,
    "上年结转与上年报告不一致",
    f"{{where}}为 {{reported}}，但上年（{{previous_year}} 年度）报告{_T3}「{_FORWARD}」行"
    "「{column}」列为 {previous}，相差 {diff}。本年的上年结转应等于上年的结转下年度继续办理，"
    "请改为 {previous} 或核对上年报告。",
)
PREV_COPIED = _code(
    "PREV_COPIED",
    WARNING,
    "与上年报告一字不差",
    "{where}与上年（{previous_year} 年度）报告的同一部分一字不差。年度报告应如实反映本年度的"
    "工作，内容雷同可能被问责（国办公开办函〔2021〕30号），请按本年情况修改。",
)
PREV_IN_FORCE = _code(
    "PREV_IN_FORCE",
    WARNING,
    "现行有效件数与上年不衔接",
    "{where}为 {reported}，但上年现行有效 {previous} 件 + 本年制发 {issued} 件 − 本年废止 "
    "{repealed} 件 = {computed} 件，相差 {diff}。如因修订等原因不同可忽略，否则请核对。",
)


@record
class Finding:
    code: str
    severity: str
    message: str
    path: str
    paths: list[str] = field(default_factory=list)
    args: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    cell: str | None = None
    cells: list[str] = field(default_factory=list)
    # where in a published report (xxgk import) the value is: {"page": 3, "line": 12} or
    # {"table": 3, "row": 5, "column": 2}
    source: dict[str, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
        }
        if self.paths:
            out["paths"] = list(self.paths)
        if self.args:
            out["args"] = dict(self.args)
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.cell is not None:
            out["cell"] = self.cell
        if self.cells:
            out["cells"] = list(self.cells)
        if self.source is not None:
            out["source"] = dict(self.source)
        return out

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def place(self) -> str:
        """Where a person looks: 表三!C6 in a workbook, 第3页第12行 in a published report, else
        the JSON path."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.source:
            return source_place(self.source)
        return self.path or "/"

    @property
    def located(self) -> str:
        """`place：message` as a line on the screen, the place said once: messages about a
        published report often start with it already (第3页第12行…)."""
        place = self.place
        said = place in self.message[: len(place) + 4]  # 第3页第12行… or 原文第3页第12行…
        return self.message if said else f"{place}：{self.message}"


def source_place(source: dict[str, int]) -> str:
    """A place in a published report in words: 第3页第12行, 第2个表格第5行第3列."""
    page = source.get("page")
    out = f"第{page}页" if page is not None else ""
    if source.get("table") is not None:
        out += f"第{source['table']}个表格"
        parts = (("row", "行"), ("column", "列"))
        out += "".join(f"第{source[k]}{word}" for k, word in parts if k in source)
    elif source.get("line") is not None:
        out += f"第{source['line']}行"
    return out or "原文"


def make(code: str, path: str, paths: Iterable[str] = (), **args: Any) -> Finding:
    """Build a finding from the catalogue; `args` fill the message template."""
    entry = CATALOGUE[code]
    # every field in order, positionally: the record's quick way in (by name was 2 µs more)
    return Finding(
        code, entry.severity, entry.template.format(**args), path, list(paths),
        {k: v for k, v in args.items() if type(v) in _PLAIN or _plain(v)}, None, None, [], None,
    )  # fmt: skip


_PLAIN = frozenset({str, int, float, type(None)})  # what most arguments are, told by type alone
_ORDER = "code severity message path paths args sheet cell cells source"  # make()'s, above
assert Finding.__record_fields__ == tuple(_ORDER.split())  # type: ignore[attr-defined]


def _plain(value: Any) -> bool:
    return isinstance(value, (int, float, str)) and not isinstance(value, bool) or value is None


Locator = Callable[[str], "tuple[str, str] | None"]


def locate(findings: Iterable[Finding], where: Locator) -> list[Finding]:
    """Attach sheet and cell (and `cells` for multi-value findings) from a workbook's cell map."""
    out = []
    for f in findings:
        hit = where(f.path) if f.path is not None else None
        if hit:
            f.sheet, f.cell = hit
        cells = [where(p) for p in f.paths]
        f.cells = [f"{s}!{c}" for s, c in (x for x in cells if x)]
        out.append(f)
    return out


def counts(findings: Iterable[Finding]) -> tuple[int, int]:
    errors = warnings = 0
    for f in findings:
        if f.severity == ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def summary_text(errors: int, warnings: int) -> str:
    """The one-line verdict staff see: 校验通过 or 发现 3 处错误、1 处警告."""
    if not errors and not warnings:
        return "校验通过"
    parts = []
    if errors:
        parts.append(f"{errors} 处错误")
    if warnings:
        parts.append(f"{warnings} 处警告")
    text = "发现 " + "、".join(parts)
    return text if errors else f"校验通过，{text}"


# The codes of reading a workbook, of batch conversion and of reading published reports live in
# modules of their own, entered in the one catalogue in this order (docs/codes.md follows it)
# isort: off
from xxgk.check.workbook_codes import *  # noqa: E402, F403
from xxgk.check.batch_codes import *  # noqa: E402, F403
from xxgk.check.import_codes import *  # noqa: E402, F403
# isort: on
