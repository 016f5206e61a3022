"""The whole `xxgk convert` pipeline per workbook, against a naive baseline and a floor, in one run.

    python bench/pipeline_bench.py -n 1000 --jobs 2 [--baseline-n 50] [--keep DIR]

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
   - baseline, on a subset: openpyxl full `load_workbook`, values through the defined names,
     the same validator, `json.dumps`, a python-docx document built paragraph by paragraph and
     cell by cell, HTML by string concatenation;
   - floor, on all N: python-calamine reading every sheet's values plus writing the very bytes
     our run produced for that workbook.
3. Prints per-workbook ms, wall seconds, ratios (baseline/ours, ours/floor) and memory.
"""

from __future__ import annotations

import argparse
import copy
import html
import io
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

from xxgk.format import arithmetic as ar  # noqa: E402
from xxgk.format import model as m  # noqa: E402
from xxgk.format.arithmetic import compute_totals  # noqa: E402

FORMATS = ("json", "docx", "html")
NARRATIVE = [leaf for leaf in m.leaves() if leaf.kind == m.TEXT and leaf.dotted != "local_notice"]
TOTALS = {m.pointer(p) for p in ar.total_paths()}
INPUTS = [
    leaf for leaf in m.leaves() if leaf.kind in m.NUMERIC_KINDS and leaf.pointer not in TOTALS
]
NUMBERS = [leaf for leaf in m.leaves() if leaf.kind in m.NUMERIC_KINDS]


# -- realistic reports ------------------------------------------------------------------------


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _set(data: Any, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _sentences(base: dict[str, Any]) -> list[str]:
    text = "".join(str(_get(base, leaf.path)) for leaf in NARRATIVE)
    # Sentences saying "no requests / no litigation" would contradict the random tables.
    return [s + "。" for s in text.split("。") if s.strip() and "未" not in s]


def make_report(rng: random.Random, base: dict[str, Any], pool: list[str], i: int) -> dict:
    """A consistent report: small counts (often 0), balanced table 三, varied narrative."""
    data = copy.deepcopy(base)
    data["agency"]["name"] = f"示例县第{i + 1}局"
    for leaf in INPUTS:
        if leaf.kind == m.AMOUNT:
            value: Any = round(rng.uniform(0, 500), 2) if rng.random() < 0.3 else 0
        else:
            value = 0 if rng.random() < 0.6 else rng.randint(1, 12)
        _set(data, leaf.path, value)
    data = compute_totals(data)
    req = data["requests"]
    for col in m.APPLICANT_PARTS:  # 一 + 二 = （七） + 四: derive 一 and 二 from the outcomes
        outcome = req["results"]["total"][col.id] + req["carried_forward"][col.id]
        carried = min(req["carried_over"][col.id], outcome)
        req["carried_over"][col.id] = carried
        req["new"][col.id] = outcome - carried
    data = compute_totals(data)
    for leaf in NARRATIVE:
        if leaf.dotted in ("problems", "improvements"):
            k = rng.randint(1, 8)  # never blank: a blank section 五 is a warning
        else:
            k = 0 if rng.random() < 0.15 else rng.randint(1, 25)
        _set(data, leaf.path, "".join(rng.choice(pool) for _ in range(k)))
    return data


# -- workbooks: the real template, cells rewritten in the XML ---------------------------------

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_STYLE = re.compile(r'\ss="(\d+)"')
_FORMULA = re.compile(r"<f[ >].*?</f>|<f/>", re.S)


class WorkbookFactory:
    """Copies of one real template workbook, each holding a different report."""

    def __init__(self, base: dict[str, Any]) -> None:
        from xxgk.workbook import template as template

        raw = template.workbook_bytes(template.build_template(data=base))
        self.parts: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            self.order = z.namelist()
            for name in self.order:
                self.parts[name] = z.read(name)
        self.cells = self._cell_map()  # part → {A1 ref: leaf}

    def _cell_map(self) -> dict[str, dict[str, m.Leaf]]:
        from lxml import etree

        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        book = etree.fromstring(self.parts["xl/workbook.xml"])
        rels = etree.fromstring(self.parts["xl/_rels/workbook.xml.rels"])
        target = {r.get("Id"): r.get("Target") for r in rels}
        part_of = {}
        for sheet in book.find("m:sheets", ns):
            t = target[sheet.get(f"{{{rel_ns}}}id")].lstrip("/")
            part_of[sheet.get("name")] = t if t.startswith("xl/") else f"xl/{t}"
        by_dotted = {leaf.dotted: leaf for leaf in NUMBERS + NARRATIVE}
        by_dotted["agency.name"] = next(x for x in m.leaves() if x.dotted == "agency.name")
        out: dict[str, dict[str, m.Leaf]] = {}
        for dn in book.iterfind("m:definedNames/m:definedName", ns):
            leaf = by_dotted.get(dn.get("name"))
            if leaf is None or dn.get("localSheetId") is not None:
                continue
            sheet, ref = dn.text.rsplit("!", 1)
            sheet = sheet.strip("'").replace("''", "'")
            out.setdefault(part_of[sheet], {})[ref.replace("$", "")] = leaf
        return out

    def variant(self, data: dict[str, Any]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name in self.order:
                payload = self.parts[name]
                if name in self.cells:
                    payload = self._patch(payload.decode("utf-8"), self.cells[name], data)
                z.writestr(name, payload)
        return out.getvalue()

    @staticmethod
    def _patch(xml: str, cells: dict[str, m.Leaf], data: dict[str, Any]) -> bytes:
        def cell(match: re.Match[str]) -> str:
            ref, attrs, inner = match.group(1), match.group(2), match.group(3) or ""
            leaf = cells.get(ref)
            if leaf is None:
                return match.group(0)
            style = _STYLE.search(attrs)
            s = f' s="{style.group(1)}"' if style else ""
            value = _get(data, leaf.path)
            formula = _FORMULA.search(inner)
            if formula:  # a total: keep the formula, cache the value as Excel would
                return f'<c r="{ref}"{s}>{formula.group(0)}<v>{value}</v></c>'
            if isinstance(value, str):
                text = escape(value)
                return (
                    f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                )
            return f'<c r="{ref}"{s}><v>{value}</v></c>'

        return _CELL.sub(cell, xml).encode("utf-8")


def generate(folder: Path, n: int, seed: int) -> list[dict[str, Any]]:
    base = json.loads(
        resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8")
    )
    rng = random.Random(seed)
    pool = _sentences(base)
    factory = WorkbookFactory(base)
    reports = []
    width = len(str(n))
    for i in range(n):
        data = make_report(rng, base, pool, i)
        (folder / f"wb{i:0{width}d}.xlsx").write_bytes(factory.variant(data))
        reports.append(data)
    return reports


def check_generated(folder: Path, reports: list[dict[str, Any]], k: int = 3) -> None:
    """Benchmarking unreadable workbooks would measure nothing: read a few back first."""
    from xxgk.check.source import check_source
    from xxgk.files.read import read_source
    from xxgk.format.jsonio import dump_report

    for i, path in enumerate(sorted(folder.glob("*.xlsx"))[:k]):
        source = read_source(path)
        if not source.readable:
            sys.exit(f"generated workbook unreadable: {source.error}")
        errors = [f for f in check_source(source) if f.is_error]
        expected = {k: v for k, v in reports[i].items() if k != "$schema"}  # no cell for it
        if errors or dump_report(source.data) != dump_report(expected):
            sys.exit(f"generated workbook {path} does not read back: {errors[:3]}")


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
    """Runs in a fresh process: convert with jobs=1, print timings and memory as JSON."""
    from xxgk.batch import discover, runner

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
    doc = {"wall": wall, "cpu": cpu, "start_rss": start_rss, "memory": memory}
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


def baseline_one(path: Path, out: Path) -> None:
    """What a first attempt looks like: openpyxl full load, python-docx cell by cell."""
    import docx
    import openpyxl

    from xxgk.check.validate import validate

    wb = openpyxl.load_workbook(path)
    data: dict[str, Any] = {"$schema": "urn:xxgk:schema:annual-report-2021:v1", "format": "2021"}
    for name, dn in wb.defined_names.items():
        for sheet, ref in dn.destinations:
            node = data
            keys = name.split(".")
            for key in keys[:-1]:
                node = node.setdefault(key, {})
            node[keys[-1]] = wb[sheet][ref.replace("$", "")].value
    validate(data)
    stem = out / path.stem
    stem.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False, default=str))
    doc = docx.Document()
    doc.add_heading(
        f"{data.get('agency', {}).get('name')}{data.get('year')}年政府信息公开工作年度报告"
    )
    parts = ["<html><body>"]
    for leaf in NARRATIVE:
        text = str(_get(data, leaf.path) or "")
        doc.add_paragraph(leaf.title)
        doc.add_paragraph(text)
        parts.append(f"<h2>{html.escape(leaf.title)}</h2><p>{html.escape(text)}</p>")
    for table in ("表二", "表三", "表四"):
        leaves = [leaf for leaf in m.leaves() if leaf.table == table]
        rows = {}
        for leaf in leaves:
            rows.setdefault(leaf.path[:-1], []).append(leaf)
        t = doc.add_table(rows=len(rows) + 2, cols=1 + max(len(v) for v in rows.values()))
        t.style = "Table Grid"
        t.cell(0, 0).merge(t.cell(0, len(t.columns) - 1)).text = table
        parts.append(f"<table><caption>{table}</caption>")
        for r, (row_path, cells) in enumerate(rows.items(), 2):
            t.cell(r, 0).text = ".".join(row_path)
            parts.append(f"<tr><th>{html.escape('.'.join(row_path))}</th>")
            for c, leaf in enumerate(cells, 1):
                value = str(_get(data, leaf.path))
                t.cell(r, c).text = value
                parts.append(f"<td>{html.escape(value)}</td>")
            parts.append("</tr>")
        parts.append("</table>")
    doc.save(str(stem.with_suffix(".docx")))
    parts.append("</body></html>")
    stem.with_suffix(".html").write_text("".join(parts), encoding="utf-8")


# -- the floor ----------------------------------------------------------------------------------


def floor(paths: list[Path], outputs: list[list[Path]], out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds per workbook: calamine reading every sheet + writing the same bytes."""
    from python_calamine import CalamineWorkbook

    wall = cpu = 0.0
    for i, path in enumerate(paths):
        payloads = [(p.name, p.read_bytes()) for p in outputs[i]]  # untimed: read our outputs
        clock = Clock()
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        for name, payload in payloads:
            (out / f"{i}-{name}").write_bytes(payload)
        w, c = clock.read()
        wall, cpu = wall + w, cpu + c
    return wall / len(paths), cpu / len(paths)


# -- main ---------------------------------------------------------------------------------------


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="workbooks to generate (default 1000)")
    ap.add_argument("--jobs", type=int, default=2, help="processes for the parallel run")
    ap.add_argument("--baseline-n", type=int, default=50, help="workbooks for the baseline")
    ap.add_argument("--stages-n", type=int, default=100, help="workbooks for the stage split")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument("--inprocess-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
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
        paths = sorted(folder.glob("*.xlsx"))
        size = statistics.mean(p.stat().st_size for p in paths) / 1024
        print(f"generated {n} workbooks ({size:.0f} KB each) in {clock.read()[0]:.1f} s: {folder}")
        note = f"  (NOT registered yet: {missing})" if missing else ""
        print(f"formats: {','.join(formats)}{note}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"cores: {os.cpu_count()}  load average before: {load:.2f}  "
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
        out1 = work / "out-jobs1"
        cmd = [sys.executable, __file__, "--inprocess-child", str(folder), str(out1)]
        child = subprocess.run(
            [*cmd, ",".join(formats)], env=env, check=True, capture_output=True, text=True
        )
        inproc = json.loads(child.stdout.strip().splitlines()[-1])
        ours_ms, ours_cpu_ms = inproc["wall"] / n * 1e3, inproc["cpu"] / n * 1e3
        print(
            f"\nours, in-process (runner.run, jobs 1): {ours_ms:.2f} ms wall, "
            f"{ours_cpu_ms:.2f} ms cpu per workbook; {inproc['wall']:.2f} s for {n}; "
            f"{inproc['totals']['converted']} converted"
        )
        memory = sorted(inproc["memory"].items(), key=lambda kv: int(kv[0]))
        print(
            f"  memory, resident MB (peak MB): at start {inproc['start_rss']:.1f}; "
            + ", ".join(f"after {k} files {v[0]:.1f} ({v[1]:.1f})" for k, v in memory)
        )

        outj = work / f"out-jobs{args.jobs}"
        cpu0, clock = _children_cpu(), Clock()
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "xxgk.cli.main",
                "convert",
                str(folder),
                "-o",
                str(outj),
                "--to",
                ",".join(formats),
                "--jobs",
                str(args.jobs),
                "-q",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        wall_j, cpu_j = clock.read()[0], _children_cpu() - cpu0
        ideal = cpu_j / args.jobs
        print(
            f"ours, CLI --jobs {args.jobs}: {wall_j:.2f} s wall for {n} "
            f"(exit {cli.returncode}); {cpu_j:.2f} s cpu in all processes, "
            f"i.e. {ideal:.2f} s on {args.jobs} idle cores"
        )
        scaled, from_cpu = wall_j * 1000 / n, ideal * 1000 / n

        def verdict(x: float) -> str:
            return "met" if x <= 15 else "MISSED"

        print(
            f"  target ≤ 15 s for 1000 on 2 cores: wall {scaled:.1f} s ({verdict(scaled)}); "
            f"cpu / {args.jobs} {from_cpu:.1f} s ({verdict(from_cpu)}, what idle cores would give)"
        )
        if cli.returncode != 0:
            print(cli.stderr[-2000:])
        same = all(
            (out1 / p.name).read_bytes() == p.read_bytes() for p in outj.iterdir() if p.is_file()
        )
        print(f"  outputs of --jobs {args.jobs} byte-identical to --jobs 1: {same}")

        sub = paths[: args.baseline_n]
        base_out = work / "out-baseline"
        base_out.mkdir()
        baseline_one(sub[0], base_out)  # imports outside the timing
        clock = Clock()
        for p in sub:
            baseline_one(p, base_out)
        base_ms, base_cpu_ms = (x / len(sub) * 1e3 for x in clock.read())
        print(
            f"\nbaseline (openpyxl full load + python-docx cell by cell), {len(sub)} workbooks:"
            f" {base_ms:.2f} ms wall, {base_cpu_ms:.2f} ms cpu per workbook "
            f"(≈ {base_ms * n / 1e3:.0f} s for {n})"
        )

        doc = json.loads((out1 / "summary.json").read_text(encoding="utf-8"))
        outputs = [[out1 / name for name in f["outputs"]] for f in doc["files"]]
        floor_out = work / "out-floor"
        floor_out.mkdir()
        floor_ms, floor_cpu_ms = (x * 1e3 for x in floor(paths, outputs, floor_out))
        print(
            f"floor (calamine values + writing the same bytes), {n} workbooks: "
            f"{floor_ms:.2f} ms wall, {floor_cpu_ms:.2f} ms cpu per workbook"
        )

        print("\nratios (wall / cpu):")
        print(
            f"  baseline / ours = {base_ms / ours_ms:.1f}x / {base_cpu_ms / ours_cpu_ms:.1f}x"
            "   (target ≥ 8x)"
        )
        print(
            f"  ours / floor    = {ours_ms / floor_ms:.1f}x / {ours_cpu_ms / floor_cpu_ms:.1f}x"
            "   (target ≤ 5x)"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
