"""The bot itself: a small core that loads the cogs, restricts mentions once for every
message, runs blocking work off the event loop and handles every command error in one
place."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import TriagebotApp
from bot.discord_app.admin import Admin
from bot.discord_app.asking import Asking
from bot.discord_app.cooldown import MemberCooldown
from bot.discord_app.curating import PHRASING_ITEMS, AddQueuedQuestionButton, Curating
from bot.discord_app.errors import reply_with_error
from bot.discord_app.privacy import Privacy
from bot.discord_app.views import PERSISTENT_ITEMS

log = logging.getLogger(__name__)
T = TypeVar("T")

# Nothing the bot sends may ping anyone: quoted answers and questions are user text.
NO_PINGS = discord.AllowedMentions.none()


def intents(message_content: bool = False) -> discord.Intents:
    chosen = discord.Intents.default()
    # Privileged, and needed only to read help-forum posts: Discord sends the content of
    # messages that mention the bot (and of slash commands) without it.
    chosen.message_content = message_content
    return chosen


class TriageBot(commands.Bot):
    # The bot never joins voice: discord.py's warnings about voice libraries are noise.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False

    def __init__(
        self,
        app: TriagebotApp,
        *,
        dev_guild_id: int | None = None,
        cooldown: MemberCooldown | None = None,
        sync_commands: bool = True,
        message_content: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(message_content),
            allowed_mentions=NO_PINGS,
            help_command=None,
            **options,
        )
        self.app = app
        self.dev_guild_id = dev_guild_id
        self.cooldown = cooldown or MemberCooldown()
        self.sync_commands = sync_commands
        self.reads_forum_posts = message_content
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        # Before the gateway connects (discord.py runs this inside `login`): load the models,
        # rules and index in a thread, so the first question is answered in time and the
        # event loop never waits for them.
        started = time.perf_counter()
        await self.run_blocking(self.app.warm_up)
        log.info("ready to answer in %.1f s", time.perf_counter() - started)
        for cog in (Asking(self), Curating(self), Admin(self), Privacy(self)):
            await self.add_cog(cog)
        self.add_dynamic_items(*PERSISTENT_ITEMS, AddQueuedQuestionButton, *PHRASING_ITEMS)
        if self.sync_commands:
            await self.sync_application_commands()

    async def sync_application_commands(self) -> None:
        """To the development guild when one is set (instant), otherwise globally."""
        if self.dev_guild_id is not None:
            guild = discord.Object(id=self.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), self.dev_guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d commands globally", len(synced))

    async def on_message(self, message: discord.Message) -> None:
        # No prefix commands: a mention is a question (handled by the Asking cog).
        return

    async def run_blocking(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run CPU- or IO-bound core work in a thread, so the gateway heartbeat never waits."""
        return await asyncio.to_thread(functools.partial(function, *args, **kwargs))

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await reply_with_error(interaction, error)
