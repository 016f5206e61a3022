"""Peak memory and time of `xxgk aggregate` by the number of inputs (issue 16: flat memory).

    python bench/aggregate_bench.py [--sizes 100,1000,5000] [--workbooks] [--tracemalloc]

Generates the largest N consistent reports once (`bench/corpus.py`: distinct agencies, varied
numbers and narrative; JSON, or with --workbooks real filled workbooks), then for each size runs
the real command, `xxgk aggregate` over a folder holding the first N of them, in a fresh child
process, which reports its peak resident memory (VmHWM; ru_maxrss survives exec on Linux) and,
with --tracemalloc, the peak of Python's own allocations. Prints each size's wall and CPU
seconds, peak MB and the peak relative to the smallest size (target: within 10%).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path[:0] = [str(SRC), str(ROOT / "bench")]

CHILD = """
import resource, sys, time, tracemalloc
if sys.argv[1] == "1":
    tracemalloc.start()
sys.argv = ["xxgk", *sys.argv[2:]]
from xxgk.cli.main import run
t0, c0 = time.perf_counter(), time.process_time()
try:
    run()
except SystemExit as exc:
    code = exc.code
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
traced = tracemalloc.get_traced_memory()[1] / 2**20 if tracemalloc.is_tracing() else 0.0
with open("/proc/self/status") as fh:
    hwm = next(int(l.split()[1]) / 1024 for l in fh if l.startswith("VmHWM:"))
print(f"RESULT {code} {wall:.3f} {cpu:.3f} {hwm:.1f} {traced:.1f}", file=sys.stderr)
"""


def generate(folder: Path, n: int, workbooks: bool) -> list[Path]:
    from corpus import WorkbookFactory, _sentences, make_report

    base = json.loads(
        resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8")
    )
    rng = random.Random(2024)
    pool = _sentences(base)
    factory = WorkbookFactory(base) if workbooks else None
    paths = []
    for i in range(n):
        data = make_report(rng, base, pool, i)
        if factory is not None:
            path = folder / f"r{i:05d}.xlsx"
            path.write_bytes(factory.variant(data))
        else:
            path = folder / f"r{i:05d}.json"
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,5000")
    ap.add_argument("--workbooks", action="store_true", help="inputs as .xlsx, not .json")
    ap.add_argument("--tracemalloc", action="store_true")
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    work = Path(tempfile.mkdtemp(prefix="xxgk-aggbench-"))
    try:
        t0 = time.perf_counter()
        paths = (
            generate(work / "all", sizes[-1], args.workbooks)
            if (work / "all").mkdir() is None
            else []
        )
        print(
            f"generated {len(paths)} reports in {time.perf_counter() - t0:.1f} s; "
            f"cores {os.cpu_count()}, load average {os.getloadavg()}"
        )
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        first = None
        for n in sizes:
            folder = work / f"in{n}"
            folder.mkdir()
            for p in paths[:n]:
                os.link(p, folder / p.name)
            cmd = [
                sys.executable,
                "-c",
                CHILD,
                "1" if args.tracemalloc else "0",
                "aggregate",
                str(folder),
                "-o",
                str(work / f"out{n}" / "汇总"),
                "--agency",
                "示例县人民政府",
                "--year",
                "2024",
                "--address",
                "示例县",
                "--postcode",
                "100000",
                "--phone",
                "010-1",
            ]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            line = [x for x in done.stderr.splitlines() if x.startswith("RESULT ")]
            if not line:
                raise SystemExit(done.stderr[-3000:])
            code, wall, cpu, hwm, traced = line[-1].split()[1:]
            first = first or float(hwm)
            growth = (float(hwm) / first - 1) * 100
            print(
                f"{n:6d} inputs: exit {code}, {float(wall):6.2f} s wall, {float(cpu):6.2f} s cpu, "
                f"peak {float(hwm):6.1f} MB ({growth:+.1f}% over {sizes[0]})"
                + (f", tracemalloc peak {float(traced):.1f} MB" if args.tracemalloc else "")
            )
        print(f"load average after {os.getloadavg()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
