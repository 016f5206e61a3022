"""The web page's tables: cells escaped like every text of the page (markupsafe), the official
row and column spans, sticky row labels in a wide table (see below), each layout's table HTML
rendered once per process and split around its number slots (`table_parts`)."""

from __future__ import annotations

from functools import cache, lru_cache

from markupsafe import Markup, escape

from xxgk.report import content as rc
from xxgk.report import linebreak as lb
from xxgk.report import tables as rt


def esc(text: str) -> str:
    """`str(markupsafe.escape(text))` for a str (the five characters, & first, by the same
    entities), at a fraction of the cost: no Markup object for each of the ~100 texts of a
    page, and a text with none of them (most) only looked through by `in`, which finds a
    character by memchr where `replace` steps through every one."""
    if "&" in text or "<" in text or ">" in text or "'" in text or '"' in text:
        return (
            text.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )
    return text


@lru_cache(maxsize=4096)  # labels and small numbers repeat across reports
def cell_html(cell: rc.Cell) -> Markup:
    """One table cell; built here rather than in a Jinja macro because a report has ~300 of
    them and a macro call costs ten times more. The text is escaped like everything else."""
    tag = "th" if cell.header else "td"
    attrs = f' scope="{cell.scope}"' if cell.header and cell.scope else ""
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.left:
        attrs += ' class="l"'
    text = escape(cell.text)
    # a row group's name is never cut (（三）不/予公开): where it wraps, after its number
    parts = lb.numbered(cell.text) if cell.header and cell.rowspan > 1 else None
    if parts is not None:
        text = Markup(f'{escape(parts[0])}<span class="nb">{escape(parts[1])}</span>')
    return Markup(f"<{tag}{attrs}>{text}</{tag}>")


def _rows(rows: tuple[tuple[rc.Cell, ...], ...]) -> str:
    return "".join("<tr>" + "".join(map(cell_html, row)) + "</tr>\n" for row in rows)


# Sticky row labels: a wide table's leading label columns (table 三's three) stay at the left
# of its scroll box while the numbers scroll beneath them. Every cell that starts in that region
# is sticky at the left edge of its own column, so a label spanning two columns, a row group
# spanning many rows and the corner all stay put together. The label columns get widths in em
# (one set for wide screens, a narrower one for phones), and each sticky cell its offset in both
# (--x, --xn); the number columns get --nw each from the CSS, wide enough for the table's longest
# number (--nd, table_attrs). The table's min-width is the sum, so whenever its box scrolls,
# every column has exactly its set width and the offsets fit.
_LABEL_EM = 24.0  # the label region on a wide screen, shared as the Word widths share it
_PHONE_SHARE_EM = 11.0  # on a phone: the same shares of 11em
# In either, a label column is at least four characters wide (or its longest unbreakable run
# if wider), or just that run for a column whose labels are tall enough to stand a character
# or two a line (a row group); plus the cell's padding and border.
_MIN_CHARS = 4
_PAD_EM = 1.0
# Never starts a line (kept with the character before) / never ends one.
_CLOSING = frozenset("、，。；：！？）」』”’》〉】")
_OPENING = frozenset("（「『“‘《〈【")


def _unbreakable(text: str) -> int:
    """The longest run of characters no line may break inside (a full-width bracket or comma
    stays with its neighbour), counted in characters: a column narrower than that grows."""
    longest = run = 0
    for i, ch in enumerate(text):
        glued = i > 0 and (ch in _CLOSING or text[i - 1] in _OPENING)
        run = run + 1 if glued else 1
        longest = max(longest, run)
    return longest


def _placed(rows: tuple[tuple[rc.Cell, ...], ...]) -> list[list[tuple[rc.Cell, int]]]:
    """Each row's cells with the grid column each starts in (rowspans taken into account)."""
    taken: dict[tuple[int, int], bool] = {}
    out: list[list[tuple[rc.Cell, int]]] = []
    for r, row in enumerate(rows):
        col, placed = 0, []
        for cell in row:
            while (r, col) in taken:
                col += 1
            placed.append((cell, col))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[r + dr, col + dc] = True
            col += cell.colspan
        out.append(placed)
    return out


def _label_columns(table: rc.Table, grid: list[list[tuple[rc.Cell, int]]]) -> int:
    """How many leading columns of a wide table hold row labels: the run of header cells at
    the start of each body row, at its widest (0 for a table without row labels)."""
    if not table.wide:
        return 0
    body = grid[len(table.head) :]
    region = 0
    for placed in body:
        end = placed[0][1] if placed else 0  # columns before it: a row group's, from above
        for cell, col in placed:
            if col != end or not cell.header:
                break
            end = col + cell.colspan
        region = max(region, end)
    return region if region < table.columns else 0


def _label_widths(
    table: rc.Table, grid: list[list[tuple[rc.Cell, int]]], k: int
) -> tuple[list[float], list[float]]:
    """The label columns' widths in em: on a wide screen, and on a phone; never narrower than
    their labels allow (or the column would grow and the offsets of the ones after it miss)."""
    shares = [w / sum(table.widths[:k]) for w in table.widths[:k]]
    wide, phone = [], []
    for c, share in enumerate(shares):
        own = [cell for placed in grid for cell, col in placed if col == c and cell.colspan == 1]
        run = max((_unbreakable(cell.text) for cell in own), default=1)
        tall = bool(own) and all(cell.rowspan >= len(cell.text) for cell in own)
        least = (run if tall else max(run, _MIN_CHARS)) + _PAD_EM
        wide.append(round(max(_LABEL_EM * share, least), 2))
        phone.append(round(max(_PHONE_SHARE_EM * share, least), 2))
    return wide, phone


def _em(value: float) -> str:
    return f"{value:g}em"


def _sticky_cell(cell: rc.Cell, col: int, wide: list[float], phone: list[float]) -> Markup:
    """A label cell with its sticky class and offsets (see above)."""
    plain = str(cell_html(cell))
    tag_end = plain.index(">")
    classes = ("k" if col else "k k0") + (" l" if cell.left else "")
    attrs = plain[:tag_end].replace(' class="l"', "") + f' class="{classes}"'
    if col:
        attrs += f' style="--x:{_em(sum(wide[:col]))};--xn:{_em(sum(phone[:col]))}"'
    return Markup(attrs + plain[tag_end:])


def _geometry(table: rc.Table) -> tuple[float, float, int] | None:
    """A table's sticky label region in em (wide screen, phone) and its number of number
    columns; None for a table without sticky labels."""
    rows = table.head + tuple(row for body in table.bodies for row in body)
    grid = _placed(rows)
    k = _label_columns(table, grid)
    if not k:
        return None
    wide, phone = _label_widths(table, grid, k)
    return sum(wide), sum(phone), table.columns - k


def _table_html(table: rc.Table) -> str:
    """A table from its column group to its last row group (the template writes the wrapper
    and the caption)."""
    rows = table.head + tuple(row for body in table.bodies for row in body)
    grid = _placed(rows)
    k = _label_columns(table, grid)
    if k:
        wide, phone = _label_widths(table, grid, k)
        cols = "".join(
            f'<col class="k" style="--w:{_em(w)};--wn:{_em(p)}">'
            for w, p in zip(wide, phone, strict=True)
        ) + "<col>" * (table.columns - k)

        def row_html(placed: list[tuple[rc.Cell, int]]) -> str:
            return "".join(
                _sticky_cell(cell, col, wide, phone) if col < k else cell_html(cell)
                for cell, col in placed
            )

        lines = ["<tr>" + row_html(placed) + "</tr>\n" for placed in grid]
        head, rest = lines[: len(table.head)], lines[len(table.head) :]
        out = [f"<colgroup>{cols}</colgroup>\n"]
        if head:
            out.append("<thead>\n" + "".join(head) + "</thead>\n")
        for body in table.bodies:
            out.append("<tbody>\n" + "".join(rest[: len(body)]) + "</tbody>\n")
            rest = rest[len(body) :]
        return "".join(out)
    total = sum(table.widths)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in table.widths)
    out = [f"<colgroup>{cols}</colgroup>\n"]
    if table.head:
        out.append(f"<thead>\n{_rows(table.head)}</thead>\n")
    out.extend(f"<tbody>\n{_rows(body)}</tbody>\n" for body in table.bodies)
    return "".join(out)


@cache
def _table_fragments(layout: rt.TableLayout) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A layout's table HTML split around its number slots (fixed parts, and the slot index
    after each but the last), rendered once per process from the skeleton by `_table_html`
    itself, so a filled table comes out exactly as `_table_html` would write it."""
    parts = _table_html(rt.skeleton(layout)).split(rt.SLOT_MARK)
    return tuple(parts[0::2]), tuple(int(i) for i in parts[1::2])


_NUMBER_HTML: dict[str, str] = {}  # a number's escaped text; the same few recur


def table_parts(table: rc.Table) -> Markup:
    return Markup(_parts(table))


def _parts(table: rc.Table) -> str:
    layout = table.layout
    if not isinstance(layout, rt.TableLayout) or len(table.numbers) != len(layout.spans):
        return _table_html(table)
    fixed, order = _table_fragments(layout)
    return "".join(rt.fill_slots(fixed, order, table.numbers, esc, _NUMBER_HTML, False))


@cache
def _layout_geometry(layout: rt.TableLayout) -> tuple[float, float, int] | None:
    return _geometry(rt.skeleton(layout))


def _longest_number(table: rc.Table) -> int:
    counts = table.counts if isinstance(table, rt.FilledTable) else None
    if counts:  # printed as str prints them, none negative: the largest is the longest
        return len(str(max(counts)))
    numbers = table.numbers or tuple(
        cell.text for body in table.bodies for row in body for cell in row if not cell.header
    )
    return max(map(len, numbers), default=1)


# The page's text column (50rem) in the table font's em (14px), and a number column's width
# for `digits` characters, as the CSS works it out (--nw): digits, padding and border.
_PAGE_EM = 57.0


def _number_em(digits: int) -> float:
    return max(4.0, digits * 0.56 + 1)


def table_attrs(table: rc.Table) -> Markup:
    """The table element's class and style attributes (after its id). A table with sticky
    labels also says how many characters its longest number has (--nd): its number columns
    are made that wide, so that wide numbers never squeeze the label columns under the
    offsets the sticky cells keep. Where that would make it wider than the page on a wide
    screen (seven-digit numbers in 表三), it is `tight`: there it fits the page as a plain
    table (its columns a little narrower than set, nothing to scroll, so nothing sticky)."""
    return Markup(_attrs(table))


def _attrs(table: rc.Table) -> str:
    layout = table.layout
    if isinstance(layout, rt.TableLayout) and len(table.numbers) == len(layout.spans):
        geometry = _layout_geometry(layout)
    else:
        geometry = _geometry(table)
    return _attrs_of(geometry, table.wide, _longest_number(table) if geometry else 0)


@lru_cache(maxsize=256)  # a layout's geometry and a count of digits: a few dozen in all
def _attrs_of(geometry: tuple[float, float, int] | None, wide_table: bool, digits: int) -> str:
    classes = ["wide"] if wide_table else []
    style = ""
    if geometry is not None:
        wide, phone, n = geometry
        classes.append("sticky")
        if wide + n * _number_em(digits) > _PAGE_EM:
            classes.append("tight")
        style = f' style="--lw:{_em(wide)};--lwn:{_em(phone)};--n:{n};--nd:{digits}"'
    out = f' class="{" ".join(classes)}"' if classes else ""
    return out + style


_BLOCK_END = b"</table>\n</div>\n"


def table_block_parts(table: rc.Table) -> list[bytes]:
    """A table with what surrounds it on the page (the hint above a wide one, which scrolls on
    a phone, its scroll box and its caption), in UTF-8 pieces: a table of a known layout from
    its fixed parts, encoded once per process, with its numbers between them (rt.fill_slots)."""
    head = _block_head(table.id, table.caption, table.wide, _attrs(table))
    layout = table.layout
    if not isinstance(layout, rt.TableLayout) or len(table.numbers) != len(layout.spans):
        return [head, _table_html(table).encode("utf-8"), _BLOCK_END]
    fixed, order = _table_fragments_utf8(layout)
    return [head, *rt.fill_table(fixed, order, table, esc, _NUMBER_UTF8), _BLOCK_END]


_NUMBER_UTF8: dict[str, bytes] = {}


@cache
def _table_fragments_utf8(layout: rt.TableLayout) -> tuple[tuple[bytes, ...], tuple[int, ...]]:
    fixed, order = _table_fragments(layout)
    return tuple(f.encode("utf-8") for f in fixed), order


@lru_cache(maxsize=256)  # the same three tables' ids and captions, a few attributes each
def _block_head(id_: str, caption: str, wide: bool, attrs: str) -> bytes:
    ident = esc(id_)
    out = []
    if wide:
        fixed = "，左侧项目名称固定不动" if "sticky" in attrs else ""
        out.append(f'<p class="hint" id="{ident}-hint">表格较宽，可左右滑动查看{fixed}。</p>\n')
    described = f' aria-describedby="{ident}-hint"' if wide else ""
    out.append(
        f'<div class="table-wrap" role="region" aria-labelledby="{ident}-caption"{described}'
        f' tabindex="0">\n<table id="{ident}"{attrs}>\n<caption id="{ident}-caption"><span>'
        f"{esc(caption)}</span></caption>\n"
    )
    return "".join(out).encode("utf-8")
