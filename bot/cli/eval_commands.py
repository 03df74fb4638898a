"""`triagebot eval` (retrieval) and `triagebot eval redflags`: the figures behind the claims."""

from __future__ import annotations

import json
import sys
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
FIRST_SIGHT = "first-sight"


@click.group(invoke_without_command=True)
@click.option(
    "--set",
    "set_path",
    type=click.Path(exists=True, path_type=Path),
    help="A retrieval*.jsonl file or a folder of them (default: eval/retrieval, and the "
    "community corpora beside it).",
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
    when they are there), then BM25 alone, dense alone, the RRF baseline and the hybrid
    answer every question of the set in the same run. Without --set and --corpus, each
    community corpus of eval/retrieval (a folder with a corpus/ and its questions: the
    first-sight one, never tuned on, and regression sets) is measured beside the starter
    set; in --json each is a key named after its folder.

    \b
    Examples:
      triagebot eval
      triagebot eval --json --set eval/retrieval/retrieval-part-b.jsonl
      triagebot eval redflags
    """
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: CliContext = click_ctx.obj
    runs = [("starter", set_path or retrieval_sets_dir(), corpus_path or starter_answers_dir())]
    if set_path is None and corpus_path is None:
        runs.extend((folder.name, folder, folder / "corpus") for folder in community_sets())
    reports = {name: _evaluate(ctx, sets, corpus, calibrate) for name, sets, corpus in runs}
    report = reports.pop("starter")
    if as_json:
        report.pop("details", None)
        for name, other in reports.items():
            other.pop("details", None)
            report[name.replace("-", "_")] = other
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(retrieval_eval.format_report(report, show_misses=misses))
    for name, other in reports.items():
        kind = "never tuned on" if name == FIRST_SIGHT else "a regression set"
        click.echo(f"\n== {name}: a community corpus without `also_asked`, {kind} ==\n")
        click.echo(retrieval_eval.format_report(other, show_misses=0))


def community_sets() -> list[Path]:
    """The labelled community corpora beside the starter set: first-sight first."""
    folders = [f for f in sorted(retrieval_sets_dir().iterdir()) if (f / "corpus").is_dir()]
    return sorted(folders, key=lambda f: f.name != FIRST_SIGHT)


def _evaluate(
    ctx: CliContext, questions_path: Path, corpus_path: Path, calibrate: bool
) -> dict[str, object]:
    """One set against its corpus, built into a throw-away index."""
    questions = retrieval_eval.load_questions(questions_path)
    records = read_corpus(corpus_path)
    app = ctx.app()
    with tempfile.TemporaryDirectory(prefix="triagebot-eval-") as folder:
        builder = IndexBuilder(Path(folder), app.encoder, SqlEmbeddingCache(app.database))
        with click.progressbar(
            length=len(records),
            label=f"Embedding {corpus_path.name}",
            file=sys.stderr,
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            builder.build(EVAL_SCOPE, records, progress=progress)
        retriever = Retriever(Path(folder), app.encoder)
        return retrieval_eval.evaluate(retriever, questions, [EVAL_SCOPE], calibrate=calibrate)


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
