"""Wall time of `xxgk validate` of one valid workbook, as a whole process (issue 16: under 0.1 s).

    python bench/startup_bench.py [-n 20] [--src TREE --src TREE2] [--importtime K] [FILE]

Medians of N subprocess runs each of: a bare interpreter (`-c pass`), and `-m xxgk.cli.main
validate FILE`, each as `python`, `python -S` (no site: this sandbox's site-packages has a .pth
that imports certifi on every start) and `python -I` (isolated). With -S the CLI still finds its
dependencies: the site-packages folder goes on PYTHONPATH instead. Bytecode is compiled first
(`compileall`), as an installed package has it: with PYTHONDONTWRITEBYTECODE set and no
__pycache__, every run would compile xxgk from source. The load average is printed: the
machine may be shared.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
EXAMPLE = SRC / "xxgk" / "examples" / "seed-2024.xlsx"


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


def cases(src: Path, file: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each way of starting `xxgk validate FILE` with the package in `src`: label → argv, env."""
    site = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": str(src)}
    env_nosite = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), site])}
    cli = ["-m", "xxgk.cli.main", "validate", file]
    # -I ignores PYTHONPATH: the package is found through a path that -c puts in
    code = (
        f"import sys; sys.path[:0] = [{str(src)!r}]; import xxgk.cli.main as c; "
        "(getattr(c, 'run', None) or c.main)()"
    )
    return {
        "python": ([sys.executable, *cli], env),
        "python -S": ([sys.executable, "-S", *cli], env_nosite),
        "python -I": ([sys.executable, "-I", "-c", code, "validate", file], env),
    }


def bare_cases() -> dict[str, tuple[list[str], dict[str, str]]]:
    return {
        label: ([sys.executable, *flags, "-c", "pass"], dict(os.environ))
        for label, flags in (("python", []), ("python -S", ["-S"]), ("python -I", ["-I"]))
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", nargs="?", default=str(EXAMPLE))
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument(
        "--src",
        type=Path,
        action="append",
        help="a package tree to time (repeatable: runs interleaved); default this one's src/",
    )
    ap.add_argument(
        "--importtime", type=int, default=0, metavar="K", help="also list the K slowest imports"
    )
    args = ap.parse_args()
    trees = args.src or [SRC]
    todo = {("bare", label): c for label, c in bare_cases().items()}
    for tree in trees:
        compileall.compile_dir(str(tree), quiet=1)
        todo.update({(str(tree), label): c for label, c in cases(tree, args.file).items()})
    print(f"nproc {os.cpu_count()}, load average {os.getloadavg()}, {args.n} runs each")
    got: dict[tuple[str, str], list[tuple[float, float]]] = {key: [] for key in todo}
    for _ in range(args.n):  # interleaved: a change of load hits every case alike
        for key, (argv, env) in todo.items():
            got[key].append(one_run(argv, env))
    med = {
        key: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for key, v in got.items()
    }
    for tree in ["bare", *map(str, trees)]:
        print(tree)
        for label in ("python", "python -S", "python -I"):
            wall, cpu = med[(tree, label)]
            print(f"  {label:10} {wall:6.1f} ms wall {cpu:6.1f} ms cpu")
    if args.importtime:
        for tree in trees:
            argv, env = cases(tree, args.file)["python -S"]
            total, own = importtimes(argv, env, args.n)
            print(
                f"-X importtime (python -S) {tree}, median of {args.n}: {len(own)} modules, "
                f"{total / 1000:.1f} ms own time in all"
            )
            for name, us in sorted(own.items(), key=lambda kv: -kv[1])[: args.importtime]:
                print(f"  {us / 1000:6.2f} ms  {name}")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
