"""/privacy forget-me, and the purge of expired question text while the bot runs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.store.privacy import Forgotten, forget_member

if TYPE_CHECKING:
    from bot.discord_app.client import TriageBot

log = logging.getLogger(__name__)
PURGE_EVERY_HOURS = 6
# The audit log says a member used forget-me without saying who: that would undo it.
SELF_SERVICE_ACTOR = "member (forget-me)"


class Privacy(commands.Cog):
    privacy = app_commands.Group(name="privacy", description="What the bot keeps about you.")

    def __init__(self, bot: TriageBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.purge_expired.start()

    async def cog_unload(self) -> None:
        self.purge_expired.cancel()

    @privacy.command(name="forget-me", description="Delete every question and vote of yours.")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        forgotten = await self.bot.run_blocking(self._forget, str(interaction.user.id))
        await interaction.response.send_message(
            f"Done: {forgotten.describe()}. The bot only ever kept your id as a salted hash.",
            ephemeral=True,
        )

    def _forget(self, member: str) -> Forgotten:
        with self.bot.app.database.session() as session:
            return forget_member(session, member, SELF_SERVICE_ACTOR)

    @tasks.loop(hours=PURGE_EVERY_HOURS)
    async def purge_expired(self) -> None:
        try:
            purged = await self.bot.run_blocking(self.bot.app.purge_expired)
        except Exception:  # a database outage must not stop the loop for good
            log.warning("purging expired question text failed; will retry", exc_info=True)
            return
        if purged:
            log.info("purged the text of %d expired records", purged)
