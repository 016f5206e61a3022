"""An oracle independent of xxgk: the official format (国办公开办函〔2021〕30号) written by hand.

Nothing here is imported from xxgk. The labels are typed from the official format (and checked
against the published seed report in tests/test_oracle.py), the keys are those of the JSON data
contract, and the totals are plain sums written from the format's rules:

- rule 2: in table 三, （七）总计 of each column = the sum of the 21 outcome rows;
- rule 3: in table 三, 总计 of each row = 自然人 + the five 法人或其他组织 columns;
- rule 4: in table 四, 总计 of each group = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

Tests compare what xxgk computes and prints with this, so that a mistake in xxgk's own
declarations (`xxgk.format.model`, `xxgk.format.arithmetic`) cannot pass by agreeing with itself.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

Path = tuple[str, ...]

# -- table 二: 主动公开政府信息情况 -------------------------------------------------------------

# (title, [(column key, column label)], [(row key, row label)])
TABLE2_BLOCKS: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]], ...] = (
    (
        "第二十条第（一）项",
        (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
        (("rules", "规章"), ("normative_documents", "行政规范性文件")),
    ),
    ("第二十条第（五）项", (("decisions", "本年处理决定数量"),), (("licensing", "行政许可"),)),
    (
        "第二十条第（六）项",
        (("decisions", "本年处理决定数量"),),
        (("penalty", "行政处罚"), ("coercion", "行政强制")),
    ),
    (
        "第二十条第（八）项",
        (("amount", "本年收费金额（单位：万元）"),),
        (("fees", "行政事业性收费"),),
    ),
)

# -- table 三: 收到和处理政府信息公开申请情况 ---------------------------------------------------

APPLICANTS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other", "其他"),
)
APPLICANT_KEYS: tuple[str, ...] = tuple(key for key, _ in APPLICANTS)
COLUMNS: tuple[str, ...] = (*APPLICANT_KEYS, "total")  # the seven number columns, in order

RESULTS = "三、本年度办理结果"
DENIED, UNABLE, NOT_PROCESSED, OTHER = (
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
)

# The 21 outcome rows: (path under requests/results, group label or None, row label).
OUTCOMES: tuple[tuple[Path, str | None, str], ...] = (
    (("granted",), None, "（一）予以公开"),
    (("partially_granted",), None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    (("denied", "state_secret"), DENIED, "1.属于国家秘密"),
    (("denied", "prohibited_by_law"), DENIED, "2.其他法律行政法规禁止公开"),
    (("denied", "endangers_safety_stability"), DENIED, "3.危及“三安全一稳定”"),
    (("denied", "third_party_rights"), DENIED, "4.保护第三方合法权益"),
    (("denied", "internal_affairs"), DENIED, "5.属于三类内部事务信息"),
    (("denied", "process_information"), DENIED, "6.属于四类过程性信息"),
    (("denied", "enforcement_files"), DENIED, "7.属于行政执法案卷"),
    (("denied", "administrative_query"), DENIED, "8.属于行政查询事项"),
    (("unable", "not_held"), UNABLE, "1.本机关不掌握相关政府信息"),
    (("unable", "needs_creation"), UNABLE, "2.没有现成信息需要另行制作"),
    (("unable", "still_unclear"), UNABLE, "3.补正后申请内容仍不明确"),
    (("not_processed", "complaint"), NOT_PROCESSED, "1.信访举报投诉类申请"),
    (("not_processed", "duplicate"), NOT_PROCESSED, "2.重复申请"),
    (("not_processed", "publication"), NOT_PROCESSED, "3.要求提供公开出版物"),
    (("not_processed", "excessive"), NOT_PROCESSED, "4.无正当理由大量反复申请"),
    (("not_processed", "confirmation"), NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息"),
    (
        ("other", "no_correction"),
        OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        ("other", "fee_unpaid"),
        OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    (("other", "other"), OTHER, "3.其他"),
)
NEW: Path = ("requests", "new")
CARRIED_OVER: Path = ("requests", "carried_over")
RESULTS_TOTAL: Path = ("requests", "results", "total")
CARRIED_FORWARD: Path = ("requests", "carried_forward")
OUTCOME_PATHS: tuple[Path, ...] = tuple(("requests", "results", *p) for p, _, _ in OUTCOMES)
# Every row of table 三, top to bottom: (path of the row, group label or None, row label).
TABLE3_ROWS: tuple[tuple[Path, str | None, str], ...] = (
    (NEW, None, "一、本年新收政府信息公开申请数量"),
    (CARRIED_OVER, None, "二、上年结转政府信息公开申请数量"),
    *((("requests", "results", *p), group, label) for p, group, label in OUTCOMES),
    (RESULTS_TOTAL, None, "（七）总计"),
    (CARRIED_FORWARD, None, "四、结转下年度继续办理"),
)
TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# -- table 四: 政府信息公开行政复议、行政诉讼情况 -----------------------------------------------

REVIEW_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
REVIEW_PARTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
REVIEW_COLUMNS: tuple[str, ...] = (*(key for key, _ in REVIEW_PARTS), "total")

# -- the cells the template computes --------------------------------------------------------------

TOTAL_PATHS: tuple[Path, ...] = (
    *(RESULTS_TOTAL + (col,) for col in APPLICANT_KEYS),  # rule 2
    *(row + ("total",) for row, _, _ in TABLE3_ROWS),  # rule 3 (（七）总计's 总计 included)
    *(("review_litigation", group, "total") for group, _ in REVIEW_GROUPS),  # rule 4
)


def get(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


def put(data: dict[str, Any], path: Path, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def official_totals(data: dict[str, Any]) -> dict[Path, int | float]:
    """Path → value of every total cell, summed from the input cells of `data` (numbers only)."""
    out: dict[Path, int | float] = {}
    for col in APPLICANT_KEYS:  # rule 2, each applicant column
        out[RESULTS_TOTAL + (col,)] = sum(get(data, row + (col,)) for row in OUTCOME_PATHS)
    for row, _, _ in TABLE3_ROWS:  # rule 3, each row (（七）总计 over the sums just made)
        source = out if row == RESULTS_TOTAL else None
        out[row + ("total",)] = sum(
            source[row + (col,)] if source is not None else get(data, row + (col,))
            for col in APPLICANT_KEYS
        )
    for group, _ in REVIEW_GROUPS:  # rule 4
        node = data["review_litigation"][group]
        out[("review_litigation", group, "total")] = sum(node[key] for key, _ in REVIEW_PARTS)
    return out


def with_official_totals(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` whose total cells hold `official_totals(data)`."""
    out = copy.deepcopy(data)
    for path, value in official_totals(data).items():
        put(out, path, value)
    return out


def balance_gaps(data: dict[str, Any]) -> dict[str, int | float]:
    """Rule 1 for each column of table 三: 一 + 二 − （七）总计 − 四 (0 when it holds)."""
    totals = official_totals(data)

    def cell(row: Path, col: str) -> int | float:
        path = row + (col,)
        return totals[path] if path in totals else get(data, path)

    return {
        col: cell(NEW, col)
        + cell(CARRIED_OVER, col)
        - cell(RESULTS_TOTAL, col)
        - cell(CARRIED_FORWARD, col)
        for col in COLUMNS
    }


# -- the tables as a reader sees them -------------------------------------------------------------


def shown(value: Any) -> str:
    """A table value as the report prints it: whole numbers without a decimal point, text as
    it is; anything else (nothing, a list, an object) as an empty cell."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    return ""


def _cell_text(data: dict[str, Any], path: Path) -> str:
    node: Any = data
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return ""  # a value missing from the data is an empty cell
        node = node[key]
    return shown(node)


def expected_grids(data: dict[str, Any]) -> dict[str, list[list[str]]]:
    """Each table of the report with merged cells expanded: grid[row][column] is the text a
    reader sees there (a merged cell's text in every position it covers)."""
    t2: list[list[str]] = []
    for title, columns, rows in TABLE2_BLOCKS:
        spread = 3 // len(columns)  # a one-column block's number spans the three columns
        t2.append([title] * 4)
        t2.append(["信息内容", *(label for _, label in columns for _ in range(spread))])
        for key, label in rows:
            values = [_cell_text(data, ("proactive", key, col)) for col, _ in columns]
            t2.append([label, *(v for v in values for _ in range(spread))])
    legal = [label for _, label in APPLICANTS[1:]]
    t3 = [
        [TABLE3_CORNER] * 3 + ["申请人情况"] * 7,
        [TABLE3_CORNER] * 3 + ["自然人", *["法人或其他组织"] * 5, "总计"],
        [TABLE3_CORNER] * 3 + ["自然人", *legal, "总计"],
    ]
    for row, group, label in TABLE3_ROWS:
        if row[:2] != ("requests", "results"):
            labels = [label] * 3
        else:
            labels = [RESULTS, group or label, label]
        t3.append(labels + [_cell_text(data, row + (col,)) for col in COLUMNS])
    parts = [label for _, label in REVIEW_PARTS] + ["总计"]
    t4 = [
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        parts + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
        parts * 3,
        [
            _cell_text(data, ("review_litigation", group, col))
            for group, _ in REVIEW_GROUPS
            for col in REVIEW_COLUMNS
        ],
    ]
    return {"table2": t2, "table3": t3, "table4": t4}


def expected_markdown_tables(data: dict[str, Any]) -> list[list[list[str]]]:
    """The report's pipe tables in order (header row first, the alignment row left out): table
    二 as one table per block; in table 三 and 四 a row's labels are joined with ·."""
    tables: list[list[list[str]]] = []
    for _title, columns, rows in TABLE2_BLOCKS:
        table = [["信息内容", *(label for _, label in columns)]]
        for key, label in rows:
            table.append(
                [label, *(_cell_text(data, ("proactive", key, col)) for col, _ in columns)]
            )
        tables.append(table)
    head = ["项目", "自然人", *(f"法人或其他组织·{label}" for _, label in APPLICANTS[1:]), "总计"]
    t3 = [head]
    for row, group, label in TABLE3_ROWS:
        if row[:2] != ("requests", "results"):
            name = label
        else:
            name = "·".join(x for x in (RESULTS, group, label) if x)
        t3.append([name, *(_cell_text(data, row + (col,)) for col in COLUMNS)])
    tables.append(t3)
    t4 = [["", *(label for _, label in REVIEW_PARTS), "总计"]]
    for group, label in REVIEW_GROUPS:
        name = label if group == "review" else f"行政诉讼·{label}"
        t4.append(
            [name, *(_cell_text(data, ("review_litigation", group, c)) for c in REVIEW_COLUMNS)]
        )
    tables.append(t4)
    return tables


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation


def markdown_tables(text: str) -> list[list[list[str]]]:
    """The pipe tables of a Markdown document, cells as a reader sees them (backslash escapes
    and character references resolved); the alignment rows are left out."""
    import html

    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        cells = [html.unescape(_ESCAPED.sub(r"\1", c.strip())) for c in cells]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
            continue
        if current is None:
            current = []
            tables.append(current)
        current.append(cells)
    return tables


# -- the formulas of a workbook, evaluated as Excel does ----------------------------------------

_REF = r"\$?([A-Z]{1,3})\$?([0-9]{1,7})"
_EPOCH = dt.datetime(1899, 12, 30)


class FormulaError(ValueError):
    """A formula outside the few forms `evaluate` knows (SUM, + and −, N(), IF(x=0,…), the
    check row's IF(COUNT(r)<COUNTA(r),…), HYPERLINK)."""


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _excel_number(value: Any) -> int | float | None:
    """What a cell counts as in Excel's SUM over a range: numbers and dates; text, booleans
    and blanks are skipped (None)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    if isinstance(value, dt.datetime):
        return (value - _EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return (dt.datetime(value.year, value.month, value.day) - _EPOCH).days
    if isinstance(value, (int, float)):
        return value
    return None


def _arithmetic_number(value: Any) -> int | float | None:
    """What a cell counts as in Excel's + and −: blank 0, TRUE 1, a plain number typed as text
    its number; other text None (Excel's #VALUE!)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        plain = re.fullmatch(r"\s*([+-]?[0-9]+(\.[0-9]+)?)\s*", value)
        return float(plain.group(1)) if plain else None
    return _excel_number(value)


ERROR = "#VALUE!"


def evaluate(sheet: Any, coordinate: str, seen: frozenset[str] = frozenset()) -> Any:
    """The value Excel shows in `sheet[coordinate]` (an openpyxl worksheet): the cell's own
    formula evaluated from the cells it refers to, recursively; other cells as they are.

    Known forms: =SUM(refs and ranges), =ref±ref±…, =IF(ref=0,"text","text") and
    =HYPERLINK("target","text"). Anything else raises FormulaError rather than guess. An error
    value (#VALUE!) propagates."""
    cell = sheet[coordinate]
    if cell.data_type != "f":
        return cell.value
    if coordinate in seen:
        raise FormulaError(f"circular reference at {coordinate}")
    seen = seen | {coordinate}
    formula = str(cell.value)
    text = formula.lstrip("=").replace(" ", "").upper()

    def value_of(ref: str) -> Any:
        return evaluate(sheet, ref.replace("$", ""), seen)

    if m := re.fullmatch(r"SUM\((.+)\)", text):
        total: int | float = 0
        for arg in m.group(1).split(","):
            r = re.fullmatch(f"{_REF}(?::{_REF})?", arg)
            if not r:
                raise FormulaError(f"{coordinate}: {formula}")
            c1, r1 = _column_number(r.group(1)), int(r.group(2))
            c2, r2 = (_column_number(r.group(3)), int(r.group(4))) if r.group(3) else (c1, r1)
            for row in range(min(r1, r2), max(r1, r2) + 1):
                for col in range(min(c1, c2), max(c1, c2) + 1):
                    value = value_of(sheet.cell(row, col).coordinate)
                    if value == ERROR:
                        return ERROR
                    number = _excel_number(value)
                    total += 0 if number is None else number
        return total
    if m := re.fullmatch(r'=HYPERLINK\("(?:[^"]|"")*","((?:[^"]|"")*)"\)', formula):
        return m.group(1).replace('""', '"')  # the link's text is what the cell shows
    if m := re.fullmatch(
        rf'IF\(COUNT\(({_REF}:{_REF})\)<COUNTA\(\1\),"[^"]*",IF\(({_REF})=0,"[^"]*","[^"]*"\)\)',
        text,
    ):  # =IF(COUNT(r)<COUNTA(r),"请输入数字",IF(x=0,"平衡","不平衡")): text in a count cell
        asks, yes, no = re.findall(r'"([^"]*)"', formula)
        c1, r1, c2, r2 = _column_number(m.group(2)), int(m.group(3)), 0, 0
        c2, r2 = _column_number(m.group(4)), int(m.group(5))
        values = [
            value_of(sheet.cell(row, col).coordinate)
            for row in range(min(r1, r2), max(r1, r2) + 1)
            for col in range(min(c1, c2), max(c1, c2) + 1)
        ]
        filled = [v for v in values if v is not None and v != ""]
        if sum(1 for v in filled if _excel_number(v) is not None) < len(filled):
            return asks
        value = value_of(m.group(6))
        return ERROR if value == ERROR else (yes if value == 0 else no)
    if m := re.fullmatch(rf'IF\(({_REF})=0,"[^"]*","[^"]*"\)', text):
        yes, no = re.findall(r'"([^"]*)"', formula)  # the texts as written
        value = value_of(m.group(1))
        return ERROR if value == ERROR else (yes if value == 0 else no)
    terms = re.findall(r"([+-]?)([^+-]+)", text)
    if terms and "".join(sign + term for sign, term in terms) == text:
        total = 0
        for sign, term in terms:
            as_n = re.fullmatch(rf"N\(({_REF})\)", term)  # N(x): x if a number, else 0
            if as_n:
                found = value_of(as_n.group(1))
                if found == ERROR:
                    return ERROR
                number = _excel_number(found)
                total += -(number or 0) if sign == "-" else (number or 0)
                continue
            if not re.fullmatch(_REF, term):
                raise FormulaError(f"{coordinate}: {formula}")
            number = _arithmetic_number(value_of(term))
            if number is None:
                return ERROR
            total += -number if sign == "-" else number
        return total
    raise FormulaError(f"{coordinate}: {formula}")
