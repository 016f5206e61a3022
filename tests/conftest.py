from __future__ import annotations

import copy
import json
import os
from importlib import resources
from typing import Any

import pytest

# xlwings decides at import whether its remote engine (used by the add-in tests) is licensed;
# its PolyForm Noncommercial licence covers use by government institutions.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
# Tests that start `python -m xxgk.cli.main` (or the server) in a child process run this tree's
# code, never an older copy installed in site-packages.
_SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_SRC, os.environ.get("PYTHONPATH", "")) if p
)

EXAMPLE = resources.files("xxgk").joinpath("examples", "seed-2024.json")


def load_example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def example() -> dict[str, Any]:
    return copy.deepcopy(load_example())


@pytest.fixture
def example_path():
    with resources.as_file(EXAMPLE) as path:
        yield path


def need_tool(label: str, path: str | None, install: str) -> str:
    """The external tool's path. Without it a developer's run skips the test (the README's test
    command must pass on a machine with only Python); CI (CI=true), which installs the tool in
    .ci/run, fails instead, so a missing install step cannot hide."""
    if path:
        return path
    message = f"{label} is not installed ({install}; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
