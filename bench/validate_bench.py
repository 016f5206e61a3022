"""How long validating one report takes, against plain JSON Schema validation in the same run.

    python bench/validate_bench.py [-n 1000]

Generates N consistent reports with varied numbers, then times per report (median, p95):
- ours: `xxgk.validate.validate` (schema + arithmetic vocabulary + rules, findings built);
- baseline: a plain `Draft202012Validator` over the same schema (ignores our keywords).
Prints the figures and the ratio ours/baseline.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jsonschema import Draft202012Validator  # noqa: E402

from xxgk.check.validate import validate  # noqa: E402
from xxgk.format import arithmetic as ar  # noqa: E402
from xxgk.format import model as m  # noqa: E402
from xxgk.format.arithmetic import compute_totals  # noqa: E402
from xxgk.format.schema import load_schema  # noqa: E402


def make_reports(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    base = json.loads(
        resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8")
    )
    totals = {m.pointer(p) for p in ar.total_paths()}
    out = []
    for _ in range(n):
        data = copy.deepcopy(base)
        for leaf in m.leaves():
            if leaf.kind not in m.NUMERIC_KINDS or leaf.pointer in totals:
                continue
            node = data
            for key in leaf.path[:-1]:
                node = node[key]
            node[leaf.path[-1]] = rng.randint(0, 30)
        data = compute_totals(data)
        req = data["requests"]
        for col in m.APPLICANT_PARTS:
            req["carried_over"][col.id] = 0
            req["new"][col.id] = req["results"]["total"][col.id] + req["carried_forward"][col.id]
        out.append(compute_totals(data))
    return out


def per_report(fn, reports: list[dict]) -> list[float]:
    times = []
    for r in reports:
        t0 = time.perf_counter()
        fn(r)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1000)
    n = ap.parse_args().n
    reports = make_reports(n)
    plain = Draft202012Validator(load_schema())
    validate(reports[0])  # build the validator once, as a long-running process would
    ours = per_report(validate, reports)
    base = per_report(lambda r: list(plain.iter_errors(r)), reports)
    med_o, med_b = statistics.median(ours), statistics.median(base)
    p95 = statistics.quantiles(ours, n=20)[-1]
    print(f"reports: {n}")
    print(
        f"xxgk validate: median {med_o * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms,"
        f" total {sum(ours):.2f} s"
    )
    print(f"plain Draft202012Validator: median {med_b * 1e3:.2f} ms, total {sum(base):.2f} s")
    print(f"ratio ours/plain: {med_o / med_b:.2f}x")


if __name__ == "__main__":
    main()
