"""A bounded load test on localhost: concurrent clients, none of their uploads lost, every
answer the one the command line gives for that file (bench/serve_bench.py: 50 × 1,000)."""

from __future__ import annotations

import concurrent.futures as cf
from pathlib import Path

from .harness import Server, cli_validate, make_workbook

CLIENTS = 10
UPLOADS = 100


def test_concurrent_uploads_all_answered_right(server: Server, tmp_path: Path) -> None:
    books = [
        make_workbook(tmp_path / f"{i}.xlsx", f"某县负载单位{i}", mistake=(i if i % 2 else None))
        for i in range(5)
    ]
    expected = {p.name: cli_validate(p) for p in books}  # the CLI's own answer, one process each
    payloads = {p.name: p.read_bytes() for p in books}
    jobs = [books[i % len(books)].name for i in range(UPLOADS)]

    def client(share: list[str]) -> list[tuple[str, int, str]]:
        with server.client() as c:
            return [
                (
                    name,
                    (
                        r := c.post("/api/validate", files={"file": (name, payloads[name])})
                    ).status_code,
                    r.text,
                )
                for name in share
            ]

    shares = [jobs[i::CLIENTS] for i in range(CLIENTS)]
    with cf.ThreadPoolExecutor(CLIENTS) as pool:
        answers = [a for got in pool.map(client, shares) for a in got]
    assert len(answers) == UPLOADS
    wrong = [
        (name, status) for name, status, text in answers if status != 200 or text != expected[name]
    ]
    assert wrong == []
    assert sum('"T3_BALANCE"' in text for _, _, text in answers) == sum(
        1 for name in jobs if int(Path(name).stem) % 2
    )
