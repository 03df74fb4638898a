"""The `triagebot` command line: a thin layer over the core.

Errors a user can cause become one clear line (click.ClickException), never a traceback.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from bot import __version__
from bot.cli.context import CliContext
from bot.errors import TriagebotError


class TriagebotGroup(click.Group):
    """Turns user errors raised anywhere below into one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TriagebotError as exc:
            raise click.ClickException(str(exc)) from None
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
            raise click.ClickException(f"database error: {reason}") from None


@click.group(cls=TriagebotGroup)
@click.version_option(__version__, prog_name="triagebot")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens on stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Cited community answers and red-flag referrals for fitness and physio questions.

    \b
    Example:
      triagebot corpus import corpus/answers
      triagebot ask "my lower back is tight when I squat, what warm-up?"
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    ctx.obj = CliContext.from_environment()
    ctx.call_on_close(ctx.obj.close)


def _register_commands() -> None:
    from bot.cli import (
        ask_commands,
        corpus_commands,
        db_commands,
        demo_command,
        eval_commands,
        index_commands,
        model_commands,
        privacy_command,
        redflags_command,
        run_command,
    )

    cli.add_command(ask_commands.ask)
    cli.add_command(ask_commands.unanswered)
    cli.add_command(db_commands.db)
    cli.add_command(corpus_commands.corpus)
    cli.add_command(demo_command.demo)
    cli.add_command(index_commands.index)
    cli.add_command(model_commands.model)
    cli.add_command(eval_commands.eval_, name="eval")
    cli.add_command(redflags_command.redflags)
    cli.add_command(run_command.run)
    cli.add_command(privacy_command.privacy)


_register_commands()


def main() -> None:
    cli(prog_name="triagebot")
