"""The real server as a separate process, and the workbooks the serve tests upload."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook

from ..wb_helpers import example_data, write_workbook

# The one cell a "mistake" changes: 表三 一、本年新收 · 自然人. Its address is read from the
# workbook's own defined name (openpyxl), not from xxgk's locator.
MISTAKE_NAME = "requests.new.natural_person"
SRC = Path(__file__).resolve().parents[2] / "src"


def environment(**extra: str) -> dict[str, str]:
    """The environment of a child process: this tree's xxgk first on its path (a machine may
    have another, older xxgk installed, which `python -m xxgk…` would run otherwise)."""
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, PYTHONPATH=path, **extra)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, data: Path, *args: str, host: str = "127.0.0.1") -> None:
        self.port = free_port()
        self.host = host
        self.data = data
        log = data.parent / f"serve-{self.port}.log"
        env = environment(XXGK_LOG_DIR=str(data.parent / "logs"), PYTHONUNBUFFERED="1")
        cmd = [sys.executable, "-m", "xxgk.cli.main", "serve", "--port", str(self.port)]
        cmd += ["--data", str(data), "--host", host, *args]
        self.log = log
        with open(log, "wb") as err:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + log.read_text("utf-8", "replace"))
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start: " + log.read_text("utf-8", "replace"))

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kw)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


@contextlib.contextmanager
def running(data: Path, *args: str, host: str = "127.0.0.1") -> Iterator[Server]:
    server = Server(data, *args, host=host)
    try:
        yield server
    finally:
        server.stop()


def make_workbook(path: Path, agency: str, year: int = 2024, mistake: int | None = None) -> Path:
    """A filled template for `agency` and `year`, published in time; with `mistake`, the
    new natural-person requests of 表三 are that many more than the results account for."""
    data = example_data()
    data["agency"]["name"] = agency
    data["year"] = year
    data["published_on"] = f"{year + 1}-01-20"
    cells: dict[str, Any] = {}
    if mistake:
        cells[MISTAKE_NAME] = data["requests"]["new"]["natural_person"] + mistake
    return write_workbook(path, data, cells)


def cell_address(path: Path, dotted: str = MISTAKE_NAME) -> tuple[str, str]:
    wb = load_workbook(path)
    sheet, ref = next(iter(wb.defined_names[dotted].destinations))
    return sheet, ref.replace("$", "")


def cli_validate(path: Path) -> str:
    """What `xxgk validate --format json` prints for `path` (run in its folder, by its name)."""
    out = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "validate", "--format", "json", path.name],
        cwd=path.parent,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    return out.stdout
