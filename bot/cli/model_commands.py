"""`triagebot model ...`: the embedding model's int8 ONNX export."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.context import CliContext


@click.group()
def model() -> None:
    """The embedding model: export it for the default (onnx-int8) encoder."""


@model.command()
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of model exports (default: this environment's share/triagebot/models).",
)
@click.pass_obj
def export(ctx: CliContext, into: Path | None) -> None:
    """Export TRIAGEBOT_EMBEDDING_MODEL to int8 ONNX once, so that asking, building and the
    bot run it without torch. `make install` runs this; it does nothing when the export is
    already there.

    \b
    Example:
      triagebot model export
    """
    from bot.paths import installed_models_dir
    from bot.retrieval.encoder import resolve_model
    from bot.retrieval.onnx_encoder import export_onnx_int8

    folder, name = resolve_model(ctx.settings.embedding_model)
    export_dir = export_onnx_int8(folder, name, into or installed_models_dir())
    click.echo(f"{name}: int8 ONNX export in {export_dir}")


@model.command("train-encoder")
@click.option(
    "--figures/--no-figures",
    default=True,
    help="Measure the packaged and the fitness encoder on every retrieval set afterwards.",
)
@click.pass_obj
def train_encoder(ctx: CliContext, figures: bool) -> None:
    """Fine-tune the fitness encoder's top layers on the starter corpus (a fixed seed; a few
    minutes on two cores) and write bot/retrieval/domain_model/. `make train-encoder` runs
    this; `git diff` then shows whether the committed weights were reproduced.

    \b
    Example:
      triagebot model train-encoder
    """
    from bot.corpus.formats import read_corpus
    from bot.paths import starter_answers_dir
    from bot.retrieval.domain import DELTA_DIR, train, write_card
    from bot.retrieval.domain_figures import measure

    card = train(read_corpus(starter_answers_dir()), DELTA_DIR, say=click.echo)
    click.echo(f"wrote {DELTA_DIR} ({card['steps']} steps, data {card['data_hash'][:12]})")
    if figures:
        card["figures"] = measure(say=click.echo)
        write_card(DELTA_DIR, card)
        click.echo("figures written to the card")
