"""Run a script in fresh Python processes and collect the files each writes.

A determinism check inside one process proves little: the same process has the same string
hash seed (set iteration order), the same time zone and the same loaded state both times. The
runs here differ in PYTHONHASHSEED and TZ, and run in parallel.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = (("1", "UTC"), ("2", "Asia/Shanghai"))  # (PYTHONHASHSEED, TZ) of each run


def outputs_of_fresh_processes(script: str, workdir: Path) -> list[dict[str, bytes]]:
    """Run `script` (Python source; its first argument is an empty folder to write into) once
    per SETTINGS entry; return each run's files, name → bytes."""
    runs: list[tuple[subprocess.Popen[bytes], Path]] = []
    for i, (seed, tz) in enumerate(SETTINGS):
        out = workdir / f"run-{i}"
        out.mkdir(parents=True)
        path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz, "PYTHONPATH": path}
        proc = subprocess.Popen(
            [sys.executable, "-c", script, str(out)],
            env=env,
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        runs.append((proc, out))
    found: list[dict[str, bytes]] = []
    for proc, out in runs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode("utf-8", "replace")
        found.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    return found
