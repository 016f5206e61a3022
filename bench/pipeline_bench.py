"""The whole `xxgk convert` pipeline per workbook, against a naive baseline and a floor, in one run.

    python bench/pipeline_bench.py -n 1000 --jobs 2 [--repeat 3] [--naive-n K] [--keep DIR]

1. Generates N realistic filled workbooks into a temp dir: the real template (built once by
   `template.build_template(data=...)`), then for each workbook its cells rewritten in the xlsx
   XML with a different consistent report (random counts, totals with cached values as Excel
   saves them, agency name, narrative paragraphs of varied length, some left blank). A few are
   read back first to check they hold exactly the report they were made from.
2. Times, on the same files:
   - stages: read (`read_source`), validate (`check_source`), each renderer, per workbook;
   - ours, in-process: `runner.run(..., jobs=1)` (the code path of `xxgk convert --jobs 1`) in a
     fresh process, with resident memory sampled at 100, 500, 1000 … files;
   - ours, parallel: the real CLI `xxgk convert DIR -o OUT --to … --jobs J` as a subprocess
     (wall time including interpreter start and worker start-up);
   - a fair naive pipeline, on all N in a fresh process (`Baseline`): openpyxl read-only with
     cached values through the defined names, jsonschema, `json.dump`, python-docx with the
     official tables' merged headers and fonts (rows' cells, not `Table.cell`), Jinja2 HTML;
   - floor, on all N: python-calamine reading every sheet's values plus writing the very bytes
     our run produced for that workbook.
3. Prints per-workbook ms, wall seconds, ratios (naive/ours, ours/floor) and memory. Ours (both
   ways) and the floor run `--repeat` times, interleaved, and the medians are printed (each run's
   figures too: the machine may be shared; each run writes into new folders, in a rotating
   order, and nothing is deleted before the end); the naive pipeline runs once, on all N or on
   an evenly spaced sample of `--naive-n` (said in the output). The load average is printed
   before and after.
"""

from __future__ import annotations

import argparse
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
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

sys.path.insert(0, str(ROOT / "bench"))

from corpus import NARRATIVE, check_generated, generate  # noqa: E402

from xxgk.format import model as m  # noqa: E402

FORMATS = ("json", "docx", "html")


# -- ours ---------------------------------------------------------------------------------------


def rss_mb() -> float:
    """Resident memory now (Linux /proc), else the high-water mark."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_mb()


def peak_mb() -> float:
    """High-water mark of resident memory: /proc's VmHWM (ru_maxrss survives exec on Linux,
    so in a child it would report the parent's peak)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


class Clock:
    """Wall and CPU seconds of this process: the machine may be shared, CPU time is not."""

    def __init__(self) -> None:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall0, time.process_time() - self.cpu0


def inprocess_child(folder: Path, out: Path, formats: list[str]) -> None:
    """Runs in a fresh process: convert with jobs=1, print timings and memory as JSON, and the
    CPU time spent writing each input's files (the temps, then their renaming), so that the
    work apart from creating files is measured, not estimated: what creating a file costs this
    machine's kernel varies several-fold from one run to the next."""
    from xxgk.batch import convert, discover, runner

    writing = [0.0]

    def timed(fn: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                writing[0] += time.process_time() - start

        return run

    convert._write_temps = timed(convert._write_temps)  # type: ignore[assignment]
    runner._place_outputs = timed(runner._place_outputs)  # type: ignore[assignment]
    paths = discover.discover([str(folder)])
    checkpoints = {c for c in (100, 500, 1000, 2000, 5000) if c < len(paths)} | {len(paths)}
    memory: dict[int, list[float]] = {}

    def progress(done: int, total: int) -> None:
        if done in checkpoints:
            memory[done] = [round(rss_mb(), 1), round(peak_mb(), 1)]

    start_rss = rss_mb()
    clock = Clock()
    result = runner.run(paths, out, formats, jobs=1, progress=progress)
    wall, cpu = clock.read()
    doc = {
        "wall": wall,
        "cpu": cpu,
        "writing": writing[0],
        "start_rss": start_rss,
        "memory": memory,
        "peak": round(peak_mb(), 1),  # the whole run's, the summary written
    }
    print(json.dumps({**doc, "totals": result.totals()}))


def stages(paths: list[Path], formats: list[str]) -> dict[str, float]:
    """Mean CPU ms per workbook of each stage, called directly."""
    from xxgk.check.source import check_source
    from xxgk.files.read import read_source
    from xxgk.report.registry import RENDERERS

    tick = time.process_time
    times: dict[str, list[float]] = {"read": [], "validate": []}
    times.update({f: [] for f in formats})
    for path in paths:
        t0 = tick()
        source = read_source(path)
        t1 = tick()
        check_source(source)
        t2 = tick()
        times["read"].append(t1 - t0)
        times["validate"].append(t2 - t1)
        for f in formats:
            t = tick()
            RENDERERS[f].render(source.data)
            times[f].append(tick() - t)
    return {k: statistics.mean(v) * 1e3 for k, v in times.items()}


# -- the naive baseline -----------------------------------------------------------------------

_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:"仿宋_GB2312",serif} table{border-collapse:collapse}
td,th{border:1px solid #000;padding:2px 4px}</style></head><body><h1>{{ title }}</h1>
{% for heading, text in sections %}<h2>{{ heading }}</h2><p>{{ text }}</p>{% endfor %}
{% for t in tables %}<table><caption>{{ t.caption }}</caption>
{% for row in t.head %}<tr>{% for c in row %}<th colspan="{{ c.colspan }}" \
rowspan="{{ c.rowspan }}">{{ c.text }}</th>{% endfor %}</tr>{% endfor %}
{% for body in t.bodies %}{% for row in body %}<tr>{% for c in row %}<td colspan="{{ c.colspan }}" \
rowspan="{{ c.rowspan }}">{{ c.text }}</td>{% endfor %}</tr>{% endfor %}{% endfor %}
</table>{% endfor %}</body></html>
"""


class Baseline:
    """A fair first attempt with the usual libraries, each used as its documentation says:
    openpyxl read-only with cached values, each sheet's values read once, then looked up
    through the defined names; jsonschema on the published schema; json.dump; python-docx with
    the official tables' merged headers and fonts, cells taken a row at a time (`row.cells`,
    never `Table.cell(r, c)`, which rebuilds the table's cell list on every call); Jinja2."""

    def __init__(self) -> None:
        import jinja2
        import jsonschema

        from xxgk.format.schema import load_schema

        schema = load_schema()
        self.validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.FormatChecker()
        )
        self.html = jinja2.Environment(autoescape=True).from_string(_HTML)
        self.kinds = {leaf.dotted: leaf.kind for leaf in m.leaves()}
        self.optional = {leaf.dotted for leaf in m.leaves() if leaf.optional}

    def read(self, path: Path) -> dict[str, Any]:
        import openpyxl
        from openpyxl.utils.cell import coordinate_to_tuple

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        grids: dict[str, dict[tuple[int, int], Any]] = {}
        data: dict[str, Any] = {"format": m.FORMAT_ID}
        for name, dn in wb.defined_names.items():
            if name not in self.kinds:  # xxgk.template, last year's figures…
                continue
            for sheet, ref in dn.destinations:
                if sheet not in grids:
                    rows = wb[sheet].iter_rows(values_only=True)
                    grids[sheet] = {
                        (r, c): v for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1)
                    }
                value = grids[sheet].get(coordinate_to_tuple(ref.replace("$", "")))
                if value is None and name in self.optional:
                    continue
                if value is None and self.kinds[name] == m.TEXT:
                    value = ""
                elif hasattr(value, "date"):  # a date cell: the contract's YYYY-MM-DD
                    value = value.date().isoformat()
                node = data
                keys = name.split(".")
                for key in keys[:-1]:
                    node = node.setdefault(key, {})
                node[keys[-1]] = value
        wb.close()
        return data

    def docx(self, data: dict[str, Any], title: str, tables: list[Any], target: Path) -> None:
        import docx
        from docx.oxml.ns import qn
        from docx.shared import Pt

        doc = docx.Document()
        normal = doc.styles["Normal"]
        normal.font.name, normal.font.size = "仿宋_GB2312", Pt(16)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
        doc.add_heading(title, level=0)
        for leaf in NARRATIVE:
            doc.add_heading(leaf.title, level=2)
            doc.add_paragraph(str(_get(data, leaf.path) or ""))
        for table in tables:
            doc.add_paragraph(table.caption)
            rows = [*table.head, *(row for body in table.bodies for row in body)]
            t = doc.add_table(rows=len(rows), cols=len(table.widths))
            t.style = "Table Grid"
            taken: set[tuple[int, int]] = set()
            grid_rows = t.rows
            for r, row in enumerate(rows):
                cells = grid_rows[r].cells
                c = 0
                for cell in row:
                    while (r, c) in taken:
                        c += 1
                    target_cell = cells[c]
                    if cell.colspan > 1 or cell.rowspan > 1:
                        far = grid_rows[r + cell.rowspan - 1].cells[c + cell.colspan - 1]
                        target_cell = target_cell.merge(far)
                    taken.update(
                        (r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)
                    )
                    run = target_cell.paragraphs[0].add_run(cell.text)
                    run.font.size = Pt(9)
                    run.bold = cell.header
                    c += cell.colspan
        doc.save(str(target))

    def one(self, path: Path, out: Path) -> None:
        from xxgk.report import tables as rt  # the official layout as data: labels and spans

        data = self.read(path)
        list(self.validator.iter_errors(data))
        stem = out / path.stem
        with open(stem.with_suffix(".json"), "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
        agency = data.get("agency", {}).get("name")
        title = f"{agency}{data.get('year')}年政府信息公开工作年度报告"
        tables = [rt.table2(data), rt.table3(data), rt.table4(data)]
        self.docx(data, title, tables, stem.with_suffix(".docx"))
        sections = [(leaf.title, str(_get(data, leaf.path) or "")) for leaf in NARRATIVE]
        page = self.html.render(title=title, sections=sections, tables=tables)
        stem.with_suffix(".html").write_text(page, encoding="utf-8")


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key, {}) if isinstance(data, dict) else None
    return data


def baseline_child(folder: Path, out: Path, sample: int) -> None:
    """Runs in a fresh process: the naive pipeline over every file, or an evenly spaced sample
    of `sample` of them (0: all); timings as JSON."""
    paths = sorted(folder.glob("*.xlsx"))
    if 0 < sample < len(paths):
        paths = [paths[i * len(paths) // sample] for i in range(sample)]
    out.mkdir(parents=True, exist_ok=True)
    base = Baseline()
    base.one(paths[0], out)  # imports outside the timing
    clock = Clock()
    for p in paths:
        base.one(p, out)
    wall, cpu = clock.read()
    print(json.dumps({"wall": wall, "cpu": cpu, "n": len(paths)}))


# -- the floor ----------------------------------------------------------------------------------


def floor(paths: list[Path], outputs: list[list[Path]], out: Path) -> tuple[float, float, float]:
    """(wall, CPU, CPU of the reading alone) seconds per workbook: calamine reading every sheet
    + writing the same bytes. The reading is told apart because creating files costs this
    machine's kernel 0.4 to 1.4 ms for three, from one run to the next."""
    from python_calamine import CalamineWorkbook

    wall = cpu = reading = 0.0
    for i, path in enumerate(paths):
        payloads = [(p.name, p.read_bytes()) for p in outputs[i]]  # untimed: read our outputs
        clock = Clock()
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        read = time.process_time()
        for name, payload in payloads:
            (out / f"{i}-{name}").write_bytes(payload)
        w, c = clock.read()
        wall, cpu = wall + w, cpu + c
        reading += c - (time.process_time() - read)
    return wall / len(paths), cpu / len(paths), reading / len(paths)


# -- main ---------------------------------------------------------------------------------------


def cli_run(
    folder: Path, out: Path, formats: list[str], jobs: int, env: dict[str, str]
) -> tuple[float, float]:
    """(wall, CPU of all its processes) seconds of the real CLI `xxgk convert --jobs J`."""
    cpu0, clock = _children_cpu(), Clock()
    cli = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "convert", str(folder), "-o", str(out)]
        + ["--to", ",".join(formats), "--jobs", str(jobs), "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    if cli.returncode != 0:
        print(f"  convert exit {cli.returncode}: {cli.stderr[-2000:]}")
    return clock.read()[0], _children_cpu() - cpu0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="workbooks to generate (default 1000)")
    ap.add_argument("--jobs", type=int, default=2, help="processes for the parallel run")
    ap.add_argument("--stages-n", type=int, default=100, help="workbooks for the stage split")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument("--inprocess-child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--skip-naive", action="store_true", help="leave the naive pipeline out")
    ap.add_argument("--baseline-child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=3, help="runs of ours and the floor (medians)")
    ap.add_argument(
        "--naive-n", type=int, default=0, help="run the naive pipeline on a sample of this many"
    )
    args = ap.parse_args()
    if args.baseline_child:
        folder_arg, out_arg, sample_arg = args.baseline_child
        baseline_child(Path(folder_arg), Path(out_arg), int(sample_arg))
        return
    if args.inprocess_child:
        folder, out, formats = args.inprocess_child
        inprocess_child(Path(folder), Path(out), formats.split(","))
        return

    from xxgk.report.registry import RENDERERS

    formats = [f for f in FORMATS if f in RENDERERS]
    missing = [f for f in FORMATS if f not in RENDERERS]
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    folder = args.keep or work / "in"
    folder.mkdir(parents=True, exist_ok=True)
    n = args.n
    try:
        clock = Clock()
        reports = generate(folder, n, args.seed)
        check_generated(folder, reports)
        if hasattr(os, "sync"):  # the corpus written out first: its writeback slowed run 1
            os.sync()
        paths = sorted(folder.glob("*.xlsx"))
        size = statistics.mean(p.stat().st_size for p in paths) / 1024
        print(f"generated {n} workbooks ({size:.0f} KB each) in {clock.read()[0]:.1f} s: {folder}")
        note = f"  (NOT registered yet: {missing})" if missing else ""
        print(f"formats: {','.join(formats)}{note}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"cores: {os.cpu_count()}  load average before: {load:.2f} "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg()[1:])}  "
            f"python {sys.version.split()[0]}"
        )
        print("(wall = elapsed time, cpu = CPU time; on a shared machine compare cpu)")

        split = stages(paths[: args.stages_n], formats)
        shown = "  ".join(f"{k} {v:.2f}" for k, v in split.items())
        print(
            f"\nstages, CPU ms per workbook (first {min(args.stages_n, n)}): {shown}"
            f"  = {sum(split.values()):.2f}"
        )

        py_path = str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")
        env = {**os.environ, "PYTHONPATH": py_path}
        runs: dict[str, list[tuple[float, ...]]] = {"inproc": [], "cli": [], "floor": []}
        inproc: dict[str, Any] = {}
        outputs: list[list[Path]] = []
        out1 = outj = work
        # Each run writes into folders of its own and nothing is deleted until the end: removing
        # thousands of files (on a disk mounted with online discard) slowed creating the next
        # ones several-fold, for whichever of the three came next. The order rotates by run.
        for r in range(args.repeat):
            out1, outj = work / f"out-jobs1-{r}", work / f"out-jobs{args.jobs}-{r}"
            floor_out = work / f"out-floor-{r}"
            order = ["inproc", "cli", "floor"]  # first ours: the floor writes ours' outputs
            order = order[-r % 3 :] + order[: -r % 3]
            for what in order:
                if what == "inproc":
                    cmd = [sys.executable, __file__, "--inprocess-child", str(folder), str(out1)]
                    child = subprocess.run(
                        [*cmd, ",".join(formats)], env=env, check=True, capture_output=True,
                        text=True,
                    )
                    got = json.loads(child.stdout.strip().splitlines()[-1])
                    inproc = inproc or got  # memory: the first run's
                    runs["inproc"].append((got["wall"], got["cpu"], got["writing"]))
                    doc = json.loads((out1 / "summary.json").read_text(encoding="utf-8"))
                    outputs = [[out1 / name for name in f["outputs"]] for f in doc["files"]]
                elif what == "cli":
                    runs["cli"].append(cli_run(folder, outj, formats, args.jobs, env))
                else:
                    floor_out.mkdir()
                    runs["floor"].append(floor(paths, outputs, floor_out))
            print(
                f"  run {r + 1}: in-process {got['wall']:.2f} s wall / {got['cpu']:.2f} s cpu "
                f"(of it writing files {got['writing']:.2f} s); "
                f"--jobs {args.jobs} {runs['cli'][-1][0]:.2f} s wall / {runs['cli'][-1][1]:.2f} "
                f"s cpu; floor {runs['floor'][-1][0] * n:.2f} s wall / "
                f"{runs['floor'][-1][1] * n:.2f} s cpu (of it reading "
                f"{runs['floor'][-1][2] * n:.2f} s); ours / floor by cpu "
                f"{got['cpu'] / (runs['floor'][-1][1] * n):.2f}x; load {os.getloadavg()[0]:.2f}"
            )
        wall_1 = statistics.median(run[0] for run in runs["inproc"])
        cpu_1 = statistics.median(run[1] for run in runs["inproc"])
        ours_ms, ours_cpu_ms = wall_1 / n * 1e3, cpu_1 / n * 1e3
        print(
            f"\nours, in-process (runner.run, jobs 1), median of {args.repeat}: {ours_ms:.2f} ms "
            f"wall, {ours_cpu_ms:.2f} ms cpu per workbook; {wall_1:.2f} s for {n}; "
            f"{inproc['totals']['converted']} converted"
        )
        memory = sorted(inproc["memory"].items(), key=lambda kv: int(kv[0]))
        print(
            f"  memory, resident MB (peak MB): at start {inproc['start_rss']:.1f}; "
            + ", ".join(f"after {k} files {v[0]:.1f} ({v[1]:.1f})" for k, v in memory)
            + f"; the run's peak {inproc['peak']:.1f}"
        )
        wall_j = statistics.median(w for w, _ in runs["cli"])
        cpu_j = statistics.median(c for _, c in runs["cli"])
        ideal = cpu_j / args.jobs
        print(
            f"ours, CLI --jobs {args.jobs}, median of {args.repeat}: {wall_j:.2f} s wall for {n}; "
            f"{cpu_j:.2f} s cpu in all processes, i.e. {ideal:.2f} s on {args.jobs} idle cores"
        )
        scaled, from_cpu = wall_j * 1000 / n, ideal * 1000 / n

        def verdict(x: float) -> str:
            return "met" if x <= 1.2 else "MISSED"

        print(
            f"  target ≤ 1.2 s for 1000 on 2 cores: wall {scaled:.2f} s ({verdict(scaled)}); "
            f"cpu / {args.jobs} {from_cpu:.2f} s ({verdict(from_cpu)}, what idle cores would give)"
        )
        same = all(
            (out1 / p.name).read_bytes() == p.read_bytes() for p in outj.iterdir() if p.is_file()
        )
        print(f"  outputs of --jobs {args.jobs} byte-identical to --jobs 1: {same}")

        base_out = work / "out-baseline"
        based = {"wall": 0.0, "cpu": 0.0, "n": n}
        if not args.skip_naive:
            cmd = [sys.executable, __file__, "--baseline-child", str(folder), str(base_out)]
            child = subprocess.run(
                [*cmd, str(args.naive_n)], env=env, check=True, capture_output=True, text=True
            )
            based = json.loads(child.stdout.strip().splitlines()[-1])
        base_ms, base_cpu_ms = based["wall"] / based["n"] * 1e3, based["cpu"] / based["n"] * 1e3
        sampled = "all" if based["n"] == n else f"a sample of {based['n']} (evenly spaced) of"
        if not args.skip_naive:
            print(
                f"\nfair naive pipeline (openpyxl read-only + data_only, jsonschema, json.dump, "
                f"python-docx by rows, Jinja2), one run, {sampled} {n}: {base_ms:.2f} ms wall, "
                f"{base_cpu_ms:.2f} ms cpu per workbook; {based['wall']:.2f} s"
            )
        shutil.rmtree(base_out, ignore_errors=True)

        floor_ms = statistics.median(r[0] for r in runs["floor"]) * 1e3
        floor_cpu_ms = statistics.median(r[1] for r in runs["floor"]) * 1e3
        floor_read_ms = statistics.median(r[2] for r in runs["floor"]) * 1e3
        print(
            f"floor (calamine values + writing the same bytes), {n} workbooks, median of "
            f"{args.repeat}: {floor_ms:.2f} ms wall, {floor_cpu_ms:.2f} ms cpu per workbook "
            f"(calamine's reading alone {floor_read_ms:.2f} ms cpu)"
        )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

        print("\nratios (wall / cpu):")
        if not args.skip_naive:
            print(f"  naive / ours = {base_ms / ours_ms:.1f}x / {base_cpu_ms / ours_cpu_ms:.1f}x")
        print(
            f"  ours / floor = {ours_ms / floor_ms:.2f}x / {ours_cpu_ms / floor_cpu_ms:.2f}x"
            "   (target ≤ 1.5x)"
        )
        # ours and the floor write the same bytes, at a cost that varies several-fold from run
        # to run: each without its own (measured) writing, our work against calamine's reading
        apart = [
            (ours[1] - ours[2]) / n / fl[2]
            for ours, fl in zip(runs["inproc"], runs["floor"], strict=True)
        ]
        own = statistics.median((ours[1] - ours[2]) / n * 1e3 for ours in runs["inproc"])
        print(
            f"  ours without writing files ({own:.2f} ms cpu) / calamine's reading = "
            f"{statistics.median(apart):.2f}x by cpu (runs {', '.join(f'{a:.2f}' for a in apart)})"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
