"""`triagebot db ...`: the store's schema."""

from __future__ import annotations

import click

from bot.cli.context import CliContext


@click.group()
def db() -> None:
    """The database: schema migrations."""


@db.command()
@click.pass_obj
def upgrade(ctx: CliContext) -> None:
    """Run the schema migrations up to the newest.

    \b
    Example:
      TRIAGEBOT_DATABASE_URL=postgresql://postgres@localhost/triagebot triagebot db upgrade
    """
    database = ctx.raw_database()
    before, after = database.upgrade()
    if before == after:
        click.echo(f"Database already at the newest schema ({after}).")
    else:
        click.echo(f"Database upgraded from {before or 'empty'} to {after}.")


@db.command()
@click.pass_obj
def status(ctx: CliContext) -> None:
    """Show the schema revision of the database and the one this version needs.

    \b
    Example:
      triagebot db status
    """
    database = ctx.raw_database()
    current, head = database.current_revision(), database.head_revision()
    click.echo(f"database: {database.engine.url.render_as_string()}")
    click.echo(f"schema:   {current or 'empty'} (newest: {head})")
    if current != head:
        click.echo("Run `triagebot db upgrade` to bring it up to date.")
