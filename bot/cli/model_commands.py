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
