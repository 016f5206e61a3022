"""How long `xxgk import` takes, per input kind, against a plain reader of the same files in the
same run.

    python bench/import_bench.py [-n 1000] [--pdf-n 1000] [--cli-kind docx] [--cli-runs 3]

Renders N distinct valid reports (render_bench's generator: each its own agency name and its
own figures) as the five kinds an agency publishes, none of it timed:
- md: our Markdown renderer's page, UTF-8;
- txt: the same text as copied out of a web page or Word: no Markdown markup, table cells
  separated by tabs, saved as GB18030 (the legacy encoding, read with its warning);
- html: our web page; docx: our Word file;
- pdf: --pdf-n of the DOCX converted by ONE LibreOffice call (`soffice --headless --convert-to
  pdf --outdir D *.docx`, the fonts mapped as `xxgk convert --to pdf` maps them), cached in a
  temp folder named by the DOCX's digest, so a second run skips the conversion.
Then times, per file, the whole import (`import_report`: extractor, tables, narrative, the full
report) against a baseline that only opens the file with the library a hand-written importer
would start from:
- txt/md: decoding the bytes and splitting them into lines;
- html: lxml's parse alone (no walk, no table grid);
- docx: python-docx opening the file and reading `cell.text` of every `row.cells` of every table
  and every paragraph's text;
- pdf: pdfplumber's own `extract_tables()` and `extract_text()` on every page (per file and per
  page).
Every import is checked afterwards (not timed): its three tables equal the rendered data cell
for cell and it has no error finding. Last, `xxgk import --jobs 2` on the N files of one kind
(--cli-kind), as a fresh process, wall time over --cli-runs runs.
Prints medians and p95 of wall-clock time, the median CPU time of this process (steadier on a
shared machine), the ratio ours/baseline, and the load average before and after.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import docx  # noqa: E402
import lxml.html  # noqa: E402
import pdfplumber  # noqa: E402
import pypdfium2  # noqa: E402
from render_bench import make_reports  # noqa: E402

from xxgk.files.pdf import _environment, find_soffice  # noqa: E402
from xxgk.format import model as m  # noqa: E402
from xxgk.published.reader import import_report  # noqa: E402
from xxgk.report.registry import RENDERERS  # noqa: E402

Times = tuple[list[float], list[float]]
KINDS = ("txt", "md", "html", "docx", "pdf")
TABLE_LEAVES = [leaf for leaf in m.leaves() if leaf.table]
TXT_CODEC = "gb18030"
CPU_FIELDS = ("ru_utime", "ru_stime")


def per_doc(fn: Callable[[bytes], Any], files: list[bytes], keep: list[Any] | None = None) -> Times:
    wall, cpu = [], []
    for raw in files:
        t0, c0 = time.perf_counter(), time.process_time()
        got = fn(raw)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if keep is not None:
            keep.append(got)
    return wall, cpu


def _line(label: str, times: Times, unit: str = "files") -> str:
    wall, cpu = times
    med = statistics.median(wall) * 1e3
    p95 = statistics.quantiles(wall, n=20)[-1] * 1e3 if len(wall) > 1 else med
    return (
        f"  {label:<50} median {med:8.2f} ms  p95 {p95:8.2f} ms"
        f"  CPU median {statistics.median(cpu) * 1e3:8.2f} ms  ({len(wall)} {unit})"
    )


def _ratio(ours: Times, base: Times) -> str:
    wall = statistics.median(ours[0]) / statistics.median(base[0])
    cpu = statistics.median(ours[1]) / statistics.median(base[1])
    return f"  ratio import / baseline: {wall:.2f}x wall, {cpu:.2f}x CPU"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


# -- the inputs ------------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\(.)")


def copied_text(markdown: bytes) -> bytes:
    """Our Markdown page as plain text copied from a portal: headings and bold without their
    marks, a table row as its cells between tabs, the separator rows gone; GB18030."""
    out = []
    for line in markdown.decode("utf-8").splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            line = "\t".join(cells)
        line = line.lstrip("#").strip() if line.startswith("#") else line
        out.append(_ESCAPE.sub(r"\1", line.replace("**", "")))
    return ("\n".join(out) + "\n").encode(TXT_CODEC)


def render_inputs(reports: list[dict]) -> dict[str, list[bytes]]:
    md = [RENDERERS["md"].render(r) for r in reports]
    return {
        "md": md,
        "txt": [copied_text(raw) for raw in md],
        "html": [RENDERERS["html"].render(r) for r in reports],
        "docx": [RENDERERS["docx"].render(r) for r in reports],
    }


def pdfs_of(docxs: list[bytes], cache: Path | None) -> tuple[list[bytes], float | None]:
    """The DOCX as PDFs by one LibreOffice call; (PDFs, seconds the call took or None if cached)."""
    soffice = find_soffice()
    if soffice is None:
        return [], None
    digest = hashlib.sha256(b"".join(hashlib.sha256(d).digest() for d in docxs)).hexdigest()
    folder = (cache or Path(tempfile.gettempdir())) / f"xxgk-import-bench-{digest[:16]}"
    names = [f"r{i:05d}" for i in range(len(docxs))]
    pdf_dir = folder / "pdf"
    if all((pdf_dir / f"{n}.pdf").is_file() for n in names):
        return [(pdf_dir / f"{n}.pdf").read_bytes() for n in names], None
    src = folder / "docx"
    src.mkdir(parents=True, exist_ok=True)
    for name, raw in zip(names, docxs, strict=True):
        (src / f"{name}.docx").write_bytes(raw)
    profile = Path(tempfile.mkdtemp(prefix="xxgk-bench-lo-"))
    t0 = time.perf_counter()
    calls = 0
    try:
        # one call for all; LibreOffice has been seen to stop after a few hundred files with
        # exit 0, so the ones it left are given to another call
        while missing := [n for n in names if not (pdf_dir / f"{n}.pdf").is_file()]:
            if calls == 5:
                raise SystemExit(f"LibreOffice left {len(missing)} PDFs unmade after 5 calls")
            calls += 1
            subprocess.run(
                [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                 "--norestore", "--convert-to", "pdf:writer_pdf_Export", "--outdir",
                 str(pdf_dir), *(str(src / f"{n}.docx") for n in missing)],
                env=_environment(), check=True, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    took = time.perf_counter() - t0
    print(f"PDF: {len(names)} DOCX converted by {calls} LibreOffice call(s) in {took:.0f} s")
    return [(pdf_dir / f"{n}.pdf").read_bytes() for n in names], took


# -- the baselines ---------------------------------------------------------------------------


def decoded_lines(codec: str) -> Callable[[bytes], list[str]]:
    return lambda raw: raw.decode(codec).splitlines()


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


BASELINES: dict[str, tuple[str, Callable[[bytes], Any]]] = {
    "txt": (f"read: decode {TXT_CODEC} + split lines", decoded_lines(TXT_CODEC)),
    "md": ("read: decode UTF-8 + split lines", decoded_lines("utf-8")),
    "html": ("lxml parse only", lxml_parse),
    "docx": ("python-docx, every row.cells + paragraphs", python_docx_cells),
    "pdf": ("pdfplumber extract_tables + extract_text", pdfplumber_own),
}


def page_count(raw: bytes) -> int:
    return len(pypdfium2.PdfDocument(raw))


def per_page(times: Times, pages: list[int]) -> Times:
    return [t / n for t, n in zip(times[0], pages, strict=True)], [
        t / n for t, n in zip(times[1], pages, strict=True)
    ]


def checked(reports: list[dict], imported: list[Any]) -> str:
    """How many imports gave the rendered tables back exactly and had no error finding."""
    same = errors = 0
    for data, got in zip(reports, imported, strict=True):
        errors += any(f.is_error for f in got.findings)
        same += all(_get(got.data, leaf.path) == _get(data, leaf.path) for leaf in TABLE_LEAVES)
    total = len(reports)
    return f"  checked: {same}/{total} with every table cell as rendered, {errors} with errors"


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def bench_kind(kind: str, files: list[bytes], reports: list[dict]) -> None:
    label, baseline = BASELINES[kind]
    import_report(files[0], kind), baseline(files[0])  # warm up: lazy imports, caches
    kept: list[Any] = []
    ours = per_doc(lambda raw: import_report(raw, kind), files, kept)
    base = per_doc(baseline, files)
    mb = statistics.median(len(f) for f in files) / 1024
    print(f"{kind}: {len(files)} distinct files, median {mb:.0f} KB")
    print(_line("xxgk import_report", ours))
    print(_line(label, base))
    print(_ratio(ours, base))
    if kind == "pdf":
        pages = [page_count(raw) for raw in files]
        print(f"  pages per PDF: median {statistics.median(pages):.0f}, {sum(pages)} in all")
        print(_line("xxgk import_report, per page", per_page(ours, pages)))
        print(_line(f"{label}, per page", per_page(base, pages)))
    print(checked(reports, kept))


def bench_cli(kind: str, files: list[bytes], runs: int, jobs: int) -> None:
    """`xxgk import --jobs J` on a folder of the files, in a fresh process each run."""
    work = Path(tempfile.mkdtemp(prefix="xxgk-import-cli-"))
    try:
        inbox = work / "in"
        inbox.mkdir()
        for i, raw in enumerate(files):
            (inbox / f"r{i:05d}.{kind}").write_bytes(raw)
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        walls, cpus = [], []
        for run in range(runs):
            out = work / f"out{run}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "xxgk.cli.main", "import", str(inbox), "-o", str(out),
                 "--jobs", str(jobs), "-q"],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            walls.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its workers
            cpus.append(sum(getattr(after, k) - getattr(before, k) for k in CPU_FIELDS))
            written = len(list(out.glob("r*.json")))
            if done.returncode != 0 or written != len(files):
                print(f"  run {run}: exit {done.returncode}, {written} JSON; {done.stderr[-500:]}")
        med = statistics.median(walls)
        print(
            f"xxgk import --jobs {jobs}, {len(files)} {kind}: median {med:.2f} s wall over {runs}"
            f" runs ({', '.join(f'{w:.2f}' for w in walls)}), {med / len(files) * 1e3:.2f} ms/file;"
            f" CPU of the command and its workers median {statistics.median(cpus):.2f} s"
            f" ({statistics.median(cpus) / len(files) * 1e3:.2f} ms/file)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--pdf-n", type=int, default=1000, help="PDFs (0: none)")
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--cli-kind", default="docx", help="kind for `xxgk import --jobs` (none: skip)")
    ap.add_argument("--cli-runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=None, help="folder for the PDFs (default: temp)")
    args = ap.parse_args()
    kinds = args.kinds.split(",")
    print(f"start: {_load()}")
    reports = make_reports(args.n)
    inputs = render_inputs(reports)
    for kind, files in inputs.items():
        assert len(set(files)) == len(files), f"{kind}: files not distinct"
    if "pdf" in kinds and args.pdf_n:
        pdfs, took = pdfs_of(inputs["docx"][: args.pdf_n], args.cache)
        if pdfs and took is None:
            print(f"PDF: {len(pdfs)} PDFs from the cache (converted in an earlier run)")
        if pdfs:
            inputs["pdf"] = pdfs
        else:
            print("PDF: LibreOffice not found, skipped")
    for kind in kinds:
        if kind in inputs:
            bench_kind(kind, inputs[kind], reports[: len(inputs[kind])])
    if args.cli_kind in inputs and args.cli_runs:
        bench_cli(args.cli_kind, inputs[args.cli_kind], args.cli_runs, args.jobs)
    print(f"end: {_load()}")


if __name__ == "__main__":
    main()
