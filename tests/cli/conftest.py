"""Run the real `triagebot` command in-process against a store in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli

Invoke = Callable[..., Result]


@pytest.fixture
def triagebot(tmp_path: Path, database_url: str) -> Invoke:
    """`triagebot(*args)` runs the CLI with its store at `database_url` (SQLite and
    PostgreSQL) and its data folder under tmp_path."""
    env = {
        "TRIAGEBOT_DATA_DIR": str(tmp_path / "data"),
        "TRIAGEBOT_DATABASE_URL": database_url,
    }

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    return invoke
