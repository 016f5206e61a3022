"""Where the wall time of `xxgk convert DIR --jobs 2` goes outside the parallel part (issue 16),
ours against the tree before a change, in the same run:

    python bench/timeline_bench.py [-n 1000] [--repeat 6] [--before REF] [--jobs 2] [--rerun]

Generates N filled workbooks (`bench/corpus.py`), then runs the real command as a whole process
`--repeat` times for each tree, interleaved, each into a new folder. A small wrapper, started
as the process (`--child`), marks from the process's start (ms): the parent's imports done,
the command reaching `runner.run` (the CLI and discovery), the warm-up before the workers fork,
the pool made, the first and the last result back, summary.json and 汇总.csv written, the end.
The marks hook the runner and the pool's functions from outside: what the phases cost, not a
profile. With --rerun each timed run goes into a folder an untimed run of the same tree wrote
first, as when a county converts its folder again after fixing a few workbooks: its summary.json
lists 3N outputs, and each output replaces one. Both trees are compiled to bytecode first, as
an installed package is. Two cores do the parallel part; everything else here is serial, and
costs the whole machine's time.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

MARKS = (
    "imports",
    "run",
    "warm_start",
    "warm_end",
    "pool_made",
    "first_result",
    "last_result",
    "summary_start",
    "summary_end",
    "end",
)


def child(folder: str, out: str, jobs: str, started: float) -> None:
    """The command as `xxgk convert` runs it, with marks on stderr."""

    def mark(label: str) -> None:
        print(f"mark {label} {1000 * (time.time() - started):.1f}", file=sys.stderr, flush=True)

    from xxgk.batch import pool, runner

    mark("imports")
    hooks = {
        (runner, "run"): ("run", None),
        (pool, "warm_up"): ("warm_start", "warm_end"),
        (runner, "write_summary"): ("summary_start", "summary_end"),
    }
    for (module, name), (before, after) in hooks.items():
        original = getattr(module, name)

        def hooked(*a: object, _f=original, _b=before, _a=after, **k: object) -> object:
            mark(_b)
            got = _f(*a, **k)
            if _a:
                mark(_a)
            return got

        setattr(module, name, hooked)
    start_pool = pool._Pool._start

    def started_pool(self: object, n: int) -> object:
        made = start_pool(self, n)  # type: ignore[arg-type]
        mark("pool_made")
        return made

    pool._Pool._start = started_pool  # type: ignore[method-assign]
    results = pool._Pool.results

    def marked_results(self: object, chunks: list) -> object:
        first = True
        for item in results(self, chunks):  # type: ignore[arg-type]
            if first:
                mark("first_result")
                first = False
            yield item
        mark("last_result")

    pool._Pool.results = marked_results  # type: ignore[method-assign,assignment]
    from xxgk.cli.main import run

    sys.argv = ["xxgk", "convert", folder, "-o", out, "--to", "json,docx,html", "-q"]
    sys.argv += ["--jobs", jobs]
    with contextlib.suppress(SystemExit):  # the command's exit code: its own business here
        run()
    mark("end")


def one_run(src: Path, folder: Path, out: Path, jobs: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    argv = [sys.executable, __file__, "--child", str(folder), str(out), str(jobs)]
    started = time.time()
    done = subprocess.run([*argv, repr(started)], env=env, capture_output=True, check=False)
    marks = {}
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "mark":
            marks.setdefault(parts[1], float(parts[2]))
    if done.returncode != 0 or "end" not in marks:
        raise SystemExit(f"{argv}: exit {done.returncode}\n{done.stderr.decode()[-2000:]}")
    return marks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=6)
    ap.add_argument("--before", default="c15ed43", help="the commit to compare with (git ref)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--rerun", action="store_true", help="into a folder of an earlier run")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        folder, out, jobs, started = args.child
        child(folder, out, jobs, float(started))
        return
    from corpus import generate
    from startup_bench import checkout  # bench/ is on the path (above)

    with tempfile.TemporaryDirectory(prefix="xxgk-timeline-") as tmp:
        base = Path(tmp)
        folder = base / "in"
        folder.mkdir()
        generate(folder, args.n, args.seed)
        os.sync()
        trees = {
            f"before ({args.before})": checkout(args.before, base / "before"),
            "ours": ROOT / "src",
        }
        for src in trees.values():  # as an installed package has it (PYTHONDONTWRITEBYTECODE)
            compileall.compile_dir(str(src), quiet=1)
        got: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        into = ", each into the folder of an earlier run" if args.rerun else ""
        print(f"{args.n} workbooks, --jobs {args.jobs}{into}, load average {os.getloadavg()}")
        for i in range(args.repeat):
            order = list(trees.items())
            for name, src in order if i % 2 == 0 else reversed(order):
                out = base / f"out-{len(got[name])}-{name[:4]}"
                if args.rerun:
                    one_run(src, folder, out, args.jobs)
                got[name].append(one_run(src, folder, out, args.jobs))
        print("ms from the process's start, medians (min–max):")
        print(f"  {'':16}" + "".join(f"{name:>22}" for name in trees))
        for label in MARKS:
            cells = []
            for name in trees:
                values = [m[label] for m in got[name] if label in m]
                cells.append(
                    f"{statistics.median(values):8.0f} ({min(values):.0f}–{max(values):.0f})"
                    if values
                    else "-"
                )
            print(f"  {label:16}" + "".join(f"{c:>22}" for c in cells))
        print("phases, medians of each run's own differences (ms):")
        spans = (
            ("start to imports", None, "imports"),
            ("CLI, discovery", "imports", "run"),
            ("warm-up", "warm_start", "warm_end"),
            ("pool start", "warm_end", "pool_made"),
            ("to first result", "pool_made", "first_result"),
            ("results", "first_result", "last_result"),
            ("summary", "summary_start", "summary_end"),
            ("after the last result", "last_result", "end"),
        )
        for label, a, b in spans:
            cells = []
            for name in trees:
                values = [
                    m[b] - (m[a] if a else 0.0)
                    for m in got[name]
                    if b in m and (a is None or a in m)
                ]
                cells.append(f"{statistics.median(values):8.0f}" if values else "-")
            print(f"  {label:22}" + "".join(f"{c:>16}" for c in cells))
        print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
