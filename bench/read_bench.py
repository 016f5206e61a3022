"""CPU time of reading one filled workbook (`files.read.read_source`): ours, ours without the value
scan (python-calamine for the values, as before it), and python-calamine alone, in one run.

    python bench/read_bench.py [-n 300] [--repeat 5] [--folder DIR] [--libreoffice K]
                               [--before REF]

On N generated workbooks (bench/corpus.py: the template filled as openpyxl writes it, deflated as
Excel saves), or the .xlsx of --folder, and on K of them saved again by LibreOffice (shared
strings, its own styles and formula flags, as a spreadsheet program writes a file; skipped when
soffice is not installed), prints CPU ms per workbook, the median of --repeat passes over all
files with the rounds interleaved, and the ratios. "calamine alone" is python-calamine opening
the file and reading every sheet: no guard, no checks, no report data (the floor's reading in
bench/pipeline_bench.py), a floor, not a reader. With `--before REF`, that commit's reader (its
src/ taken out of git) and ours each read all files in a fresh process per round, the rounds
interleaved with the others. CPU time, not wall: the machine may be shared.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from xxgk.files.read import read_source  # noqa: E402
from xxgk.workbook import reader  # noqa: E402

SCAN = reader.scan_package


def ours(paths: list[Path]) -> None:
    for path in paths:
        read_source(path)


def without_scan(paths: list[Path]) -> None:
    reader.scan_package = lambda *_: None  # type: ignore[assignment]
    try:
        ours(paths)
    finally:
        reader.scan_package = SCAN


def calamine(paths: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def tree_ms(src: Path, paths: list[Path]) -> float:
    """CPU ms per workbook of `read_source` from the package tree `src`, in a fresh process."""
    code = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(src)!r})\n"
        "from pathlib import Path\n"
        "from xxgk.files.read import read_source\n"
        "paths = [Path(p) for p in sys.argv[1:]]\n"
        "for p in paths[:5]: read_source(p)\n"
        "start = time.process_time()\n"
        "for p in paths: read_source(p)\n"
        "print((time.process_time() - start) / len(paths) * 1000)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, paths)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def cpu_ms(fn: Callable[[list[Path]], None], paths: list[Path]) -> float:
    start = time.process_time()
    fn(paths)
    return (time.process_time() - start) / len(paths) * 1000


def scanned_share(paths: list[Path]) -> float:
    """How many of the files the scan read (the rest went to python-calamine)."""
    read = 0

    def counting(*args: object) -> object:
        nonlocal read
        found = SCAN(*args)  # type: ignore[arg-type]
        read += found is not None
        return found

    reader.scan_package = counting  # type: ignore[assignment]
    try:
        ours(paths)
    finally:
        reader.scan_package = SCAN
    return read / len(paths)


def libreoffice_copies(paths: list[Path], folder: Path) -> list[Path]:
    soffice = shutil.which("soffice")
    if not soffice or not paths:
        return []
    folder.mkdir()
    subprocess.run(
        [soffice, "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML"]
        + ["--outdir", str(folder), *map(str, paths)],
        capture_output=True,
        timeout=600,
        check=False,
    )
    return sorted(folder.glob("*.xlsx"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--libreoffice", type=int, default=30, metavar="K")
    parser.add_argument("--before", metavar="REF", help="a commit whose reader to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.folder:
            generated = sorted(args.folder.glob("*.xlsx"))[: args.n]
        else:
            from corpus import generate

            (Path(tmp) / "generated").mkdir()
            generate(Path(tmp) / "generated", args.n, seed=16)
            generated = sorted((Path(tmp) / "generated").glob("*.xlsx"))
        saved = libreoffice_copies(generated[: args.libreoffice], Path(tmp) / "libreoffice")
        runs: dict[str, Callable[[list[Path]], Any]] = {
            "ours": ours,
            "without scan": without_scan,
            "calamine alone": calamine,
        }
        if args.before:
            from startup_bench import checkout

            old_src = checkout(args.before, Path(tmp) / "before")
            runs["ours, fresh process"] = partial(tree_ms, ROOT / "src")
            runs[f"before {args.before}"] = partial(tree_ms, old_src)
        print(f"read_source, CPU ms per workbook, median of {args.repeat}")
        for label, paths in (("generated", generated), ("LibreOffice-saved", saved)):
            if not paths:
                print(f"  {label}: none (soffice not installed)")
                continue
            for name, fn in runs.items():
                if not name.startswith(("before", "ours, fresh")):
                    fn(paths[:5])  # imports and caches
            times: dict[str, list[float]] = {name: [] for name in runs}
            for _ in range(args.repeat):
                for name, fn in runs.items():
                    fresh = name.startswith(("before", "ours, fresh"))
                    times[name].append(fn(paths) if fresh else cpu_ms(fn, paths))
            got = {name: statistics.median(found) for name, found in times.items()}
            print(
                f"  {label} ({len(paths)}, {scanned_share(paths):.0%} read by the scan): ours "
                f"{got['ours']:.3f}   without scan {got['without scan']:.3f} "
                f"({got['without scan'] / got['ours']:.2f}x ours)   calamine alone "
                f"{got['calamine alone']:.3f} (ours {got['ours'] / got['calamine alone']:.2f}x it)"
            )
            if args.before:
                fresh, before = got["ours, fresh process"], got[f"before {args.before}"]
                print(
                    f"    each in a fresh process: ours {fresh:.3f}   before {args.before} "
                    f"{before:.3f} ({before / fresh:.2f}x ours)"
                )


if __name__ == "__main__":
    main()
