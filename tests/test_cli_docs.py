"""Every command is documented: its own --help, and a row in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from xxgk.cli.main import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


CTX = click.Context(main)


@pytest.mark.parametrize("name", main.list_commands(CTX))
def test_command_has_help_and_a_readme_entry(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    command = main.get_command(CTX, name)
    assert result.exit_code == 0 and command is not None and command.help
    assert f"`xxgk {name}" in README


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```", 2)[1].strip().splitlines()
    assert len(block) == 2
    assert block[0].startswith("pip install . && xxgk convert src/xxgk/examples/")
    assert block[1] == 'pip install ".[test]" && python -m pytest'
