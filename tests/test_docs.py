"""Every CLI command is documented in the README and its help ends with an example."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from bot.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def leaf_commands(
    group: click.Group, prefix: str = "triagebot"
) -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from leaf_commands(command, path)
        else:
            yield path, command


COMMANDS = list(leaf_commands(cli))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_the_command_is_in_the_readme(path: str, command: click.Command) -> None:
    assert f"`{path}" in README


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_the_help_ends_with_an_example(path: str, command: click.Command) -> None:
    help_text = (command.help or "").strip()
    last_paragraph = help_text.split("\n\n")[-1]
    assert "Example" in last_paragraph
    assert path.split()[0] in last_paragraph


def test_the_readme_opens_with_the_demo_and_the_test_commands() -> None:
    first_block = README.split("```")[1]
    assert "make demo" in first_block
    assert "make test" in first_block
