"""How long the extractors of `xxgk import` take, against the libraries' own readers in the
same run.

    python bench/import_bench.py [-n 200] [--pdf-n 10]

Renders N varied valid reports (render_bench's generator) as HTML and DOCX, and --pdf-n of them
as PDF through LibreOffice (skipped without it); the rendering is not timed. Then times, per
document:
- HTML: `html_document` against lxml's parse alone (the floor: no walk, no table grid);
- DOCX: `docx_document` (the zip guard, python-docx's open, our walk of the body) against
  python-docx opening the file and reading `cell.text` of every `row.cells` of every table;
- PDF: `pdf_document` against pdfplumber's own `extract_tables()` and `extract_text()` on every
  page, per document and per page.
Prints the median and p95 of wall-clock time, the median CPU time of this process (steadier on
a shared machine) and the ratio ours/baseline.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx  # noqa: E402
import lxml.html  # noqa: E402
import pdfplumber  # noqa: E402
from render_bench import make_reports  # noqa: E402

from xxgk.files.pdf import docx_to_pdf  # noqa: E402
from xxgk.published.docx import docx_document  # noqa: E402
from xxgk.published.html import html_document  # noqa: E402
from xxgk.published.pdftext import pdf_document  # noqa: E402
from xxgk.report.docx import render as render_docx  # noqa: E402
from xxgk.report.html import render as render_html  # noqa: E402

Times = tuple[list[float], list[float]]


def per_doc(fn: Callable[[bytes], object], files: list[bytes]) -> Times:
    wall, cpu = [], []
    for raw in files:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(raw)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def _line(label: str, times: Times, unit: str = "documents") -> str:
    wall, cpu = times
    med = statistics.median(wall) * 1e3
    p95 = statistics.quantiles(wall, n=20)[-1] * 1e3 if len(wall) > 1 else med
    return (
        f"{label:<40} median {med:8.2f} ms  p95 {p95:8.2f} ms"
        f"  CPU median {statistics.median(cpu) * 1e3:8.2f} ms  ({len(wall)} {unit})"
    )


def _ratio(label: str, ours: Times, base: Times) -> str:
    wall = statistics.median(ours[0]) / statistics.median(base[0])
    cpu = statistics.median(ours[1]) / statistics.median(base[1])
    return f"ratio {label}: {wall:.2f}x wall, {cpu:.2f}x CPU"


def lxml_parse(raw: bytes) -> None:
    lxml.html.document_fromstring(raw)


def python_docx_cells(raw: bytes) -> None:
    document = docx.Document(io.BytesIO(raw))
    for paragraph in document.paragraphs:
        paragraph.text  # noqa: B018
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                cell.text  # noqa: B018


def pdfplumber_own(raw: bytes) -> None:
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
            page.close()


def page_count(raw: bytes) -> int:
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        return len(pdf.pages)


def per_page(times: Times, pages: list[int]) -> Times:
    return [t / n for t, n in zip(times[0], pages, strict=True)], [
        t / n for t, n in zip(times[1], pages, strict=True)
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--pdf-n", type=int, default=10)
    args = ap.parse_args()
    reports = make_reports(args.n)
    htmls = [render_html(r) for r in reports]
    docxs = [render_docx(r) for r in reports]
    html_document(htmls[0]), docx_document(docxs[0]), python_docx_cells(docxs[0])  # warm up
    print(f"reports: {len(reports)}")
    ours, base = per_doc(html_document, htmls), per_doc(lxml_parse, htmls)
    print(_line("xxgk html_document", ours))
    print(_line("lxml parse only", base))
    print(_ratio("html_document / lxml parse", ours, base))
    ours, base = per_doc(docx_document, docxs), per_doc(python_docx_cells, docxs)
    print(_line("xxgk docx_document", ours))
    print(_line("python-docx, every row.cells", base))
    print(_ratio("docx_document / python-docx", ours, base))
    soffice = shutil.which("soffice")
    if not soffice or not args.pdf_n:
        print("PDF: LibreOffice not found (or --pdf-n 0), skipped")
        return
    step = max(1, len(docxs) // args.pdf_n)
    pdfs = [docx_to_pdf(raw, soffice) for raw in docxs[::step][: args.pdf_n]]
    pages = [page_count(raw) for raw in pdfs]
    pdf_document(pdfs[0])  # warm up
    ours, base = per_doc(pdf_document, pdfs), per_doc(pdfplumber_own, pdfs)
    print(f"PDF pages per document: median {statistics.median(pages):.0f}")
    print(_line("xxgk pdf_document", ours))
    print(_line("pdfplumber extract_tables + extract_text", base))
    print(_line("xxgk pdf_document, per page", per_page(ours, pages), "documents"))
    print(_line("pdfplumber own, per page", per_page(base, pages), "documents"))
    print(_ratio("pdf_document / pdfplumber's own", ours, base))


if __name__ == "__main__":
    main()
