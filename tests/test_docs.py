"""Docs are tested: every command has help with an example, and the README shows it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import REPO

from geo.cli import main

COMMANDS = sorted(main.commands)


def test_the_readme_starts_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [["make", "maps"], ["make", "test"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"cpec-map {command}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_commands_are_the_expected_ones():
    assert COMMANDS == ["build", "changes", "export", "extract", "figure", "list", "validate"]
