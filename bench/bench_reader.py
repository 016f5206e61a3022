"""Time reading one filled workbook: xxgk's reader against openpyxl's full load.

    python bench/bench_reader.py [N]

Prints the median of N reads (default 50) of the bundled example, filled into the template,
for: the xxgk workbook reader (guard + workbook.xml + formula scan + python-calamine + core),
its parts, and `openpyxl.load_workbook` (full load, and read_only + data_only) as baselines.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import openpyxl  # noqa: E402

from xxgk.files.read import read_source  # noqa: E402
from xxgk.workbook.package import open_package  # noqa: E402
from xxgk.workbook.template import build_template  # noqa: E402


def median_ms(fn: Callable[[], object], n: int) -> float:
    fn()  # warm up imports and caches
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    data = json.loads(
        resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8")
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "filled.xlsx"
        build_template(data=data).save(path)
        assert read_source(path).readable
        rows = [
            ("xxgk reader (read_source)", lambda: read_source(path)),
            ("  of which: zip guard (inflate, checks)", lambda: open_package(path.read_bytes())),
            ("openpyxl.load_workbook (full)", lambda: openpyxl.load_workbook(path)),
            (
                "openpyxl.load_workbook (read_only, data_only)",
                lambda: openpyxl.load_workbook(path, read_only=True, data_only=True).close(),
            ),
        ]
        results = [(label, median_ms(fn, n)) for label, fn in rows]
    base = results[0][1]
    print(f"{path.name}: median of {n} reads")
    for label, ms in results:
        print(f"  {label:<48} {ms:8.2f} ms  ({ms / base:5.1f}x reader)")


if __name__ == "__main__":
    main()
