"""`triagebot redflags`: the red-flag referral check alone, without retrieval."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.cli.ask_commands import read_questions
from bot.cli.render import render_red_flags
from bot.redflags import RedFlagChecker


@click.command()
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the `red_flags` object as JSON.")
@click.option(
    "--batch",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Read one message per line from FILE ('-' for stdin); one JSON object per line.",
)
@click.option("--emergency-number", help="The emergency number to name in referrals (e.g. 999).")
def redflags(
    text: str | None, as_json: bool, batch: Path | None, emergency_number: str | None
) -> None:
    """Check TEXT for red flags: symptoms that need a clinician, and how soon.

    Levels, most severe first: emergency, urgent, soon, none.

    \b
    Examples:
      triagebot redflags "numb when I wipe and can't pee"
      triagebot redflags --json --emergency-number 999 "crushing chest pain on the bike"
      triagebot redflags --batch messages.txt
    """
    messages = read_questions(text, batch, what="TEXT")
    checker = RedFlagChecker.default()
    for message in messages:
        report = checker.check(message, emergency_number=emergency_number)
        if as_json or batch is not None:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            click.echo(render_red_flags(report) or "No red flags found.")
