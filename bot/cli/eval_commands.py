"""`triagebot eval` (retrieval) and `triagebot eval redflags`: the figures behind the claims."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from bot.app import red_flag_checker
from bot.cli.context import CliContext
from bot.corpus.formats import read_corpus
from bot.evaluation import retrieval as retrieval_eval
from bot.paths import retrieval_sets_dir, starter_answers_dir
from bot.redflags import evaluation as redflag_eval
from bot.retrieval import IndexBuilder, Retriever
from bot.store.embedding_cache import SqlEmbeddingCache

EVAL_SCOPE = "eval"


@click.group(invoke_without_command=True)
@click.option(
    "--set",
    "set_path",
    type=click.Path(exists=True, path_type=Path),
    help="A retrieval*.jsonl file or a folder of them (default: corpus/eval).",
)
@click.option(
    "--corpus",
    "corpus_path",
    type=click.Path(exists=True, path_type=Path),
    help="The answers the set refers to (default: the starter corpus).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option(
    "--calibrate", is_flag=True, help="Choose each mode's threshold on the tune split first."
)
@click.option("--misses", type=click.IntRange(0, 500), default=0, help="List this many misses.")
@click.pass_context
def eval_(
    click_ctx: click.Context,
    set_path: Path | None,
    corpus_path: Path | None,
    as_json: bool,
    calibrate: bool,
    misses: int,
) -> None:
    """Measure retrieval: MRR@10, Hit@1, Hit@3, nDCG@10 and the answer/no-answer decision.

    The corpus is built into a throw-away index (embeddings come from the store's cache
    when they are there), then BM25 alone, dense alone and the hybrid answer every
    question of the set in the same run.

    \b
    Examples:
      triagebot eval
      triagebot eval --json --set corpus/eval/retrieval-part-b.jsonl
      triagebot eval redflags
    """
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: CliContext = click_ctx.obj
    questions = retrieval_eval.load_questions(set_path or retrieval_sets_dir())
    records = read_corpus(corpus_path or starter_answers_dir())
    app = ctx.app()
    with tempfile.TemporaryDirectory(prefix="triagebot-eval-") as folder:
        builder = IndexBuilder(Path(folder), app.encoder, SqlEmbeddingCache(app.database))
        with click.progressbar(
            length=len(records),
            label="Embedding",
            file=click.get_text_stream("stderr"),  # type: ignore[operator]
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            builder.build(EVAL_SCOPE, records, progress=progress)
        retriever = Retriever(Path(folder), app.encoder)
        report = retrieval_eval.evaluate(retriever, questions, [EVAL_SCOPE], calibrate=calibrate)
    if as_json:
        report.pop("details", None)
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(retrieval_eval.format_report(report, show_misses=misses))


@eval_.command("redflags")
@click.option(
    "--set",
    "set_path",
    type=click.Path(exists=True, path_type=Path),
    help="A labelled .jsonl file or a folder of them (default: eval/redflags/first-sight).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.pass_obj
def eval_redflags(ctx: CliContext, set_path: Path | None, as_json: bool) -> None:
    """Measure the red-flag check as the bot runs it: per level, per context, and by length
    (short, long) with screening questions counted.

    \b
    Examples:
      triagebot eval redflags
      triagebot eval redflags --set eval/redflags/tuned --json
    """
    examples = redflag_eval.load_examples(set_path)
    result = redflag_eval.evaluate(red_flag_checker(ctx.settings), examples)
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(redflag_eval.format_report(result))
