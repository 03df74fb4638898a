"""`triagebot index ...`: building the search index and seeing what is current."""

from __future__ import annotations

import json

import click

from bot.cli.context import CliContext
from bot.retrieval.decision import Decision, build_warnings
from bot.retrieval.manifest import BuildManifest, current_build, list_builds
from bot.scopes import GLOBAL_SCOPE
from bot.store.answers import AnswerRepository
from bot.store.phrasings import index_records, scopes_with_phrasings


@click.group()
def index() -> None:
    """The search index: rebuild it, see its status."""


def _scopes(ctx: CliContext, scope: str | None) -> list[str]:
    if scope is not None:
        return [scope]
    with ctx.database().session() as session:
        # A guild that only added phrasings to shared answers still has an index of its own.
        scopes = {*AnswerRepository(session).scopes(), *scopes_with_phrasings(session)}
        return sorted(scopes) or [GLOBAL_SCOPE]


def _describe(manifest: BuildManifest) -> str:
    counts = manifest.counts
    found = Decision.from_dict(manifest.decision)
    decision = (
        f"answers from a decision score of {found.threshold:.3f} "
        f"(declines {found.probes_declined:.0%} of {found.probes} off-topic probes)"
        if found is not None
        else "no recorded answer threshold (built by an older version: rebuild it)"
    )
    return (
        f"build {manifest.build_id}: {counts.get('answers', 0)} answers, "
        f"{counts.get('passages', 0)} passages ({counts.get('embedded', 0)} embedded, "
        f"{counts.get('reused', 0)} from the cache), {manifest.index_type}, "
        f"{manifest.duration_seconds:.1f}s, {decision}"
    )


@index.command()
@click.option("--scope", default=None, help="Only this scope (default: every scope in the store).")
@click.option("--full", is_flag=True, help="Embed everything again instead of only what changed.")
@click.option("--json", "as_json", is_flag=True, help="Print each build's manifest as JSON.")
@click.pass_obj
def rebuild(ctx: CliContext, scope: str | None, full: bool, as_json: bool) -> None:
    """Build the index from the store's active answers and make it current.

    Incremental by default: only new or changed text is embedded. The previous build keeps
    serving until the new one is complete.

    \b
    Examples:
      triagebot index rebuild
      triagebot index rebuild --full --scope global
    """
    app = ctx.app()
    for name in _scopes(ctx, scope):
        bar: object | None = None

        def progress(done: int, total: int, scope_name: str = name) -> None:
            nonlocal bar
            if as_json or total == 0:
                return
            if bar is None:
                bar = click.progressbar(length=total, label=f"Embedding '{scope_name}'")
                bar.__enter__()  # type: ignore[attr-defined]
            bar.update(done - bar.pos)  # type: ignore[attr-defined]

        try:
            manifest = app.rebuild_index(name, full=full, progress=progress)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)  # type: ignore[attr-defined]
        if as_json:
            click.echo(manifest.to_json())
        else:
            click.echo(f"'{name}' is now on {_describe(manifest)}.")
        for warning in build_warnings(manifest):
            click.echo(f"warning: {warning}", err=True)


@index.command()
@click.option("--scope", default=None, help="Only this scope (default: every scope).")
@click.option("--json", "as_json", is_flag=True, help="Print the current manifests as JSON.")
@click.pass_obj
def status(ctx: CliContext, scope: str | None, as_json: bool) -> None:
    """Show the current build of each scope and whether it is up to date with the store.

    \b
    Example:
      triagebot index status
    """
    from bot.retrieval.manifest import corpus_checksum

    root = ctx.settings.index_root
    report = []
    for name in _scopes(ctx, scope):
        manifest = current_build(root, name)
        with ctx.database().session() as session:
            checksum = corpus_checksum(index_records(session, name))
        up_to_date = manifest is not None and manifest.corpus_checksum == checksum
        report.append((name, manifest, up_to_date, len(list_builds(root, name))))
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "scope": n,
                        "current": json.loads(m.to_json()) if m else None,
                        "up_to_date": ok,
                        "builds_kept": kept,
                    }
                    for n, m, ok, kept in report
                ]
            )
        )
        return
    click.echo(f"Index folder: {root}")
    for name, manifest, up_to_date, kept in report:
        if manifest is None:
            click.echo(f"'{name}': never built; run `triagebot index rebuild --scope {name}`.")
            continue
        state = "up to date" if up_to_date else "OUT OF DATE: run `triagebot index rebuild`"
        click.echo(
            f"'{name}': {_describe(manifest)}; model {manifest.model}; {kept} builds kept; {state}."
        )
