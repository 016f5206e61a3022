"""The report as a Word document (DOCX) in GB/T 9704-2012 layout, written directly as XML.

The package's fixed parts (styles, fonts, settings, page-number footers) are assets; only
`document.xml` and the core properties are written per report, by string building with XML
escaping (text is already cleaned of characters XML 1.0 forbids by `text.py`). python-docx
is not used at run time: building the same document with it is over a hundred times slower
(see bench/render_bench.py). The zip is built in memory with fixed timestamps (`docxzip.py`),
so the same data gives the same bytes.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from xxgk.format.packaged import packaged_bytes
from xxgk.report import content as rc
from xxgk.report import document as rm
from xxgk.report import docxzip as dz
from xxgk.report import linebreak as lb
from xxgk.report import tables as rt

# A4 and the GB/T 9704 margins, in twentieths of a point (1 mm = 1440/25.4 twips).
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
TYPE_AREA_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
FOOTER_DISTANCE = 1247  # 22 mm: the page number sits about 7 mm below the type area
LINE_PITCH = 579  # 28.95 pt: 22 lines in the 225 mm type area
BODY_SIZE = 32  # 三号 (16 pt), in half points
CHARS_PER_LINE = 28  # GB/T 9704: 22 lines of 28 characters
# 28 characters of 三号 (448 pt) are wider than the 156 mm (442.25 pt) type area. Word would
# squeeze them onto a character grid (docGrid linesAndChars, charSpace -842), but LibreOffice
# (and so the PDF) gives every glyph wider than that grid's pitch two cells: 14 characters a
# line. So the grid has lines only and the body text is condensed instead (the Normal style's
# w:spacing in docx_styles.xml), which both Word and LibreOffice honour: by the whole twips that
# make 28 characters fit, and one more, because LibreOffice 7.4 drops a punctuation mark hanging
# at the end of a line filled to within a point of the margin (tests/test_docx_layout.py).
BODY_CONDENSE = TYPE_AREA_W // CHARS_PER_LINE - BODY_SIZE * 10 - 1  # -6 twips: 15.7 pt each

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_ASSETS = (
    ("[Content_Types].xml", "docx_content_types.xml"),
    ("_rels/.rels", "docx_rels.xml"),
    ("docProps/app.xml", "docx_app.xml"),
    ("word/_rels/document.xml.rels", "docx_document_rels.xml"),
    ("word/styles.xml", "docx_styles.xml"),
    ("word/settings.xml", "docx_settings.xml"),
    ("word/fontTable.xml", "docx_font_table.xml"),
    ("word/footer1.xml", "docx_footer_odd.xml"),
    ("word/footer2.xml", "docx_footer_even.xml"),
)

_PSTYLE = {
    rc.TITLE: "Title",
    rc.H1: "Heading1",
    rc.H2: "Heading2",
    rc.SIGNATURE: "SignatureBlock",
    rc.DATE: "SignatureBlock",
}


@cache
def _assets() -> tuple[tuple[str, bytes], ...]:
    return tuple((name, packaged_bytes("xxgk.report", "assets", asset)) for name, asset in _ASSETS)


def _x(text: str) -> str:
    # `in` finds a character by memchr, `replace` looks at every one: most texts need nothing
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _run(text: str, style: str = "") -> str:
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_x(text)}</w:t></w:r>'


@cache  # a handful of kinds
def _para_start(kind: str) -> str:
    style = _PSTYLE.get(kind)
    extra = ""
    if kind == rc.DATE:
        # the date ends four characters from the right, the agency name two (GB/T 9704 7.3.5)
        extra = '<w:ind w:right="1280" w:rightChars="400"/>'
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>' if style else "<w:p>"


def _para(p: rc.Para) -> str:
    lead = _run(p.lead, "LeadIn") if p.lead else ""
    text = f'<w:r><w:t xml:space="preserve">{_x(p.text)}</w:t></w:r>' if p.text else ""
    return f"{_para_start(p.kind)}{lead}{text}</w:p>"


# Tables 三 and 四 are set in 小五 (9 pt, the Compact styles) with 0.5 mm cell padding, so that
# they stay readable inside the type area: in 表三 every number column holds seven digits and a
# four-character label (商业企业) on one line, the group column a group name in two lines
# (（三）/不予公开, `numbered_lines`), the row labels twelve characters a line and the vertical
# 三、本年度办理结果 one character a line: 38 lines of 10.8 pt in all, so that 表三 with its
# heading takes about 185 mm of the 225 mm type area and is kept whole on one page (a page break
# inside it would leave the group labels, merged cells, on the first page only). In 表四
# five digits fit a count and six its three 总计 columns (a county's sums), and the labels
# break two characters a line (结果/维持). Twips; each sums to TYPE_AREA_W.
_PRINT_WIDTHS: dict[str, tuple[int, ...]] = {
    "table3": (250, 880, 2255) + (780,) * 7,
    "table4": ((567,) * 4 + (680,)) * 2 + (567,) * 4 + (681,),
}
_COMPACT = frozenset({"table3", "table4"})
_PADDING = {False: 57, True: 28}  # left and right cell padding, twips (1 mm, 0.5 mm)
_COMPACT_EM = 180  # 小五: a Chinese character is 9 pt wide


def _grid_widths(table: rc.Table) -> list[int]:
    fixed = _PRINT_WIDTHS.get(table.id)
    if fixed is not None and len(fixed) == table.columns:
        return list(fixed)
    total = sum(table.widths)
    widths = [w * TYPE_AREA_W // total for w in table.widths]
    widths[-1] += TYPE_AREA_W - sum(widths)  # the columns fill the type area exactly
    return widths


def _label_fit(cell: rc.Cell, width: int) -> tuple[str, str]:
    """A compact label cell's extra tcPr (padding that balances its lines) and its runs."""
    usable = (width - 2 * _PADDING[True]) / _COMPACT_EM
    lines = lb.numbered_lines(cell.text, usable)
    if lines is not None:
        first, second = (f'<w:t xml:space="preserve">{_x(line)}</w:t>' for line in lines)
        return "", f"<w:r>{first}<w:br/>{second}</w:r>"
    extra = int(lb.balance(cell.text, usable) * _COMPACT_EM)
    if extra and cell.left:
        return f'<w:tcMar><w:right w:w="{_PADDING[True] + extra}" w:type="dxa"/></w:tcMar>', ""
    if extra:
        side = _PADDING[True] + extra // 2
        margins = f'<w:left w:w="{side}" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/>'
        return f"<w:tcMar>{margins}</w:tcMar>", ""
    return "", ""


@lru_cache(maxsize=4096)  # labels and small numbers repeat across reports
def _cell_xml(
    cell: rc.Cell | None,
    width: int,
    span: int,
    merge: str,
    compact: bool = False,
    keep: bool = False,
) -> str:
    """One cell; `keep`: kept on the page of the next row (keepNext on its paragraph)."""
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if merge == "restart":
        tcpr += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        tcpr += "<w:vMerge/>"
    runs = ""
    if cell is not None and cell.header and compact:
        margins, runs = _label_fit(cell, width)
        tcpr += margins
    tcpr += '<w:vAlign w:val="center"/>'
    keep_next = "<w:keepNext/>" if keep else ""
    if cell is None:  # the covered part of a vertical merge
        style = "TableTextCompact" if compact else "TableText"
        return (
            f'<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>{keep_next}'
            "</w:pPr></w:p></w:tc>"
        )
    style = "TableHeader" if cell.header and cell.scope in ("col", "rowgroup") else "TableText"
    if compact:
        style += "Compact"
    jc = '<w:jc w:val="left"/>' if cell.left else ""
    return (
        f'<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>{keep_next}{jc}'
        f"</w:pPr>{runs or _run(cell.text)}</w:p></w:tc>"
    )


def _table(table: rc.Table) -> str:
    widths = _grid_widths(table)
    ncols = len(widths)
    compact = table.id in _COMPACT
    pad = _PADDING[compact]
    borders = "".join(
        f'<w:{b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for b in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    out = [
        "<w:tbl><w:tblPr>",
        '<w:tblStyle w:val="TableGrid"/>',
        f'<w:tblW w:w="{TYPE_AREA_W}" w:type="dxa"/><w:jc w:val="center"/>',
        f"<w:tblBorders>{borders}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="28" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>',
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    rows: list[tuple[tuple[rc.Cell, ...], bool]] = [(r, True) for r in table.head]
    for body in table.bodies:
        rows.extend((r, False) for r in body)
    # pending[col] = (cell, remaining rows) for vertical merges still open over that column
    pending: dict[int, tuple[rc.Cell, int]] = {}
    for number, (cells, is_head) in enumerate(rows, 1):
        # a compact table is kept whole (every row but the last on the page of the next), and a
        # row of labels only (表二's 第二十条第（一）项 and 信息内容 rows) never ends a page
        keep = number < len(rows) and (compact or all(c.header for c in cells))
        trpr = "<w:cantSplit/><w:tblHeader/>" if is_head else "<w:cantSplit/>"
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
        col = 0
        queue = list(cells)
        while col < ncols:
            if col in pending:
                cell, left = pending.pop(col)
                if left > 1:
                    pending[col] = (cell, left - 1)
                width = sum(widths[col : col + cell.colspan])
                out.append(_cell_xml(None, width, cell.colspan, "continue", compact, keep))
                col += cell.colspan
                continue
            if not queue:  # a short row in the model: never expected, keep the XML valid
                out.append(_cell_xml(rc.Cell(""), widths[col], 1, "", compact, keep))
                col += 1
                continue
            cell = queue.pop(0)
            merge = ""
            if cell.rowspan > 1:
                pending[col] = (cell, cell.rowspan - 1)
                merge = "restart"
            width = sum(widths[col : col + cell.colspan])
            out.append(_cell_xml(cell, width, cell.colspan, merge, compact, keep))
            col += cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _sect_pr() -> str:
    return (
        '<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>'
        '<w:footerReference w:type="even" r:id="rId5"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
        f'w:left="{MARGIN_LEFT}" w:header="851" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
        '<w:cols w:space="425"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/></w:sectPr>'
    )


@cache
def _table_fragments(layout: rt.TableLayout) -> tuple[tuple[bytes, ...], tuple[int, ...]]:
    """A layout's table XML split around its number slots: fixed parts (UTF-8) and the slot
    index that follows each of them but the last. Rendered once per process from the skeleton
    by `_table` itself, so a filled table comes out exactly as `_table` would write it."""
    parts = _table(rt.skeleton(layout)).split(rt.SLOT_MARK)
    return tuple(p.encode("utf-8") for p in parts[0::2]), tuple(int(i) for i in parts[1::2])


_NUMBER_XML: dict[str, bytes] = {}  # a number's escaped UTF-8 bytes; the same few recur


def _table_parts(table: rc.Table) -> list[bytes]:
    """A table's XML in pieces, to be joined with the rest of the document."""
    layout = table.layout
    if not isinstance(layout, rt.TableLayout) or len(table.numbers) != len(layout.spans):
        return [_table(table).encode("utf-8")]
    fixed, order = _table_fragments(layout)
    return rt.fill_table(fixed, order, table, _x, _NUMBER_XML)


def _table_bytes(table: rc.Table) -> bytes:
    return b"".join(_table_parts(table))


_DOCUMENT_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>'
).encode()


@cache
def _tail() -> str:
    return _sect_pr() + "</w:body></w:document>"


# A paragraph of a known kind with text and no lead, as `_para` writes it: up to its text,
# and after it (most paragraphs of a report, put in without a call each)
_OPEN = {
    kind: _para_start(kind) + '<w:r><w:t xml:space="preserve">'
    for kind in (rc.TITLE, rc.PREAMBLE, rc.H1, rc.H2, rc.BODY, rc.SIGNATURE, rc.DATE)
}
_CLOSE = "</w:t></w:r></w:p>"


def document_bytes(doc: rc.Document) -> bytes:
    """`word/document.xml`, UTF-8."""
    body: list[bytes] = [_DOCUMENT_START]
    text: list[str] = []  # paragraphs since the last table, encoded together
    for block in doc.blocks:
        if isinstance(block, rc.Table):
            body.append("".join(text).encode("utf-8"))
            text = []
            body += _table_parts(block)
            continue
        kind = block.kind
        if kind == rc.SIGNATURE:
            text.append("<w:p/>")  # one blank line between the text and the signature
        opening = _OPEN.get(kind)
        if opening is not None and block.text and not block.lead:  # what `_para` writes
            text += (opening, _x(block.text), _CLOSE)
        else:
            text.append(_para(block))
    text.append(_tail())
    body.append("".join(text).encode("utf-8"))
    return b"".join(body)


def core_xml(doc: rc.Document) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_x(doc.title)}</dc:title><dc:creator>{_x(doc.agency)}</dc:creator>"
        "<dc:language>zh-CN</dc:language></cp:coreProperties>"
    )


def render_document(doc: rc.Document) -> bytes:
    assets = _asset_records()
    return dz.archive(
        [
            assets[0],
            assets[1],
            dz.records(dz.stored("docProps/core.xml", core_xml(doc).encode("utf-8"))),
            assets[2],
            dz.records(dz.deflated("word/document.xml", document_bytes(doc))),
            *assets[3:],
        ]
    )


@cache  # the package's fixed parts deflated once per process
def _asset_records() -> tuple[dz.Records, ...]:
    return tuple(
        dz.records(dz.deflated(name, payload, fixed=True)) for name, payload in _assets()
    )


def render(data: dict[str, Any]) -> bytes:
    """Report data (valid against the schema) → DOCX bytes."""
    return render_document(rm.build(data))
