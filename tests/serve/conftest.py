from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Server, make_workbook, running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("serve")
    with running(root / "data") as s:
        yield s


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A correct workbook and one with a mistake in 表三, named as staff would name them."""
    root = tmp_path_factory.mktemp("books")
    return {
        "good": make_workbook(root / "商务局年报.xlsx", "某县商务局"),
        "bad": make_workbook(root / "教育局年报.xlsx", "某县教育局", mistake=3),
    }
