"""`triagebot demo`: the main job end to end on the embedded default."""

from __future__ import annotations

import click

from bot.cli.context import CliContext
from bot.corpus.formats import read_corpus
from bot.corpus.importer import import_records
from bot.paths import starter_answers_dir
from bot.store.answers import AnswerRepository
from bot.store.schema import GLOBAL_SCOPE


@click.command()
@click.pass_obj
def demo(ctx: CliContext) -> None:
    """Set up the data folder, import the starter corpus and show what is in it.

    \b
    Example:
      triagebot demo
    """
    settings = ctx.settings
    click.echo(f"Store: {ctx.raw_database().engine.url.render_as_string()}")
    records = read_corpus(starter_answers_dir())
    summary = import_records(ctx.database(), records, GLOBAL_SCOPE, ctx.actor, "demo import")
    click.echo(f"Starter corpus imported into '{GLOBAL_SCOPE}': {summary.describe()}.")
    with ctx.database().session() as session:
        stored = AnswerRepository(session).list(GLOBAL_SCOPE)
    topics: dict[str, int] = {}
    for answer in stored:
        topic = answer.record.tags[0] if answer.record.tags else "untagged"
        topics[topic] = topics.get(topic, 0) + 1
    click.echo(
        f"{len(stored)} active answers; first tags: "
        + ", ".join(
            f"{tag} ({count})" for tag, count in sorted(topics.items(), key=lambda kv: -kv[1])[:12]
        )
    )
    click.echo(f"Index folder: {settings.index_root} (built by `triagebot index rebuild`).")
