"""`triagebot redflags`: the red-flag referral check alone, without retrieval."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.app import red_flag_checker
from bot.cli.ask_commands import read_questions
from bot.cli.context import CliContext
from bot.cli.render import render_red_flags, render_safety_net


@click.command()
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the `red_flags` object as JSON.")
@click.option(
    "--batch",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Read one message per line from FILE ('-' for stdin); one JSON object per line.",
)
@click.option("--emergency-number", help="The emergency number to name in referrals (e.g. 999).")
@click.pass_obj
def redflags(
    cli: CliContext,
    text: str | None,
    as_json: bool,
    batch: Path | None,
    emergency_number: str | None,
) -> None:
    """Check TEXT for red flags: symptoms that need a clinician, and how soon.

    Levels, most severe first: emergency, urgent, soon, none. When the evidence is partial
    the check asks one yes/no screening question instead (`confirm` in JSON), and a message
    about a region with known red flags gets a "get help now if..." list (`safety_net`).
    TRIAGEBOT_REDFLAGS_LEARNED=false runs the catalogue's patterns alone.

    \b
    Examples:
      triagebot redflags "numb when I wipe and can't pee"
      triagebot redflags --json --emergency-number 999 "crushing chest pain on the bike"
      triagebot redflags --batch messages.txt
    """
    messages = read_questions(text, batch, what="TEXT")
    checker = red_flag_checker(cli.settings)
    for message in messages:
        report = checker.check(message, emergency_number=emergency_number)
        if as_json or batch is not None:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            blocks = [render_red_flags(report), render_safety_net(report)]
            click.echo("\n\n".join(block for block in blocks if block) or "No red flags found.")
