"""Load on `xxgk serve`: C concurrent clients upload N workbooks in all to /api/validate on
localhost; prints p50/p95 latency and throughput, next to the CLI's per-file time measured in
the same run (one `xxgk validate --format json` process over the same files, and the library
in-process). Every answer is compared with the CLI's for that file: none lost, none wrong.

    python bench/serve_bench.py                 # 50 clients, 1,000 uploads
    python bench/serve_bench.py -c 10 -n 100
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serve.harness import cli_validate, make_workbook, running  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-c", "--clients", type=int, default=50)
    ap.add_argument("-n", "--uploads", type=int, default=1000)
    ap.add_argument("--distinct", type=int, default=20, help="distinct workbooks uploaded in turn")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xxgk-serve-bench-"))
    books = [
        make_workbook(tmp / f"{i:03d}.xlsx", f"某县单位{i:03d}", mistake=(i % 4 or None))
        for i in range(args.distinct)
    ]
    expected = {p.name: cli_validate(p) for p in books}
    payloads = {p.name: p.read_bytes() for p in books}

    # the CLI in the same run: one process validating N files (copies: the CLI reads a file
    # named twice only once)
    copies = tmp / "cli"
    copies.mkdir()
    listed = []
    for i in range(args.uploads):
        src = books[i % len(books)]
        dst = copies / f"{i:05d}-{src.name}"
        dst.write_bytes(payloads[src.name])
        listed.append(str(dst))
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "validate", "--format", "json", *listed],
        cwd=tmp,
        capture_output=True,
        check=False,
    )
    cli_wall = time.perf_counter() - t
    assert len(json.loads(done.stdout)["files"]) == len(listed)
    from xxgk.check.outcome import source_result, validate_document
    from xxgk.files.read import read_source

    t = time.perf_counter()
    for name in listed:
        json.dumps(validate_document([source_result(name, read_source(Path(name)))]))
    inproc = (time.perf_counter() - t) / len(listed)

    jobs = [books[i % len(books)].name for i in range(args.uploads)]
    shares = [jobs[i :: args.clients] for i in range(args.clients)]
    with running(tmp / "data") as server:

        def client(share: list[str]) -> list[tuple[str, int, str, float]]:
            out = []
            with httpx.Client(base_url=server.url, timeout=120) as c:
                for name in share:
                    t0 = time.perf_counter()
                    r = c.post("/api/validate", files={"file": (name, payloads[name])})
                    out.append((name, r.status_code, r.text, time.perf_counter() - t0))
            return out

        start = time.perf_counter()
        with cf.ThreadPoolExecutor(args.clients) as pool:
            answers = [a for got in pool.map(client, shares) for a in got]
        wall = time.perf_counter() - start
    lat = sorted(a[3] for a in answers)
    wrong = sum(1 for name, status, text, _ in answers if status != 200 or text != expected[name])
    q = statistics.quantiles(lat, n=100)
    print(f"uploads {len(answers)} of {args.uploads} answered, {wrong} wrong or failed")
    print(
        f"{args.clients} clients: wall {wall:.2f} s, throughput {len(answers) / wall:.1f} uploads/s"
    )
    print(
        f"latency p50 {q[49] * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms"
    )
    print(f"server per upload (wall / uploads): {wall / len(answers) * 1000:.2f} ms")
    print(
        f"CLI `xxgk validate --format json` over {len(listed)} files in one process: "
        f"{cli_wall / len(listed) * 1000:.2f} ms per file (start-up included: {cli_wall:.2f} s)"
    )
    print(f"library in-process (read_source + check + document): {inproc * 1000:.2f} ms per file")
    sys.exit(1 if wrong or len(answers) != args.uploads else 0)


if __name__ == "__main__":
    main()
