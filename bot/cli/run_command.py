"""`triagebot run`: the Discord bot."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import click

from bot.cli.context import CliContext

if TYPE_CHECKING:
    from bot.discord_app.client import TriageBot

log = logging.getLogger(__name__)

NO_TOKEN = (
    "TRIAGEBOT_DISCORD_TOKEN is not set: put the bot's token in the environment or in a "
    ".env file (Discord developer portal > your application > Bot > Reset Token)"
)
BAD_TOKEN = (
    "Discord rejected the token in TRIAGEBOT_DISCORD_TOKEN: reset it in the developer "
    "portal and set the new one"
)
PRIVILEGED = (
    "Discord refused the Message Content intent: enable it in the developer portal "
    "(your application > Bot > Privileged Gateway Intents), or unset "
    "TRIAGEBOT_DISCORD_MESSAGE_CONTENT to run without help-forum answers"
)


@click.command()
@click.pass_obj
def run(ctx: CliContext) -> None:
    """Run the Discord bot with TRIAGEBOT_DISCORD_TOKEN until stopped (Ctrl+C).

    Slash commands sync globally, or only to TRIAGEBOT_DISCORD_DEV_GUILD when it is set.

    \b
    Example:
      TRIAGEBOT_DISCORD_TOKEN=... triagebot run
    """
    import aiohttp
    import discord

    from bot.discord_app.client import TriageBot

    token = ctx.settings.discord_token
    if token is None or not token.get_secret_value().strip():
        raise click.ClickException(NO_TOKEN)
    if ctx.settings.discord_api_base:
        discord.http.Route.BASE = ctx.settings.discord_api_base.rstrip("/")
    app = ctx.app()
    # Load the red-flag models now: a missing one fails here, and no question waits for it.
    app.checker  # noqa: B018
    bot = TriageBot(
        app,
        dev_guild_id=ctx.settings.discord_dev_guild,
        message_content=ctx.settings.discord_message_content,
    )
    # A long-running service logs what it does; the CLI's default is warnings only.
    logging.getLogger().setLevel(logging.INFO)
    try:
        asyncio.run(_run(bot, token.get_secret_value().strip()))
    except discord.LoginFailure:
        raise click.ClickException(BAD_TOKEN) from None
    except discord.PrivilegedIntentsRequired:
        raise click.ClickException(PRIVILEGED) from None
    except (
        TimeoutError,
        aiohttp.ClientConnectionError,
        OSError,
        discord.GatewayNotFound,
        discord.ConnectionClosed,
    ) as error:
        reason = type(error).__name__
        raise click.ClickException(
            f"Discord cannot be reached ({reason}): check this machine's internet connection"
        ) from None
    except KeyboardInterrupt:
        click.echo("Stopped.")


GATEWAY_TIMEOUT = 15.0


async def _run(bot: TriageBot, token: str) -> None:
    async with bot:
        await bot.login(token)
        await _reach_gateway()
        await bot.connect(reconnect=True)


async def _reach_gateway() -> None:
    """Open (and close) a connection to Discord's gateway host before connecting for real:
    discord.py's reconnect loop fails with an AttributeError when the very first
    connection cannot be made, instead of saying so."""
    from discord.gateway import DiscordWebSocket

    gateway = DiscordWebSocket.DEFAULT_GATEWAY
    connecting = asyncio.open_connection(gateway.host, gateway.port or 443)
    _, writer = await asyncio.wait_for(connecting, GATEWAY_TIMEOUT)
    writer.close()
