"""The fixed costs of `xxgk convert --jobs 2` around the per-file work (issue 16), ours against
the old path, measured in the same run:

    python bench/fixed_bench.py [-n 1000] [--repeat 5] [--task-ms 7]

- finding the inputs: `discover` of a folder of N files plus the runner's check for inputs in
  the output folder (ours: discover resolves each input once and says which lie there; before:
  the runner resolved each again; old: `Path.resolve()` of every file, three times);
- the end: `write_summary` of N results (old: each entry through `dataclasses.asdict`, and
  every string looked through for a lone surrogate before it is encoded);
- dealing files to two workers: `pool.results` over N tasks that each sleep about --task-ms
  (from half to 1.5 times it: so the figure is the pool's own overhead and the idle tail,
  unaffected by a busy machine's CPUs), wall time over the ideal, half the tasks' total,
  against chunks shrinking towards the end (tried, not taken: no faster).

CPU times (time.process_time) for the first two, medians of --repeat runs; the load average is
printed, as the machine may be shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xxgk.batch import convert, discover, pool, summary  # noqa: E402
from xxgk.batch.summary import CONVERTED, ItemResult, RunResult  # noqa: E402


def cpu_median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        c0 = time.process_time()
        fn()
        times.append(time.process_time() - c0)
    return statistics.median(times)


def old_real(self: Any, path: Path | str) -> str:
    return str(Path(path).resolve())


def finding(folder: Path, out: Path, repeat: int) -> tuple[float, float, float]:
    """Ours (the runner takes discover's finding of the inputs in the output folder), the runner
    resolving each input again (RealPaths twice, before round five), and the old path."""

    def once() -> None:
        paths = discover.discover([str(folder)], exclude=out)
        assert discover.inputs_in(paths, out.resolve()) == []

    def twice() -> None:
        paths = discover.discover([str(folder)], exclude=out)
        here, real = out.resolve(), discover.RealPaths()
        assert len([p.name for p in paths if Path(real(p)).parent == here]) == 0

    ours = cpu_median(once, repeat)
    again = cpu_median(twice, repeat)
    new_real = discover.RealPaths.__call__
    discover.RealPaths.__call__ = old_real  # type: ignore[method-assign]
    try:
        old = cpu_median(twice, repeat)
    finally:
        discover.RealPaths.__call__ = new_real  # type: ignore[method-assign]
    return ours, again, old


def old_entry(item: ItemResult) -> dict[str, Any]:
    entry = dataclasses.asdict(item)
    del entry["index"], entry["temps"], entry["kind"], entry["layout"], entry["findings"]
    return summary.clean_data(entry)


def ending(n: int, out: Path, repeat: int) -> tuple[float, float]:
    items = [
        ItemResult(
            i,
            f"/data/年报/单位{i:05d}.xlsx",
            CONVERTED,
            warnings=1,
            agency=f"示例县第{i}局",
            year=2024,
            warning_codes=["DATE_LATE"],
            problems=["DATE_LATE 基本信息!B11：「成文日期」晚于规定日期"],
            outputs=[f"示例县第{i}局-2024年度.{s}" for s in ("json", "docx", "html")],
        )
        for i in range(n)
    ]
    result = RunResult(items, ("json", "docx", "html"), False)
    ours = cpu_median(lambda: summary.write_summary(out, result), repeat)
    mine = (out / summary.SUMMARY_JSON).read_bytes()
    new_entry = summary._entry_bytes
    summary._entry_bytes = lambda item: summary.dumps_indented(old_entry(item))
    try:
        old = cpu_median(lambda: summary.write_summary(out, result), repeat)
    finally:
        summary._entry_bytes = new_entry
    assert (out / summary.SUMMARY_JSON).read_bytes() == mine, "summary bytes differ"
    return ours, old


def _task_seconds(index: int) -> float:
    """A file's time: --task-ms on average, from half to one and a half times it (files
    differ), the same for a task in every run."""
    return TASK_SECONDS * (0.5 + ((index * 7919) % 101) / 100)


def _sleeping_chunk(tasks: list[convert.Task]) -> list[ItemResult]:
    for t in tasks:  # one sleep a task, so that waking from it costs the same however dealt
        time.sleep(_task_seconds(t.index))
    return [ItemResult(t.index, t.path, CONVERTED) for t in tasks]


_sleeping_chunk.__module__, _sleeping_chunk.__qualname__ = convert.__name__, "convert_chunk"
TASK_SECONDS = 0.007


def _guided_sizes(n: int, jobs: int) -> list[int]:
    """The alternative tried: chunks of a quarter of what is left per worker, shrinking to
    single files at the end."""
    sizes, left = [], n
    while left > 0:
        sizes.append(max(1, min(16, left // (jobs * 4))))
        left -= sizes[-1]
    return sizes


def dealing(n: int, out: Path) -> tuple[float, float, float]:
    """Seconds over the ideal, ours and the guided chunks tried, and the ideal."""
    common = convert.Task(0, "", str(out), ("json",), False, "bench")
    tasks = [dataclasses.replace(common, index=i, path=f"{i}.xlsx") for i in range(n)]
    ideal = sum(_task_seconds(i) for i in range(n)) / 2
    saved = convert.convert_chunk, pool.convert_chunk
    convert.convert_chunk = pool.convert_chunk = _sleeping_chunk  # type: ignore[assignment]
    try:
        runs: dict[str, list[float]] = {"ours": [], "guided": []}
        new_sizes = pool._chunk_sizes
        for _ in range(3):
            for name, sizes in (("ours", new_sizes), ("guided", _guided_sizes)):
                pool._chunk_sizes = sizes  # type: ignore[assignment]
                t0 = time.perf_counter()
                got = list(pool.results(tasks, 2))
                runs[name].append(time.perf_counter() - t0 - ideal)
                assert [r.index for r in got] == list(range(n))
        pool._chunk_sizes = new_sizes
    finally:
        convert.convert_chunk, pool.convert_chunk = saved  # type: ignore[assignment]
    return statistics.median(runs["ours"]), statistics.median(runs["guided"]), ideal


def main() -> None:
    global TASK_SECONDS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--task-ms", type=float, default=7.0)
    args = ap.parse_args()
    TASK_SECONDS = args.task_ms / 1000
    work = Path(tempfile.mkdtemp(prefix="xxgk-fixedbench-"))
    try:
        folder, out = work / "in", work / "out"
        folder.mkdir()
        out.mkdir()
        for i in range(args.n):
            (folder / f"r{i:05d}.xlsx").write_bytes(b"PK")
        print(f"{args.n} inputs; cores {os.cpu_count()}, load average {os.getloadavg()}")
        ours, again, old = finding(folder, out, args.repeat)
        print(f"finding the inputs: {ours * 1000:7.1f} ms cpu, resolved again by the runner "
              f"{again * 1000:7.1f} ms ({again / ours:.2f}× ours), old {old * 1000:7.1f} ms "
              f"({old / ours:.1f}× ours)")
        ours, old = ending(args.n, out, args.repeat)
        print(f"summary.json + 汇总.csv: {ours * 1000:7.1f} ms cpu, old {old * 1000:7.1f} ms "
              f"({old / ours:.1f}× faster)")
        ours, old, ideal = dealing(args.n, out)
        print(f"two workers, {args.task_ms:g} ms a file: {ours * 1000:7.1f} ms wall over the "
              f"ideal {ideal:.2f} s; shrinking chunks (tried) {old * 1000:7.1f} ms "
              f"({old / max(ours, 1e-3):.2f}× ours)")
        print(f"load average after {os.getloadavg()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
