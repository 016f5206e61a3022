"""The official 2021 format (国办公开办函〔2021〕30号), declared once.

Everything else — schema, template, reader, renderers, validator messages — is derived from
the declarations in this module. Labels are verbatim from the official format; ids are the keys
of the JSON data contract (docs/data-contract.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from xxgk.format.paths import pointer as pointer  # re-exported: where it always was
from xxgk.format.record import record

FORMAT_ID = "2021"
FORMAT_NOTICE = "国办公开办函〔2021〕30号"
REGULATION = "《中华人民共和国政府信息公开条例》（国务院令第711号）"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

Path = tuple[str, ...]


@record(frozen=True)
class Column:
    id: str
    label: str


@record(frozen=True)
class Row:
    """One data row of a table: `path` is relative to the table's root object."""

    path: Path
    label: str
    group: str | None = None  # the row-span group label, e.g. （三）不予公开
    short: str | None = None  # how a message names the row in a formula, e.g. 一

    @property
    def full_label(self) -> str:
        return f"{self.group} {self.label}" if self.group else self.label

    @property
    def term(self) -> str:
        return self.short or self.label


# ---------------------------------------------------------------------------------------------
# Table 二 — 主动公开政府信息情况


@record(frozen=True)
class Block:
    """One block of table 二: a merged title row, a header row, data rows."""

    title: str
    columns: tuple[Column, ...]  # the numeric columns, after 信息内容
    rows: tuple[Row, ...]
    decimal: bool = False  # the 万元 fee amount may be a decimal


TABLE2_NAME = "表二"  # how the format names the table, and the template its sheet
TABLE2_ROOT: Path = ("proactive",)
TABLE2_CONTENT_HEADER = "信息内容"
TABLE2_BLOCKS: tuple[Block, ...] = (
    Block(
        "第二十条第（一）项",
        (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        (Row(("rules",), "规章"), Row(("normative_documents",), "行政规范性文件")),
    ),
    Block(
        "第二十条第（五）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row(("licensing",), "行政许可"),),
    ),
    Block(
        "第二十条第（六）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row(("penalty",), "行政处罚"), Row(("coercion",), "行政强制")),
    ),
    Block(
        "第二十条第（八）项",
        (Column("amount", "本年收费金额（单位：万元）"),),
        (Row(("fees",), "行政事业性收费"),),
        decimal=True,
    ),
)

# ---------------------------------------------------------------------------------------------
# Table 三 — 收到和处理政府信息公开申请情况

TABLE3_NAME = "表三"
TABLE3_ROOT: Path = ("requests",)
TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_APPLICANT_HEADER = "申请人情况"
TABLE3_LEGAL_PERSON_HEADER = "法人或其他组织"
TABLE3_RESULTS_GROUP = "三、本年度办理结果"

APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)
APPLICANT_PARTS: tuple[Column, ...] = APPLICANT_COLUMNS[:-1]
LEGAL_PERSON_COLUMNS: tuple[Column, ...] = APPLICANT_COLUMNS[1:6]

_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"

TABLE3_NEW = Row(("new",), "一、本年新收政府信息公开申请数量", short="一")
TABLE3_CARRIED_OVER = Row(("carried_over",), "二、上年结转政府信息公开申请数量", short="二")
TABLE3_OUTCOMES: tuple[Row, ...] = (
    Row(("results", "granted"), "（一）予以公开"),
    Row(
        ("results", "partially_granted"),
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    Row(("results", "denied", "state_secret"), "1.属于国家秘密", _DENIED),
    Row(("results", "denied", "prohibited_by_law"), "2.其他法律行政法规禁止公开", _DENIED),
    Row(
        ("results", "denied", "endangers_safety_stability"),
        "3.危及\u201c三安全一稳定\u201d",
        _DENIED,
    ),
    Row(("results", "denied", "third_party_rights"), "4.保护第三方合法权益", _DENIED),
    Row(("results", "denied", "internal_affairs"), "5.属于三类内部事务信息", _DENIED),
    Row(("results", "denied", "process_information"), "6.属于四类过程性信息", _DENIED),
    Row(("results", "denied", "enforcement_files"), "7.属于行政执法案卷", _DENIED),
    Row(("results", "denied", "administrative_query"), "8.属于行政查询事项", _DENIED),
    Row(("results", "unable", "not_held"), "1.本机关不掌握相关政府信息", _UNABLE),
    Row(("results", "unable", "needs_creation"), "2.没有现成信息需要另行制作", _UNABLE),
    Row(("results", "unable", "still_unclear"), "3.补正后申请内容仍不明确", _UNABLE),
    Row(("results", "not_processed", "complaint"), "1.信访举报投诉类申请", _NOT_PROCESSED),
    Row(("results", "not_processed", "duplicate"), "2.重复申请", _NOT_PROCESSED),
    Row(("results", "not_processed", "publication"), "3.要求提供公开出版物", _NOT_PROCESSED),
    Row(
        ("results", "not_processed", "excessive"),
        "4.无正当理由大量反复申请",
        _NOT_PROCESSED,
    ),
    Row(
        ("results", "not_processed", "confirmation"),
        "5.要求行政机关确认或重新出具已获取信息",
        _NOT_PROCESSED,
    ),
    Row(
        ("results", "other", "no_correction"),
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _OTHER,
    ),
    Row(
        ("results", "other", "fee_unpaid"),
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _OTHER,
    ),
    Row(("results", "other", "other"), "3.其他", _OTHER),
)
TABLE3_RESULTS_TOTAL = Row(("results", "total"), "（七）总计", short="（七）总计")
TABLE3_CARRIED_FORWARD = Row(("carried_forward",), "四、结转下年度继续办理", short="四")
TABLE3_ROWS: tuple[Row, ...] = (
    TABLE3_NEW,
    TABLE3_CARRIED_OVER,
    *TABLE3_OUTCOMES,
    TABLE3_RESULTS_TOTAL,
    TABLE3_CARRIED_FORWARD,
)
# Group titles for the nested objects of table 三, for the schema's titles.
TABLE3_GROUP_TITLES: dict[Path, str] = {
    ("results",): TABLE3_RESULTS_GROUP,
    ("results", "denied"): _DENIED,
    ("results", "unable"): _UNABLE,
    ("results", "not_processed"): _NOT_PROCESSED,
    ("results", "other"): _OTHER,
}

# ---------------------------------------------------------------------------------------------
# Table 四 — 政府信息公开行政复议、行政诉讼情况

TABLE4_NAME = "表四"
TABLE4_ROOT: Path = ("review_litigation",)
TABLE4_REVIEW_HEADER = "行政复议"
TABLE4_LITIGATION_HEADER = "行政诉讼"
REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
REVIEW_PARTS: tuple[Column, ...] = REVIEW_COLUMNS[:-1]


@record(frozen=True)
class Group:
    id: str
    label: str  # the label printed over the group's columns
    title: str  # how a message names the group


TABLE4_GROUPS: tuple[Group, ...] = (
    Group("review", TABLE4_REVIEW_HEADER, "行政复议"),
    Group("litigation_direct", "未经复议直接起诉", "行政诉讼·未经复议直接起诉"),
    Group("litigation_after_review", "复议后起诉", "行政诉讼·复议后起诉"),
)

# ---------------------------------------------------------------------------------------------
# Sections and narrative fields


@record(frozen=True)
class TextField:
    path: Path
    label: str
    hint: str = ""  # shown to staff in the template


AGENCY_FIELDS: tuple[TextField, ...] = (
    TextField(("agency", "name"), "机关名称", "填写全称，如：额敏县商务和工业信息化局"),
    TextField(("agency", "address"), "通信地址", "如：额敏县友好路"),
    TextField(("agency", "postcode"), "邮政编码", "6 位数字"),
    TextField(("agency", "phone"), "联系电话", "如：0901-3344030"),
)

OVERVIEW_PARTS: tuple[TextField, ...] = (
    TextField(("overview", "summary"), "总体情况概述", "总体情况开头的概述段落"),
    TextField(("overview", "proactive"), "（一）主动公开"),
    TextField(("overview", "on_request"), "（二）依申请公开"),
    TextField(("overview", "management"), "（三）政府信息管理"),
    TextField(("overview", "platform"), "（四）政府信息公开平台建设"),
    TextField(("overview", "oversight"), "（五）监督保障"),
)
# The parts of 总体情况 that no table holds: a blank one cannot be written from the numbers.
UNWRITABLE_OVERVIEW = ("management", "platform", "oversight")
PROBLEMS = TextField(("problems",), "（一）存在的主要问题")
IMPROVEMENTS = TextField(("improvements",), "（二）改进情况")
OTHER_TEXT = TextField(("other_matters", "text"), "其他需要报告的事项")
PROCESSING_FEE_NOTICES = TextField(
    ("other_matters", "processing_fees", "notices"), "发出收费通知的件数"
)
PROCESSING_FEE_AMOUNT = TextField(
    ("other_matters", "processing_fees", "amount_yuan"), "收取信息处理费金额（元）"
)
LOCAL_NOTICE = TextField(
    ("local_notice",), "本地通知", "序言中引用的本地通知，可不填，如：地区《关于做好……的通知》"
)
# Contract 1.1: optional, and a workbook of the first template version has no cell for them.
AGENCY_EMAIL = TextField(("agency", "email"), "电子邮箱", "可不填；填写后印在序言的联系方式中")
AGENCY_WEBSITE = TextField(("agency", "website"), "网站", "可不填，如：http://www.example.gov.cn")
PREAMBLE = TextField(("preamble",), "序言", "可不填：不填时按标准格式自动撰写序言")
REPORT_URL = TextField(("report_url",), "电子版网址", "可不填：本报告电子版所在的网址")
HEADINGS_ROOT: Path = ("headings",)
HEADED_PARTS: tuple[TextField, ...] = (*OVERVIEW_PARTS[1:], PROBLEMS, IMPROVEMENTS)


@record(frozen=True)
class Section:
    number: str
    heading: str  # verbatim, with its numeral


SECTIONS: tuple[Section, ...] = (
    Section("一", "一、总体情况"),
    Section("二", "二、主动公开政府信息情况"),
    Section("三", "三、收到和处理政府信息公开申请情况"),
    Section("四", "四、政府信息公开行政复议、行政诉讼情况"),
    Section("五", "五、存在的主要问题及改进情况"),
    Section("六", "六、其他需要报告的事项"),
)

# ---------------------------------------------------------------------------------------------
# Leaves: every value of the data contract, with its kind and where a person finds it.

INT = "int"  # non-negative integer count
AMOUNT = "amount"  # non-negative number (万元 or 元)
TEXT = "text"  # narrative, may be empty
NAME = "name"  # required, non-empty single-line text
LINE = "line"  # single-line text, may be empty
DATE = "date"
POSTCODE = "postcode"
YEAR = "year"
CONST = "const"


@record(frozen=True)
class Leaf:
    path: Path
    title: str  # the official label, the schema's title
    kind: str
    where: str  # how a message names the place: 表三「一、…」行「自然人」列
    table: str | None = None  # 表二 / 表三 / 表四 for table cells
    total: bool = False  # computed from other cells in the template
    optional: bool = False

    @cached_property  # readers look it up for every cell of every workbook: compute once
    def pointer(self) -> str:
        return pointer(self.path)

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def _table2_leaves() -> Iterator[Leaf]:
    for block in TABLE2_BLOCKS:
        for row in block.rows:
            for col in block.columns:
                yield Leaf(
                    TABLE2_ROOT + row.path + (col.id,),
                    col.label,
                    AMOUNT if block.decimal else INT,
                    f"{TABLE2_NAME}「{row.label}」行「{col.label}」",
                    table=TABLE2_NAME,
                )


def _table3_leaves() -> Iterator[Leaf]:
    for row in TABLE3_ROWS:
        for col in APPLICANT_COLUMNS:
            yield Leaf(
                TABLE3_ROOT + row.path + (col.id,),
                col.label,
                INT,
                f"{TABLE3_NAME}「{row.full_label}」行「{col.label}」列",
                table=TABLE3_NAME,
                total=col.id == "total" or row is TABLE3_RESULTS_TOTAL,
            )


def _table4_leaves() -> Iterator[Leaf]:
    for group in TABLE4_GROUPS:
        for col in REVIEW_COLUMNS:
            yield Leaf(
                TABLE4_ROOT + (group.id, col.id),
                col.label,
                INT,
                f"{TABLE4_NAME}「{group.title}」「{col.label}」",
                table=TABLE4_NAME,
                total=col.id == "total",
            )


def _text_leaf(f: TextField, kind: str = TEXT, optional: bool = False) -> Leaf:
    return Leaf(f.path, f.label, kind, f"「{f.label}」", optional=optional)


def leaves() -> tuple[Leaf, ...]:
    """Every leaf of a report, in document order (which is also the JSON key order)."""
    return _LEAVES


def _build_leaves() -> tuple[Leaf, ...]:
    out: list[Leaf] = [
        Leaf(("format",), "格式版本", CONST, "「格式版本」"),
        Leaf(("year",), "报告年度", YEAR, "「报告年度」"),
    ]
    out.append(_text_leaf(AGENCY_FIELDS[0], NAME))
    out.append(_text_leaf(AGENCY_FIELDS[1], NAME))
    out.append(_text_leaf(AGENCY_FIELDS[2], POSTCODE))
    out.append(_text_leaf(AGENCY_FIELDS[3], NAME))
    out += [_text_leaf(f, LINE, optional=True) for f in (AGENCY_EMAIL, AGENCY_WEBSITE)]
    out.append(Leaf(("published_on",), "成文日期", DATE, "「成文日期」"))
    out.append(_text_leaf(LOCAL_NOTICE, TEXT, optional=True))
    out.append(_text_leaf(PREAMBLE, TEXT, optional=True))
    out.append(_text_leaf(REPORT_URL, LINE, optional=True))
    out.extend(_text_leaf(f) for f in OVERVIEW_PARTS)
    out.extend(_table2_leaves())
    out.extend(_table3_leaves())
    out.extend(_table4_leaves())
    out.append(_text_leaf(PROBLEMS))
    out.append(_text_leaf(IMPROVEMENTS))
    out.append(_text_leaf(PROCESSING_FEE_NOTICES, INT))
    out.append(_text_leaf(PROCESSING_FEE_AMOUNT, AMOUNT))
    out.append(_text_leaf(OTHER_TEXT))
    out.extend(heading_leaf(f) for f in HEADED_PARTS)
    return tuple(out)


def heading_leaf(part: TextField) -> Leaf:
    """The agency's own sub-heading of a part (contract 1.1): `headings` keyed by the part's
    dotted path, e.g. headings["overview.management"]; the numbering stays the renderer's."""
    title = f"{part.label}的小标题"
    return Leaf(HEADINGS_ROOT + (".".join(part.path),), title, LINE, f"「{title}」", optional=True)


_LEAVES = _build_leaves()
LEAF_BY_POINTER: dict[str, Leaf] = {leaf.pointer: leaf for leaf in _LEAVES}
NUMERIC_KINDS = (INT, AMOUNT)


# Titles of the intermediate objects, for the schema and for messages.
OBJECT_TITLES: dict[Path, str] = {
    ("agency",): "机关信息",
    ("overview",): SECTIONS[0].heading,
    TABLE2_ROOT: SECTIONS[1].heading,
    TABLE3_ROOT: SECTIONS[2].heading,
    TABLE4_ROOT: SECTIONS[3].heading,
    ("other_matters",): SECTIONS[5].heading,
    ("other_matters", "processing_fees"): "信息处理费",
    HEADINGS_ROOT: "各部分小标题",
    **{TABLE2_ROOT + r.path: r.label for b in TABLE2_BLOCKS for r in b.rows},
    **{TABLE3_ROOT + r.path: r.label for r in TABLE3_ROWS},
    **{TABLE3_ROOT + p: t for p, t in TABLE3_GROUP_TITLES.items()},
    **{TABLE4_ROOT + (g.id,): g.title for g in TABLE4_GROUPS},
}

COLUMN_LABEL = {c.id: c.label for c in APPLICANT_COLUMNS}
ROW_BY_PATH: dict[Path, Row] = {TABLE3_ROOT + r.path: r for r in TABLE3_ROWS}
