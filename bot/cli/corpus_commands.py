"""`triagebot corpus ...`: importing, exporting and inspecting the curated answers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.cli.context import CliContext
from bot.corpus.formats import to_markdown, write_corpus
from bot.corpus.importer import (
    IMPORT_BATCH,
    import_records,
    parse_post_numbers,
    read_import_source,
)
from bot.scopes import GLOBAL_SCOPE
from bot.store.answers import AnswerRepository

scope_option = click.option(
    "--scope",
    default=GLOBAL_SCOPE,
    show_default=True,
    help="The corpus scope: 'global' (the shared starter corpus) or a Discord guild id.",
)


@click.group()
def corpus() -> None:
    """The curated answers: import, export, list, show, retire."""


@corpus.command(name="import")
@click.argument("path", type=click.Path(path_type=Path))
@scope_option
@click.option("--forum-url", help="For a Discourse topic .json: the forum's address.")
@click.option("--posts", help="For a Discourse topic: the post numbers to import, e.g. 2,5.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_obj
def import_(
    ctx: CliContext,
    path: Path,
    scope: str,
    forum_url: str | None,
    posts: str | None,
    as_json: bool,
) -> None:
    """Import answers from PATH: a .md or .jsonl file, a folder of them, or a Discourse
    topic .json. Everything is checked first: any problem is reported with file and line
    and nothing is written. Then the answers are written in batches of 500 (the bot keeps
    answering meanwhile). Importing unchanged files again changes nothing, and finishes an
    import that was stopped part-way.

    \b
    Examples:
      triagebot corpus import corpus/answers
      triagebot corpus import answers.jsonl --scope 123456789012345678
      triagebot corpus import topic.json --forum-url https://forum.example.org --posts 2,5
    """
    records = read_import_source(path, forum_url=forum_url, posts=parse_post_numbers(posts))
    database = ctx.database()
    if len(records) <= IMPORT_BATCH:
        summary = import_records(database, records, scope, ctx.actor, note=f"import {path}")
    else:
        with click.progressbar(
            length=len(records), label="Writing answers", file=sys.stderr
        ) as bar:
            summary = import_records(
                database,
                records,
                scope,
                ctx.actor,
                note=f"import {path}",
                progress=lambda done, _total: bar.update(done - bar.pos),
            )
    if as_json:
        click.echo(json.dumps({"scope": scope, **summary.__dict__}))
    else:
        click.echo(f"Imported into '{scope}': {summary.describe()}.")


@corpus.command()
@click.argument("path", type=click.Path(path_type=Path))
@scope_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "jsonl"]),
    default=None,
    help="md: a folder of .md files; jsonl: one file. Default: from PATH's ending.",
)
@click.option("--include-retired", is_flag=True, help="Export retired answers too.")
@click.pass_obj
def export(ctx: CliContext, path: Path, scope: str, fmt: str | None, include_retired: bool) -> None:
    """Export the answers of a scope to PATH in the interchange format.

    \b
    Examples:
      triagebot corpus export backup/            # a folder of .md files
      triagebot corpus export backup.jsonl       # JSON Lines
    """
    fmt = fmt or ("jsonl" if path.suffix.lower() in (".jsonl", ".ndjson") else "md")
    with ctx.database().session() as session:
        stored = AnswerRepository(session).list(scope, include_retired=include_retired)
    count = write_corpus([s.record for s in stored], path, fmt)
    click.echo(f"Exported {count} answers from '{scope}' to {path} ({fmt}).")


@corpus.command(name="list")
@scope_option
@click.option("--include-retired", is_flag=True, help="List retired answers too.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_obj
def list_(ctx: CliContext, scope: str, include_retired: bool, as_json: bool) -> None:
    """List the answers of a scope (id, status, title).

    \b
    Example:
      triagebot corpus list --include-retired
    """
    with ctx.database().session() as session:
        stored = AnswerRepository(session).list(scope, include_retired=include_retired)
    for answer in stored:
        if as_json:
            data = {**answer.record.to_dict(), "status": answer.status}
            data.pop("body")
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            marker = "" if answer.status == "active" else f" [{answer.status}]"
            click.echo(f"{answer.record.id}{marker}  {answer.record.title}")
    if not as_json:
        click.echo(f"{len(stored)} answers in '{scope}'.", err=True)


@corpus.command()
@click.argument("answer_id")
@scope_option
@click.option("--history", is_flag=True, help="Also list the answer's revisions.")
@click.pass_obj
def show(ctx: CliContext, answer_id: str, scope: str, history: bool) -> None:
    """Show one answer as its Markdown file.

    \b
    Example:
      triagebot corpus show hip-flexors-from-sitting --history
    """
    with ctx.database().session() as session:
        repository = AnswerRepository(session)
        stored = repository.get(scope, answer_id)
        revisions = repository.revisions(scope, answer_id) if history else []
    click.echo(to_markdown(stored.record), nl=False)
    click.echo(
        f"<!-- status: {stored.status}, revision {stored.revision}, "
        f"last changed by {stored.updated_by} at {stored.updated_at} -->"
    )
    for number, status, who, note in revisions:
        click.echo(f"revision {number}: {status} by {who or 'unknown'} ({note})")


@corpus.command()
@click.argument("answer_id")
@scope_option
@click.pass_obj
def retire(ctx: CliContext, answer_id: str, scope: str) -> None:
    """Retire an answer: it stays in the history but is never shown again.

    \b
    Example:
      triagebot corpus retire old-belt-advice
    """
    with ctx.database().session() as session:
        changed = AnswerRepository(session).retire(scope, answer_id, ctx.actor)
    click.echo(f"Retired '{answer_id}'." if changed else f"'{answer_id}' was already retired.")


@corpus.command()
@click.argument("answer_id")
@scope_option
@click.pass_obj
def restore(ctx: CliContext, answer_id: str, scope: str) -> None:
    """Bring a retired answer back.

    \b
    Example:
      triagebot corpus restore old-belt-advice
    """
    with ctx.database().session() as session:
        changed = AnswerRepository(session).restore(scope, answer_id, ctx.actor)
    click.echo(f"Restored '{answer_id}'." if changed else f"'{answer_id}' is already active.")
