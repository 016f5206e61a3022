from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

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
