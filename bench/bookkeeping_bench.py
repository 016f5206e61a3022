"""Checking, turning cells into data, and convert's own bookkeeping: ours against an older
revision's, in the same run.

    python bench/bookkeeping_bench.py [-n 1000] [--corpus DIR] [--against REV] [--rounds 3]
                                      [--jobs 2]

Takes the .xlsx of --corpus (or makes N with bench/corpus.py), then runs child processes that
alternate between this tree's `src/` and REV's (`git archive`), each timing per workbook, in
CPU time of the child (time.process_time: the machine's cores are shared), the best of two
passes:
- `read_cells` (workbook/core.py) on the arguments the file reader gave it for each workbook;
- `check_source` on each workbook read;
- the bookkeeping of `runner.run(..., jobs=1)` (the path of `xxgk convert --jobs 1`): all of
  its CPU time but reading, checking, rendering, writing the temp files and the renames
  (kernel work, shown apart), i.e. tasks, results, names, the item store, the summary;
and then the real CLI `xxgk convert DIR --jobs J` (wall, and CPU of all its processes).
Prints the medians over the rounds for both trees, the ratios REV/ours, and whether both trees
gave the same findings, data and summary.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "24059de"  # main before the sixth round's work on checking and bookkeeping
STAGES = ("read_cells", "check", "bookkeeping", "renames")
FORMATS = ["json", "docx", "html"]


def child(src: str, corpus: str, out: str) -> None:
    sys.path.insert(0, src)
    from xxgk.batch import convert, discover, runner
    from xxgk.check.source import check_source
    from xxgk.files.read import read_source
    from xxgk.workbook import core, reader

    tick = time.process_time
    paths = discover.discover([corpus])
    calls: list[tuple[Any, Any]] = []
    real_read_cells = reader.read_cells

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return real_read_cells(*args, **kwargs)

    reader.read_cells = spy  # type: ignore[assignment]
    sources = [read_source(p) for p in paths]
    reader.read_cells = real_read_cells  # type: ignore[assignment]
    digest = hashlib.sha256()
    best = dict.fromkeys(STAGES, float("inf"))
    for rep in range(2):
        t0 = tick()
        for args, kwargs in calls:
            got = core.read_cells(*args, **kwargs)
        best["read_cells"] = min(best["read_cells"], tick() - t0)
        t0 = tick()
        found = [check_source(s) for s in sources]
        best["check"] = min(best["check"], tick() - t0)
        if rep == 0:
            for args, kwargs in calls:
                got = core.read_cells(*args, **kwargs)
                digest.update(repr((got.data, [f.to_dict() for f in got.findings])).encode())
            digest.update(repr([[f.to_dict() for f in fs] for fs in found]).encode())
    spent: dict[str, float] = {}

    def timed(module: Any, name: str, key: str) -> None:
        fn = getattr(module, name)

        def run(*args: Any, **kwargs: Any) -> Any:
            t = tick()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0.0) + tick() - t

        setattr(module, name, run)

    for name in ("read_source", "check_source", "_render_all", "_write_temps"):
        timed(convert, name, "other")
    timed(os, "replace", "renames")
    for _ in range(2):
        shutil.rmtree(out, ignore_errors=True)
        spent.clear()
        t0 = tick()
        runner.run(paths, Path(out), FORMATS, jobs=1)
        total = tick() - t0
        best["bookkeeping"] = min(best["bookkeeping"], total - sum(spent.values()))
        best["renames"] = min(best["renames"], spent["renames"])
    summary = json.loads((Path(out) / "summary.json").read_text("utf-8"))
    for entry in summary["files"]:
        entry["path"] = Path(entry["path"]).name
    digest.update(json.dumps(summary, ensure_ascii=False, sort_keys=True).encode())
    ms = {k: v / len(paths) * 1e3 for k, v in best.items()}
    print(json.dumps({"ms": ms, "same": digest.hexdigest()}))


def cli_run(src: Path, corpus: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(wall, CPU of all its processes) seconds of `xxgk convert CORPUS --jobs J` of `src`, into
    a new folder `out`: the files of a run just deleted make creating files slow on some
    filesystems (ext4 without a journal skips recently freed inodes, one by one), and would
    count against the next run."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    clock = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "convert", str(corpus), "-o", str(out)]
        + ["--to", ",".join(FORMATS), "--jobs", str(jobs), "-q"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    wall = time.perf_counter() - clock
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="workbooks to make (without --corpus)")
    ap.add_argument("--corpus", type=Path, help="a folder of .xlsx to take instead")
    ap.add_argument("--against", default=BEFORE, help="the revision to compare with")
    ap.add_argument("--rounds", type=int, default=3, help="child runs per tree")
    ap.add_argument("--jobs", type=int, default=2, help="processes of the CLI run (0: none)")
    ap.add_argument("--child", nargs=3, metavar=("SRC", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = args.corpus
        if corpus is None:
            sys.path.insert(0, str(ROOT / "bench"))
            from corpus import generate

            corpus = work / "corpus"
            corpus.mkdir()
            generate(corpus, args.n, seed=16)
        n = len(list(corpus.glob("*.xlsx")))
        from startup_bench import checkout  # bench/ is this script's folder

        trees = {args.against: checkout(args.against, work / "old"), "ours": ROOT / "src"}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        cli: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, src in trees.items():
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(src), str(corpus), str(work / "o")],
                    check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                runs[name].append(json.loads(out))
                if args.jobs:
                    out_dir = work / f"cli-{len(cli[name])}-{len(cli)}-{name}"
                    cli[name].append(cli_run(src, corpus, out_dir, args.jobs))
    old, ours = (runs[name] for name in trees)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{n} workbooks, CPU ms per workbook (median of {args.rounds} runs, best of 2 passes)")
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} cores")
    print(f"{'stage':12s} {args.against:>10s} {'ours':>8s} {'ratio':>7s}")
    mine = {}
    for name, rs in runs.items():
        mine[name] = statistics.median(
            sum(r["ms"][s] for s in ("read_cells", "check", "bookkeeping")) for r in rs
        )
    for stage in STAGES:
        a = statistics.median(r["ms"][stage] for r in old)
        b = statistics.median(r["ms"][stage] for r in ours)
        print(f"{stage:12s} {a:10.3f} {b:8.3f} {a / b:6.2f}×")
    a, b = mine[args.against], mine["ours"]
    print(f"{'the three':12s} {a:10.3f} {b:8.3f} {a / b:6.2f}×  (read_cells + check + bookkeeping)")
    if args.jobs:
        for what, k in (("wall s", 0), ("cpu s", 1)):
            a, b = (statistics.median(c[k] for c in cli[name]) for name in trees)
            print(f"{'--jobs ' + str(args.jobs) + ' ' + what:12s} {a:10.2f} {b:8.2f} {a / b:6.2f}×")
    same = {r["same"] for r in old} == {r["same"] for r in ours}
    print("same data, findings and summary:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
