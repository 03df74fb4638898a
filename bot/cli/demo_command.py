"""`triagebot demo`: the main job end to end on the embedded default."""

from __future__ import annotations

import click

from bot.cli import index_commands
from bot.cli.context import CliContext
from bot.cli.render import render_result
from bot.corpus.formats import read_corpus
from bot.corpus.importer import import_records
from bot.paths import starter_answers_dir
from bot.scopes import GLOBAL_SCOPE
from bot.store.answers import AnswerRepository
from bot.triage import QuestionScope

DEMO_QUESTION = (
    "my lower back just above my bum feels tight and limits me in football and squats, "
    "what should I do to warm up?"
)


@click.command()
@click.option("--question", default=DEMO_QUESTION, show_default=False, help="What to ask.")
@click.pass_obj
def demo(ctx: CliContext, question: str) -> None:
    """Import the starter corpus, build the index and answer a question: the main job.

    \b
    Examples:
      triagebot demo
      triagebot demo --question "my knees hurt when I squat"
    """
    click.echo(f"Store: {ctx.raw_database().engine.url.render_as_string()}")
    records = read_corpus(starter_answers_dir())
    summary = import_records(ctx.database(), records, GLOBAL_SCOPE, ctx.actor, "demo import")
    click.echo(f"Starter corpus imported into '{GLOBAL_SCOPE}': {summary.describe()}.")
    with ctx.database().session() as session:
        stored = AnswerRepository(session).list(GLOBAL_SCOPE)
    click.echo(f"{len(stored)} active answers.")
    click.get_current_context().invoke(index_commands.rebuild, scope=GLOBAL_SCOPE)
    click.echo("")
    click.echo(click.style(f"Q: {question}", bold=True))
    result = ctx.app().service.answer(question, QuestionScope(scope=GLOBAL_SCOPE))
    click.echo(render_result(result))
