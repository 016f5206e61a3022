"""Rendering's CPU time per report, ours against an older revision's, in the same run.

    python bench/render_speed_bench.py [-n 300] [--against REV] [--rounds 3]

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
# main before issue 16's fifth round of rendering work (table numbers printed in one pass, the
# 图解 from its values, escaping looked for by memchr, the JSON's walk telling the model the
# data is clean); the fourth round's start was 1e25056 (ISA-L deflate, lazy table cells)
BEFORE = "6350d46"
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=300, help="workbooks in the corpus")
    ap.add_argument("--against", default=BEFORE, help="the revision to compare with")
    ap.add_argument("--rounds", type=int, default=3, help="child runs per tree")
    ap.add_argument("--child", nargs=2, metavar=("SRC", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
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
