"""A corpus of distinct, realistic filled workbooks, for the benchmarks and the output test.

The real template (built once by `template.build_template(data=...)`), then for each workbook
its cells rewritten in the xlsx XML with a different consistent report (random counts, totals
with cached values as Excel saves them, agency name, narrative paragraphs of varied length, some
left blank). Deterministic: the same seed gives the same bytes (tests/test_outputs_unchanged.py
keeps hashes of what xxgk makes of them).
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import sys
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from xxgk.format import arithmetic as ar  # noqa: E402
from xxgk.format import model as m  # noqa: E402
from xxgk.format.arithmetic import compute_totals  # noqa: E402

NARRATIVE = [leaf for leaf in m.leaves() if leaf.kind == m.TEXT and not leaf.optional]
TOTALS = {m.pointer(p) for p in ar.total_paths()}
INPUTS = [
    leaf for leaf in m.leaves() if leaf.kind in m.NUMERIC_KINDS and leaf.pointer not in TOTALS
]
NUMBERS = [leaf for leaf in m.leaves() if leaf.kind in m.NUMERIC_KINDS]


# -- realistic reports ------------------------------------------------------------------------


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _set(data: Any, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _sentences(base: dict[str, Any]) -> list[str]:
    text = "".join(str(_get(base, leaf.path)) for leaf in NARRATIVE)
    # Sentences saying "no requests / no litigation" would contradict the random tables.
    return [s + "。" for s in text.split("。") if s.strip() and "未" not in s]


def make_report(rng: random.Random, base: dict[str, Any], pool: list[str], i: int) -> dict:
    """A consistent report: small counts (often 0), balanced table 三, varied narrative."""
    data = copy.deepcopy(base)
    data["agency"]["name"] = f"示例县第{i + 1}局"
    for leaf in INPUTS:
        if leaf.kind == m.AMOUNT:
            value: Any = round(rng.uniform(0, 500), 2) if rng.random() < 0.3 else 0
        else:
            value = 0 if rng.random() < 0.6 else rng.randint(1, 12)
        _set(data, leaf.path, value)
    data = compute_totals(data)
    req = data["requests"]
    for col in m.APPLICANT_PARTS:  # 一 + 二 = （七） + 四: derive 一 and 二 from the outcomes
        outcome = req["results"]["total"][col.id] + req["carried_forward"][col.id]
        carried = min(req["carried_over"][col.id], outcome)
        req["carried_over"][col.id] = carried
        req["new"][col.id] = outcome - carried
    data = compute_totals(data)
    for leaf in NARRATIVE:
        if leaf.dotted in ("problems", "improvements"):
            k = rng.randint(1, 8)  # never blank: a blank section 五 is a warning
        else:
            k = 0 if rng.random() < 0.15 else rng.randint(1, 25)
        _set(data, leaf.path, "".join(rng.choice(pool) for _ in range(k)))
    return data


# -- workbooks: the real template, cells rewritten in the XML ---------------------------------

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_STYLE = re.compile(r'\ss="(\d+)"')
_FORMULA = re.compile(r"<f[ >].*?</f>|<f/>", re.S)


class WorkbookFactory:
    """Copies of one real template workbook, each holding a different report."""

    def __init__(self, base: dict[str, Any]) -> None:
        from xxgk.workbook import template as template

        raw = template.workbook_bytes(template.build_template(data=base))
        self.parts: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            self.order = z.namelist()
            for name in self.order:
                self.parts[name] = z.read(name)
        self.cells = self._cell_map()  # part → {A1 ref: leaf}

    def _cell_map(self) -> dict[str, dict[str, m.Leaf]]:
        from lxml import etree

        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        book = etree.fromstring(self.parts["xl/workbook.xml"])
        rels = etree.fromstring(self.parts["xl/_rels/workbook.xml.rels"])
        target = {r.get("Id"): r.get("Target") for r in rels}
        part_of = {}
        for sheet in book.find("m:sheets", ns):
            t = target[sheet.get(f"{{{rel_ns}}}id")].lstrip("/")
            part_of[sheet.get("name")] = t if t.startswith("xl/") else f"xl/{t}"
        by_dotted = {leaf.dotted: leaf for leaf in NUMBERS + NARRATIVE}
        by_dotted["agency.name"] = next(x for x in m.leaves() if x.dotted == "agency.name")
        out: dict[str, dict[str, m.Leaf]] = {}
        for dn in book.iterfind("m:definedNames/m:definedName", ns):
            leaf = by_dotted.get(dn.get("name"))
            if leaf is None or dn.get("localSheetId") is not None:
                continue
            sheet, ref = dn.text.rsplit("!", 1)
            sheet = sheet.strip("'").replace("''", "'")
            out.setdefault(part_of[sheet], {})[ref.replace("$", "")] = leaf
        return out

    def variant(self, data: dict[str, Any]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name in self.order:
                payload = self.parts[name]
                if name in self.cells:
                    payload = self._patch(payload.decode("utf-8"), self.cells[name], data)
                # a fixed date: the same report gives the same bytes on every run; deflated as
                # Excel and WPS save (a ZipInfo is stored unless told: the corpus was, until
                # 2026-12-01, which made reading it cheaper than reading what staff send)
                info = zipfile.ZipInfo(name, date_time=(2025, 1, 31, 0, 0, 0))
                z.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
        return out.getvalue()

    @staticmethod
    def _patch(xml: str, cells: dict[str, m.Leaf], data: dict[str, Any]) -> bytes:
        def cell(match: re.Match[str]) -> str:
            ref, attrs, inner = match.group(1), match.group(2), match.group(3) or ""
            leaf = cells.get(ref)
            if leaf is None:
                return match.group(0)
            style = _STYLE.search(attrs)
            s = f' s="{style.group(1)}"' if style else ""
            value = _get(data, leaf.path)
            formula = _FORMULA.search(inner)
            if formula:  # a total: keep the formula, cache the value as Excel would
                return f'<c r="{ref}"{s}>{formula.group(0)}<v>{value}</v></c>'
            if isinstance(value, str):
                text = escape(value)
                return (
                    f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
            return f'<c r="{ref}"{s}><v>{value}</v></c>'

        return _CELL.sub(cell, xml).encode("utf-8")


def generate(folder: Path, n: int, seed: int, flawed_every: int = 0) -> list[dict[str, Any]]:
    """N workbooks wb0…; with `flawed_every` k, every k-th has one input cell off by one, its
    totals left as they were (an arithmetic error, for a run with --force)."""
    base = json.loads(
        resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8")
    )
    rng = random.Random(seed)
    pool = _sentences(base)
    factory = WorkbookFactory(base)
    reports = []
    width = len(str(n))
    for i in range(n):
        data = make_report(rng, base, pool, i)
        if flawed_every and i % flawed_every == flawed_every - 1:
            leaf = rng.choice([x for x in INPUTS if x.kind != m.AMOUNT])
            _set(data, leaf.path, _get(data, leaf.path) + 1)
        (folder / f"wb{i:0{width}d}.xlsx").write_bytes(factory.variant(data))
        reports.append(data)
    return reports


def check_generated(folder: Path, reports: list[dict[str, Any]], k: int = 3) -> None:
    """Benchmarking unreadable workbooks would measure nothing: read a few back first."""
    from xxgk.check.source import check_source
    from xxgk.files.read import read_source
    from xxgk.format.jsonio import dump_report

    for i, path in enumerate(sorted(folder.glob("*.xlsx"))[:k]):
        source = read_source(path)
        if not source.readable:
            sys.exit(f"generated workbook unreadable: {source.error}")
        errors = [f for f in check_source(source) if f.is_error]
        expected = {k: v for k, v in reports[i].items() if k != "$schema"}  # no cell for it
        if errors or dump_report(source.data) != dump_report(expected):
            sys.exit(f"generated workbook {path} does not read back: {errors[:3]}")
