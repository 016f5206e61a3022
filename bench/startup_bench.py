"""Wall time of `xxgk validate` of one valid workbook, as a whole process (issue 16: under 0.1 s),
ours against the tree before a change, in the same run; with --convert, of `xxgk convert` of it
to JSON, DOCX and HTML (what every batch pays before its first file).

    python bench/startup_bench.py [-n 20] [--before REF | --src TREE --src TREE2]
                                  [--importtime K] [--convert] [FILE]

Medians of N subprocess runs each of: a bare interpreter (`-c pass`), and `validate FILE` started
as the installed `xxgk` console script does (its wrapper, run as a file: no runpy), as
`python -m xxgk.cli.main`, `python -S -m …` (no site: this sandbox's site-packages has a .pth
that imports certifi on every start) and `python -I` (isolated). With -S the CLI still finds its
dependencies: the site-packages folder goes on PYTHONPATH instead. The trees are this one's
src/ and, with `--before REF` (default: the commit before start-up round five), that commit's
src/ taken out of git into a temporary folder; runs are interleaved, so a change of load hits
every case alike, and each case of ours is printed as a ratio to the same case before.
Bytecode is compiled first (`compileall`), as an installed package has it: with
PYTHONDONTWRITEBYTECODE set and no __pycache__, every run would compile xxgk from source.
`-X importtime` (python -S) then gives each tree's module count and own import time, xxgk's
share apart, medians of N runs. The load average is printed: the machine may be shared.
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
EXAMPLE = SRC / "xxgk" / "examples" / "seed-2024.xlsx"
BEFORE = "6350d46"  # main before round five's start-up work (record, lazy catalogue…)
# what pip writes as the `xxgk` console script ([project.scripts] xxgk = "xxgk.cli.main:run")
CONSOLE_SCRIPT = """\
import re
import sys
from xxgk.cli.main import run
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(run())
"""
LABELS = ("xxgk script", "python -m", "python -S -m", "python -I")


def one_run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) ms of one run of `argv`: on a shared machine the wall time
    waits for other processes, the CPU time does not."""
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{argv}: exit {done.returncode}\n{done.stderr.decode()}")
    return wall * 1000, (_children_cpu() - cpu0) * 1000


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def importtimes(argv: list[str], env: dict[str, str], n: int) -> tuple[float, dict[str, float]]:
    """Median over n runs of each module's own import time (µs) under -X importtime, and the
    median of the runs' summed own times: one run on a shared machine is too noisy to read."""
    own: dict[str, list[int]] = {}
    sums = []
    for _ in range(n):
        done = subprocess.run(
            [argv[0], "-X", "importtime", *argv[1:]], env=env, capture_output=True, check=False
        )
        total = 0
        for line in done.stderr.decode("utf-8", "replace").splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) != 3 or not parts[0].strip().isdigit():
                continue
            us = int(parts[0])
            own.setdefault(parts[2].strip(), []).append(us)
            total += us
        sums.append(total)
    return statistics.median(sums), {k: statistics.median(v) for k, v in own.items()}


def cases(
    src: Path, command: list[str], script: Path
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each way of starting `xxgk COMMAND…` with the package in `src`: label → argv, env."""
    site = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": str(src)}
    env_nosite = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), site])}
    cli = ["-m", "xxgk.cli.main", *command]
    # -I ignores PYTHONPATH: the package is found through a path that -c puts in
    code = (
        f"import sys; sys.path[:0] = [{str(src)!r}]; import xxgk.cli.main as c; "
        "(getattr(c, 'run', None) or c.main)()"
    )
    return {
        "xxgk script": ([sys.executable, str(script), *command], env),
        "python -m": ([sys.executable, *cli], env),
        "python -S -m": ([sys.executable, "-S", *cli], env_nosite),
        "python -I": ([sys.executable, "-I", "-c", code, *command], env),
    }


BARE = {"python": [], "python -S": ["-S"], "python -I": ["-I"]}


def bare_cases() -> dict[str, tuple[list[str], dict[str, str]]]:
    return {
        label: ([sys.executable, *f, "-c", "pass"], dict(os.environ)) for label, f in BARE.items()
    }


def checkout(ref: str, into: Path) -> Path:
    """`ref`'s src/ from git, written under `into`: the tree before, without a worktree."""
    tar = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", nargs="?", default=str(EXAMPLE))
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--before", default=BEFORE, help="the commit to compare with (git ref)")
    ap.add_argument(
        "--src",
        type=Path,
        action="append",
        help="package trees to time instead (repeatable; the first is 'before')",
    )
    ap.add_argument(
        "--importtime", type=int, default=0, metavar="K", help="also list the K slowest imports"
    )
    ap.add_argument(
        "--convert",
        action="store_true",
        help="time `convert FILE -o TMP --to json,docx,html -q` instead of `validate FILE`",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "xxgk"
        script.write_text(CONSOLE_SCRIPT, encoding="utf-8")
        trees = args.src or [checkout(args.before, Path(tmp)), SRC]
        names = [str(t) for t in trees]
        if not args.src:
            names = [f"before ({args.before})", "ours"]
        command = ["validate", args.file]
        if args.convert:
            command = ["convert", args.file, "-o", tmp + "/out", "--to", "json,docx,html", "-q"]
        run(trees, names, args, script, command)


def run(
    trees: list[Path], names: list[str], args: argparse.Namespace, script: Path, command: list[str]
) -> None:
    todo = {("bare", label): c for label, c in bare_cases().items()}
    for tree, name in zip(trees, names, strict=True):
        compileall.compile_dir(str(tree), quiet=1)
        todo.update({(name, label): c for label, c in cases(tree, command, script).items()})
    print(f"xxgk {' '.join(command)}")
    print(f"nproc {os.cpu_count()}, load average {os.getloadavg()}, {args.n} runs each")
    got: dict[tuple[str, str], list[tuple[float, float]]] = {key: [] for key in todo}
    for _ in range(args.n):  # interleaved: a change of load hits every case alike
        for key, (argv, env) in todo.items():
            got[key].append(one_run(argv, env))
    med = {
        key: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for key, v in got.items()
    }
    first = names[0]
    for name in ["bare", *names]:
        print(name)
        for label in BARE if name == "bare" else LABELS:
            wall, cpu = med[(name, label)]
            line = f"  {label:12} {wall:6.1f} ms wall {cpu:6.1f} ms cpu"
            if name not in ("bare", first):
                w0, c0 = med[(first, label)]
                line += f"   ×{wall / w0:.2f} wall ×{cpu / c0:.2f} cpu of {first}"
            print(line)
    print("-X importtime (python -S -m), medians:")
    totals = []
    for tree, name in zip(trees, names, strict=True):
        argv, env = cases(tree, command, script)["python -S -m"]
        total, own = importtimes(argv, env, args.n)
        ours = {k: v for k, v in own.items() if k == "xxgk" or k.startswith("xxgk.")}
        totals.append(total)
        ratio = f"   ×{total / totals[0]:.2f} of {first}" if name != first else ""
        print(
            f"  {name}: {len(own)} modules, {total / 1000:.1f} ms own time in all{ratio}; "
            f"xxgk's {len(ours)} modules {sum(ours.values()) / 1000:.1f} ms"
        )
        for mod, us in sorted(own.items(), key=lambda kv: -kv[1])[: args.importtime]:
            print(f"    {us / 1000:6.2f} ms  {mod}")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
