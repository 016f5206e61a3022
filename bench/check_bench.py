"""What checking one read workbook costs, ours against the general paths, in the same run.

    python bench/check_bench.py [-n 300] [--corpus DIR] [--repeat 7]

Generates N filled workbooks (bench/corpus.py; or takes the .xlsx of --corpus), reads each once
(`read_source`), then times, in CPU time of this process (the machine may be shared), per
workbook, the best of --repeat passes over all of them:
- `check_source` as `xxgk convert` calls it, and the same with the straight-line function
  switched off (the schema through fastcheck's closures and the arithmetic loop, as before);
- the schema part alone: the straight-line function against fastcheck + the arithmetic loop;
- each rule (rules.py, narrative.py) alone;
- `clean_data` of the report, orjson first against the walk alone;
- `check_source` right after reading each workbook, as the pipeline runs it (caches cold).
Prints ms per workbook and the ratios old/ours.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate  # noqa: E402

from xxgk.check import validate as v  # noqa: E402
from xxgk.check.source import Source, check_source  # noqa: E402
from xxgk.files.read import read_source  # noqa: E402
from xxgk.format import clean  # noqa: E402


def best_ms(fn: Callable[[Any], Any], items: list[Any], repeat: int) -> float:
    """CPU ms per item of the fastest of `repeat` passes."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - t0)
    return best / len(items) * 1e3


def general_schema(data: Any) -> bool:
    """The schema part the way validate took it before the straight-line function."""
    fast = v._fast()
    assert fast is not None
    if not fast.conforms(data):
        return False
    for site in fast.arithmetic:
        node = data
        for key in site.path:
            node = node[key]
        if any(True for _ in v.arithmetic_failures(site.rules, node)):
            return False
    return True


def without_straight_line(source: Source) -> Any:
    saved = v._clean
    v._clean = lambda: None  # type: ignore[assignment]
    try:
        return check_source(source)
    finally:
        v._clean = saved


def cold(paths: list[Path]) -> float:
    """check_source right after each read, as the pipeline runs it: CPU ms per workbook."""
    spent = 0.0
    for path in paths:
        source = read_source(path)
        t0 = time.process_time()
        check_source(source)
        spent += time.process_time() - t0
    return spent / len(paths) * 1e3


def line(label: str, ours: float, old: float | None = None) -> None:
    ratio = f"   old/ours {old / ours:5.2f}x (old {old:.3f} ms)" if old is not None else ""
    print(f"{label:34s} {ours:7.3f} ms{ratio}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or Path(tmp)
        if args.corpus is None:
            generate(folder, args.n, seed=16)
        paths = sorted(folder.glob("*.xlsx"))
        sources = [read_source(p) for p in paths]
        datas = [s.data for s in sources]
        clean_fn = v._compiled_clean()
        assert clean_fn is not None and all(clean_fn(d) == general_schema(d) for d in datas)
        assert all(
            [f.to_dict() for f in check_source(s)]
            == [f.to_dict() for f in without_straight_line(s)]
            for s in sources
        )
        print(f"workbooks: {len(paths)}, CPU time, best of {args.repeat} passes")
        r = args.repeat
        ours = best_ms(check_source, sources, r)
        line("check_source vs straight-line off", ours, best_ms(without_straight_line, sources, r))
        line("schema + arithmetic", best_ms(clean_fn, datas, r), best_ms(general_schema, datas, r))
        for rule in v.RULES:
            line(f"  rule {rule.fn.__name__}", best_ms(lambda d, f=rule.fn: list(f(d)), datas, r))
        walk = clean._walk_needs_cleaning
        line("clean_data vs the walk", best_ms(clean.clean_data, datas, r), best_ms(walk, datas, r))
        line("check_source after each read", min(cold(paths) for _ in range(3)))


if __name__ == "__main__":
    main()
