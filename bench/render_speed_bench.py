"""Rendering's CPU time per report, ours against an older revision's, in the same run.

    python bench/render_speed_bench.py [-n 300] [--against REV] [--rounds 3]
    python bench/render_speed_bench.py --deflate [-n 300]

Makes N distinct workbooks (bench/corpus.py), reads them once with this tree, then times, in
child processes that alternate between this tree's `src/` and REV's (`git archive`), what
`xxgk convert --to json,docx,html` does per report after reading and checking: the report model
(`document.build`), the DOCX and the HTML drawn from it, the JSON, and all of it through
`batch.convert._render_all` (the model built once and shared); then the Markdown from the
model (`convert`'s default formats include it; the targets are for JSON, DOCX and HTML).
CPU time of the child (time.process_time: the machine's cores are shared), the best of two
passes over the corpus in each child, the median over the rounds, with the load average.
Prints each stage's ms per report for both trees and the ratio REV/ours, and whether both
trees wrote the same outputs (the DOCX compared by its members' uncompressed bytes, as
tests/test_outputs_unchanged.py does: the deflate differs).

`--deflate`: the deflate of the reports' document.xml (what report/docxzip.py chooses its level
by), ISA-L's levels and zlib's, timed in turn in this process (the best of five passes): CPU
µs and kilobytes per report, each against the level used (ISA-L's 0).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# main before issue 16's sixth round of rendering work (document.xml deflated at ISA-L's level
# 0, a table's counts encoded once for both formats, a layout's reads in runs of rows); the
# fifth round's start was 6350d46 (table numbers printed in one pass, the 图解 from its values),
# the fourth's 1e25056 (ISA-L deflate, lazy table cells)
BEFORE = "24059de"
STAGES = ("model", "docx", "html", "json", "all", "md")
FORMATS = ["json", "docx", "html"]


def child(src: str, data_file: str) -> None:
    sys.path.insert(0, src)
    from xxgk.batch.convert import _render_all
    from xxgk.batch.summary import CONVERTED, ItemResult
    from xxgk.report.registry import RENDERERS, build_document

    reports = json.loads(Path(data_file).read_text("utf-8"))
    tick = time.process_time
    docx, html, js, md = (RENDERERS[f] for f in ("docx", "html", "json", "md"))
    for data in reports[:5]:  # templates, layouts and caches made once per process
        _render_all(data, FORMATS, ItemResult(0, "x", CONVERTED))
    best = dict.fromkeys(STAGES, float("inf"))
    digest = hashlib.sha256()
    for rep in range(2):
        spent = dict.fromkeys(STAGES, 0.0)
        for data in reports:
            t0 = tick()
            document = build_document(data)
            t1 = tick()
            docx_bytes = docx.render_doc(document)  # type: ignore[misc]
            t2 = tick()
            html_bytes = html.render_doc(document)  # type: ignore[misc]
            t3 = tick()
            json_bytes = js.render(data)
            t4 = tick()
            _render_all(data, FORMATS, ItemResult(0, "x", CONVERTED))
            t5 = tick()
            md_bytes = md.render_doc(document)  # type: ignore[misc]
            t6 = tick()
            for stage, took in zip(
                STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True
            ):
                spent[stage] += took
            if rep == 0:
                digest.update(json_bytes + html_bytes + md_bytes)
                with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
                    for info in z.infolist():
                        digest.update(info.filename.encode() + z.read(info))
        for stage in STAGES:
            best[stage] = min(best[stage], spent[stage] / len(reports) * 1e3)
    print(json.dumps({"ms": best, "outputs": digest.hexdigest()}))


def _reports(n: int, folder: Path) -> list[Any]:
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT / "src"))
    from corpus import generate

    from xxgk.files.read import read_source

    folder.mkdir()
    generate(folder, n, seed=16)
    return [read_source(p).data for p in sorted(folder.glob("*.xlsx"))]


def deflate_levels(reports: list[Any]) -> None:
    import zlib

    from isal import isal_zlib

    from xxgk.report.docx import document_bytes
    from xxgk.report.registry import build_document

    xmls = [document_bytes(build_document(data)) for data in reports]
    ways = {f"isal {n}": (isal_zlib, n) for n in (0, 1, 2, 3)}
    ways.update({f"zlib {n}": (zlib, n) for n in (1, 3, 6)})
    spent = dict.fromkeys(ways, float("inf"))
    for _ in range(5):
        for name, (lib, level) in ways.items():
            t0 = time.process_time()
            for xml in xmls:
                lib.compress(xml, level, -15)
            spent[name] = min(spent[name], (time.process_time() - t0) / len(xmls) * 1e6)
    size = {
        name: sum(len(lib.compress(x, level, -15)) for x in xmls) / len(xmls) / 1024
        for name, (lib, level) in ways.items()
    }
    ours = "isal 0"
    print(f"document.xml: {sum(map(len, xmls)) / len(xmls) / 1024:.1f} KB per report")
    print(f"{'deflate':8s} {'CPU µs':>8s} {'KB':>6s} {'time/ours':>10s} {'size/ours':>10s}")
    for name in ways:
        print(
            f"{name:8s} {spent[name]:8.1f} {size[name]:6.1f} {spent[name] / spent[ours]:9.2f}× "
            f"{size[name] / size[ours]:9.2f}×"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=300, help="workbooks in the corpus")
    ap.add_argument("--against", default=BEFORE, help="the revision to compare with")
    ap.add_argument("--rounds", type=int, default=3, help="child runs per tree")
    ap.add_argument("--deflate", action="store_true", help="time the deflate levels instead")
    ap.add_argument("--child", nargs=2, metavar=("SRC", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.deflate:
            deflate_levels(_reports(args.n, work / "corpus"))
            return
        data_file = work / "reports.json"
        data_file.write_text(json.dumps(_reports(args.n, work / "corpus"), ensure_ascii=False))
        from startup_bench import checkout  # bench/ is this script's folder

        trees = {args.against: checkout(args.against, work / "old"), "ours": ROOT / "src"}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, src in trees.items():
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(src), str(data_file)],
                    check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                runs[name].append(json.loads(out))
    old, ours = (runs[name] for name in trees)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.n} reports, CPU ms per report (median of {args.rounds} runs, best of 2 passes)")
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    print(f"{'stage':8s} {args.against:>10s} {'ours':>8s} {'ratio':>7s}")
    for stage in STAGES:
        a = statistics.median(r["ms"][stage] for r in old)
        b = statistics.median(r["ms"][stage] for r in ours)
        print(f"{stage:8s} {a:10.3f} {b:8.3f} {a / b:6.2f}×")
    same = {r["outputs"] for r in old} == {r["outputs"] for r in ours}
    print("outputs identical:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
