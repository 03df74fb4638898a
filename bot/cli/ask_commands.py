"""`triagebot ask` and `triagebot unanswered`: the main job from a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.cli.context import CliContext
from bot.cli.render import printable, render_result
from bot.scopes import GLOBAL_SCOPE
from bot.store.questions import unanswered_questions
from bot.triage import QuestionScope


def read_questions(text: str | None, batch: Path | None, what: str = "QUESTION") -> list[str]:
    """The argument, or the non-empty lines of the --batch file ('-' for stdin)."""
    if (text is None) == (batch is None):
        raise click.UsageError(f"give a {what} or --batch FILE (one of them)")
    if batch is None:
        lines = [text or ""]
    elif str(batch) == "-":
        lines = sys.stdin.read().splitlines()
    elif not batch.is_file():
        raise click.ClickException(f"no such file: {batch} (--batch takes one message per line)")
    else:
        lines = batch.read_text(encoding="utf-8").splitlines()
    messages = [line.strip() for line in lines if line.strip()]
    if not messages:
        raise click.UsageError(f"the {what.lower()} is empty")
    return messages


@click.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per question.")
@click.option(
    "--batch",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Read one question per line from FILE ('-' for stdin); the model loads once.",
)
@click.option(
    "--k",
    "k",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="At most this many answers.",
)
@click.option("--no-threshold", is_flag=True, help="Return the top answers even when unsure.")
@click.option(
    "--scope",
    default=GLOBAL_SCOPE,
    show_default=True,
    help="Ask as this scope (a guild id searches its own answers plus 'global').",
)
@click.option("--emergency-number", help="The emergency number to name in referrals (e.g. 999).")
@click.pass_obj
def ask(
    ctx: CliContext,
    question: str | None,
    as_json: bool,
    batch: Path | None,
    k: int,
    no_threshold: bool,
    scope: str,
    emergency_number: str | None,
) -> None:
    """Answer QUESTION with cited curated answers, after the red-flag check.

    \b
    Examples:
      triagebot ask "my lower back is tight when I squat, what warm-up?"
      triagebot ask --json --k 5 "hip flexors tight from sitting"
      triagebot ask --json --batch questions.txt
    """
    questions = read_questions(question, batch)
    app = ctx.app()
    app.purge_expired()  # question text is kept only for the retention period
    where = QuestionScope(scope=scope, emergency_number=emergency_number)
    for text in questions:
        result = app.service.answer(text, where, k=k, use_threshold=not no_threshold)
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            click.echo(click.style(f"Q: {text}", bold=True))
            click.echo(render_result(result))
            click.echo("")


@click.command()
@click.option("--scope", default=None, help="Only this scope (default: all).")
@click.option("--limit", type=click.IntRange(1, 1000), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_obj
def unanswered(ctx: CliContext, scope: str | None, limit: int, as_json: bool) -> None:
    """List questions that got no curated answer, most frequently asked first.

    \b
    Example:
      triagebot unanswered --limit 10
    """
    with ctx.database().session() as session:
        queue = unanswered_questions(session, [scope] if scope else None, limit=limit)
    for item in queue:
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "question": item.text,
                        "times_asked": item.times_asked,
                        "last_asked": item.last_asked.isoformat(timespec="seconds"),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            click.echo(f"{item.times_asked:>4}x  {printable(item.text)}")
    if not queue and not as_json:
        click.echo("No unanswered questions.")
