"""`triagebot redflags`: the red-flag referral check alone, without retrieval."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from bot.app import red_flag_checker
from bot.cli.ask_commands import read_questions
from bot.cli.context import CliContext
from bot.cli.render import render_red_flags
from bot.paths import corpus_dir, eval_dir
from bot.redflags.evaluation import load_examples
from bot.redflags.learned import (
    DEFAULT_EPOCHS,
    everyday_questions,
    learned_model_dir,
    train,
    training_examples,
)
from bot.redflags.rules import default_rules_path, load_rules


@click.command()
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the `red_flags` object as JSON.")
@click.option(
    "--batch",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Read one message per line from FILE ('-' for stdin); one JSON object per line.",
)
@click.option("--emergency-number", help="The emergency number to name in referrals (e.g. 999).")
@click.option(
    "--train",
    "train_learned",
    is_flag=True,
    help="Fine-tune the learned check on corpus/eval and the rules' examples (minutes).",
)
@click.option(
    "--epochs",
    type=click.IntRange(1, 20),
    default=DEFAULT_EPOCHS,
    show_default=True,
    help="Passes over the training messages, with --train.",
)
@click.pass_obj
def redflags(
    cli: CliContext,
    text: str | None,
    as_json: bool,
    batch: Path | None,
    emergency_number: str | None,
    train_learned: bool,
    epochs: int,
) -> None:
    """Check TEXT for red flags: symptoms that need a clinician, and how soon.

    Levels, most severe first: emergency, urgent, soon, none. With
    TRIAGEBOT_REDFLAGS_LEARNED=true the learned check runs beside the rules; `--train`
    makes it (into <data_dir>/models/).

    \b
    Examples:
      triagebot redflags "numb when I wipe and can't pee"
      triagebot redflags --json --emergency-number 999 "crushing chest pain on the bike"
      triagebot redflags --batch messages.txt
      triagebot redflags --train
    """
    if train_learned:
        if text is not None or batch is not None:
            raise click.UsageError("--train checks no message: leave out TEXT and --batch")
        _train(cli, epochs)
        return
    messages = read_questions(text, batch, what="TEXT")
    checker = red_flag_checker(cli.settings)
    for message in messages:
        report = checker.check(message, emergency_number=emergency_number)
        if as_json or batch is not None:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            click.echo(render_red_flags(report) or "No red flags found.")


def _train(cli: CliContext, epochs: int) -> None:
    sets = sorted(eval_dir().glob("redflags*.jsonl"))
    labelled = [example for path in sets for example in load_examples(path)]
    everyday = everyday_questions(
        corpus_dir() / "answers", sorted(eval_dir().glob("retrieval*.jsonl"))
    )
    rows = training_examples(load_rules(default_rules_path()), labelled, everyday)
    folder = learned_model_dir(cli.settings.data_dir)
    click.echo(
        f"Training on {len(rows)} messages: {len(sets)} labelled red-flag sets, the rules' "
        f"examples and {len(everyday)} ordinary questions."
    )
    started = time.monotonic()
    with click.progressbar(length=epochs, label="Fine-tuning") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        train(rows, folder, epochs=epochs, progress=progress)
    minutes = (time.monotonic() - started) / 60
    click.echo(
        f"Saved the learned red-flag check to {folder} ({minutes:.1f} min). "
        "Switch it on with TRIAGEBOT_REDFLAGS_LEARNED=true."
    )
