"""Configuration mistakes are one line, never a traceback."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli import cli


def test_an_unreachable_database_is_one_clear_line() -> None:
    env = {"TRIAGEBOT_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nowhere"}

    result = CliRunner().invoke(cli, ["corpus", "list"], env=env)

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: cannot open the database postgresql+psycopg://")


def test_a_malformed_database_url_says_what_a_good_one_looks_like() -> None:
    result = CliRunner().invoke(cli, ["corpus", "list"], env={"TRIAGEBOT_DATABASE_URL": "::"})

    assert result.exit_code == 1
    assert "TRIAGEBOT_DATABASE_URL is not a database URL" in result.output
    assert "postgresql+psycopg://" in result.output


def test_an_invalid_setting_names_the_variable() -> None:
    env = {"TRIAGEBOT_UNANSWERED_RETENTION_DAYS": "soon"}

    result = CliRunner().invoke(cli, ["corpus", "list"], env=env)

    assert result.exit_code == 1
    assert "TRIAGEBOT_UNANSWERED_RETENTION_DAYS is invalid" in result.output
