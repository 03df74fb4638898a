"""`triagebot privacy purge`: what operators do to keep the store lean on personal data."""

from __future__ import annotations

import click

from bot.cli.context import CliContext
from bot.store.privacy import forget_member, purge_expired_text


@click.group()
def privacy() -> None:
    """Personal data: purge expired question text, or everything about one member."""


@privacy.command()
@click.option("--member", help="A Discord user id: delete every question and vote of theirs.")
@click.pass_obj
def purge(ctx: CliContext, member: str | None) -> None:
    """Blank question text older than the retention period; with --member, forget a member.

    The retention period is TRIAGEBOT_UNANSWERED_RETENTION_DAYS (default 90). The bot
    purges expired text by itself; this runs the same purge now.

    \b
    Examples:
      triagebot privacy purge
      triagebot privacy purge --member 123456789012345678
    """
    with ctx.database().session() as session:
        if member is not None:
            if not member.strip().isdigit():
                raise click.ClickException("--member takes a Discord user id (digits only)")
            click.echo(
                f"Member forgotten: {forget_member(session, member.strip(), ctx.actor).describe()}."
            )
        purged = purge_expired_text(session, ctx.settings.unanswered_retention_days)
    click.echo(
        f"Expired question text purged from {purged} records "
        f"(retention {ctx.settings.unanswered_retention_days} days)."
    )
