"""How long rendering the narrative report takes, against python-docx in the same run.

    python bench/render_bench.py [-n 200] [--baseline-n 20]

Generates N varied valid reports (random figures; narrative fields sometimes left blank, so the
generated paragraphs are exercised; texts of varied length), then times per report:
- ours: the report model built once and drawn as DOCX and HTML (what `xxgk convert --to
  docx,html` does per report), and each format alone from the data (`render(data)`, which
  builds the model itself), and the model build alone;
- baseline: the same document (same content, same styles and fonts, same merged tables) built
  naively with python-docx, cell by cell, and saved to memory. It takes seconds per report
  (python-docx looks cells up and merges them by scanning the table), so by default it runs on
  an evenly spread subset of 20 of the reports (`--baseline-n`, 0 = all).
Prints, per report, the median and p95 of wall-clock time and the median CPU time of this
process (steadier on a shared machine), and the ratio baseline/ours.

Timed separately, on subsets (`--graphic-n`, `--pdf-n`; 0 = skip), as ratios to DOCX+HTML: the
图解 (PNG and SVG, matplotlib) and the PDF (the DOCX through LibreOffice headless, one process
start per report, as `xxgk convert --to pdf` does; skipped without LibreOffice).
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import random
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import docx  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from xxgk.format import arithmetic as ar  # noqa: E402
from xxgk.format import model as m  # noqa: E402
from xxgk.format.arithmetic import compute_totals  # noqa: E402
from xxgk.report import content as rc  # noqa: E402
from xxgk.report import document as rm  # noqa: E402
from xxgk.report.docx import render as render_docx  # noqa: E402
from xxgk.report.docx import render_document as docx_from_model  # noqa: E402
from xxgk.report.html import render as render_html  # noqa: E402
from xxgk.report.html import render_document as html_from_model  # noqa: E402

SENTENCE = "本机关认真落实政府信息公开工作要求，规范信息发布流程，及时回应社会关切。"


def make_reports(n: int, seed: int = 4) -> list[dict]:
    rng = random.Random(seed)
    base = json.loads(
        resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8")
    )
    totals = {m.pointer(p) for p in ar.total_paths()}
    texts = [
        ("overview", "proactive"),
        ("overview", "on_request"),
        ("overview", "management"),
        ("overview", "platform"),
        ("overview", "oversight"),
        ("other_matters", "text"),
    ]
    out = []
    for i in range(n):
        data = copy.deepcopy(base)
        data["agency"]["name"] = f"某县第{i + 1}局"
        for leaf in m.leaves():
            if leaf.kind not in m.NUMERIC_KINDS or leaf.pointer in totals:
                continue
            node = data
            for key in leaf.path[:-1]:
                node = node[key]
            zero = rng.random() < 0.6  # most cells of a real report are 0
            value = 0 if zero else rng.randint(1, 300)
            node[leaf.path[-1]] = round(value * 1.37, 2) if leaf.kind == m.AMOUNT else value
        data = compute_totals(data)
        req = data["requests"]
        for col in m.APPLICANT_PARTS:
            req["carried_over"][col.id] = 0
            req["new"][col.id] = req["results"]["total"][col.id] + req["carried_forward"][col.id]
        for section, key in texts:
            if rng.random() < 0.4:
                data[section][key] = ""  # left blank: the paragraph is generated
            elif rng.random() < 0.5:
                data[section][key] = "\n".join(SENTENCE * rng.randint(1, 12) for _ in range(3))
        out.append(compute_totals(data))
    return out


# ---------------------------------------------------------------------------------------------
# The baseline: the same document with python-docx, cell by cell.


def _fonts(run_or_style, name: str, size: float) -> None:
    run_or_style.font.name = name
    run_or_style.font.size = Pt(size)
    r_pr = run_or_style.element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def naive_docx(data: dict) -> bytes:
    doc = rm.build(data)
    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = d.styles["Normal"]
    _fonts(normal, "仿宋_GB2312", 16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28.95)
    pf.first_line_indent = Pt(32)
    fonts = {rc.TITLE: ("方正小标宋简体", 22), rc.H1: ("黑体", 16), rc.H2: ("楷体_GB2312", 16)}
    for block in doc.blocks:
        if isinstance(block, rc.Table):
            _naive_table(d, block)
            continue
        p = d.add_paragraph()
        if block.kind == rc.TITLE:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if block.kind in (rc.SIGNATURE, rc.DATE):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if block.lead:
            _fonts(p.add_run(block.lead), "楷体_GB2312", 16)
        name, size = fonts.get(block.kind, ("仿宋_GB2312", 16))
        _fonts(p.add_run(block.text), name, size)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        run = footer.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)
    footer.add_run(" —")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _naive_table(d, table: rc.Table) -> None:
    rows = [*table.head, *(r for body in table.bodies for r in body)]
    t = d.add_table(rows=len(rows), cols=table.columns)
    t.style = "Table Grid"
    total = sum(table.widths)
    taken: set[tuple[int, int]] = set()
    origins = []
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            origins.append((r, c, cell))
            c += cell.colspan
    for r, c, cell in origins:
        target = t.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        para = target.paragraphs[0]
        para.paragraph_format.first_line_indent = Pt(0)
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.left else WD_ALIGN_PARAGRAPH.CENTER
        _fonts(para.add_run(cell.text), "黑体" if cell.header else "仿宋_GB2312", 10.5)
    for i, col in enumerate(t.columns):
        col.width = Mm(156 * table.widths[i] / total)


# ---------------------------------------------------------------------------------------------


def per_report(fn, reports: list[dict]) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for r in reports:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(r)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def _line(label: str, times: tuple[list[float], list[float]]) -> str:
    wall, cpu = times
    med = statistics.median(wall) * 1e3
    p95 = statistics.quantiles(wall, n=20)[-1] * 1e3
    return (
        f"{label:<32} median {med:8.2f} ms  p95 {p95:8.2f} ms"
        f"  CPU median {statistics.median(cpu) * 1e3:8.2f} ms  ({len(wall)} reports)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--baseline-n", type=int, default=20)
    ap.add_argument("--graphic-n", type=int, default=20)
    ap.add_argument("--pdf-n", type=int, default=5)
    args = ap.parse_args()
    reports = make_reports(args.n)
    step = max(1, len(reports) // args.baseline_n) if args.baseline_n else 1
    subset = reports[::step][: args.baseline_n or None]
    render_docx(reports[0]), render_html(reports[0]), naive_docx(reports[0])  # warm up

    def both_formats(data: dict) -> None:
        doc = rm.build(data)  # once for both formats, as `xxgk convert` does
        docx_from_model(doc), html_from_model(doc)

    both = per_report(both_formats, reports)
    model = per_report(rm.build, reports)
    only_docx = per_report(render_docx, reports)
    only_html = per_report(render_html, reports)
    naive = per_report(naive_docx, subset)
    print(f"reports: {len(reports)}")
    print(_line("xxgk DOCX + HTML (one model)", both))
    print(_line("xxgk report model alone", model))
    print(_line("xxgk DOCX", only_docx))
    print(_line("xxgk HTML", only_html))
    print(_line("python-docx DOCX, cell by cell", naive))
    for label, ours in (("DOCX", only_docx), ("DOCX+HTML", both)):
        wall = statistics.median(naive[0]) / statistics.median(ours[0])
        cpu = statistics.median(naive[1]) / statistics.median(ours[1])
        print(f"ratio python-docx DOCX / xxgk {label}: {wall:.0f}x wall, {cpu:.0f}x CPU")
    _separately(reports, both, args.graphic_n, args.pdf_n)


def _separately(reports: list[dict], both: tuple, graphic_n: int, pdf_n: int) -> None:
    """The 图解 and the PDF, each against DOCX+HTML of this run."""
    from xxgk.files import pdf
    from xxgk.report import graphic

    runs = []
    if graphic_n:
        graphic.render_png(reports[0])  # the font cache and matplotlib's imports
        runs.append(("xxgk 图解 PNG", graphic.render_png, reports[:graphic_n]))
        runs.append(("xxgk 图解 SVG", graphic.render_svg, reports[:graphic_n]))
    soffice = pdf.find_soffice()
    if pdf_n and soffice:
        pdf.docx_to_pdf(render_docx(reports[0]), soffice)  # LibreOffice's profile, once
        runs.append(
            (
                "xxgk PDF (DOCX + LibreOffice)",
                lambda d: pdf.docx_to_pdf(render_docx(d), soffice),
                reports[:pdf_n],
            )
        )
    elif pdf_n:
        print("PDF: LibreOffice not found, skipped")
    base = statistics.median(both[0])
    for label, fn, subset in runs:
        times = per_report(fn, subset)
        print(_line(label, times))
        print(f"ratio {label} / DOCX+HTML: {statistics.median(times[0]) / base:.0f}x wall")


if __name__ == "__main__":
    main()
