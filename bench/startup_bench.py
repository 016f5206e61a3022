"""Wall time of `xxgk validate` of one valid workbook, as a whole process (issue 16: under 0.1 s).

    python bench/startup_bench.py [-n 20] [FILE]

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
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
EXAMPLE = SRC / "xxgk" / "examples" / "seed-2024.xlsx"


def median_ms(argv: list[str], env: dict[str, str], n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"{argv}: exit {done.returncode}\n{done.stderr.decode()}")
    return statistics.median(times) * 1000


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


def show(label: str, bare: float, full: float) -> None:
    print(f"{label:10} bare {bare:6.1f} ms   validate {full:6.1f} ms   own {full - bare:6.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", nargs="?", default=str(EXAMPLE))
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument(
        "--importtime", type=int, default=0, metavar="K", help="also list the K slowest imports"
    )
    args = ap.parse_args()
    compileall.compile_dir(str(SRC), quiet=1)
    site = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env_nosite = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), site])}
    cli = ["-m", "xxgk.cli.main", "validate", args.file]
    print(f"nproc {os.cpu_count()}, load average {os.getloadavg()}, {args.n} runs each")
    for label, flags, e in (("python", [], env), ("python -S", ["-S"], env_nosite)):
        bare = median_ms([sys.executable, *flags, "-c", "pass"], e, args.n)
        full = median_ms([sys.executable, *flags, *cli], e, args.n)
        show(label, bare, full)
    # -I ignores PYTHONPATH: the package found through a path put in by -c
    code = f"import sys; sys.path[:0] = [{str(SRC)!r}]; from xxgk.cli.main import main; main()"
    bare = median_ms([sys.executable, "-I", "-c", "pass"], env, args.n)
    full = median_ms([sys.executable, "-I", "-c", code, "validate", args.file], env, args.n)
    show("python -I", bare, full)
    if args.importtime:
        total, own = importtimes([sys.executable, "-S", *cli], env_nosite, args.n)
        print(
            f"-X importtime (python -S), median of {args.n}: {len(own)} modules, "
            f"{total / 1000:.1f} ms own time in all"
        )
        for name, us in sorted(own.items(), key=lambda kv: -kv[1])[: args.importtime]:
            print(f"  {us / 1000:6.2f} ms  {name}")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
