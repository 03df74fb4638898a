"""Members asking: /ask, mentioning the bot, and new posts in the help forum.

All three go the same way: the cooldown, then `Conversation.ask` off the event loop (it
encodes and searches, which blocks the CPU), then the same embeds and buttons.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.conversation import Reply
from bot.discord_app.embeds import result_embeds
from bot.discord_app.errors import AskingTooFast, message_for
from bot.discord_app.views import view_for

if TYPE_CHECKING:
    from bot.discord_app.client import TriageBot

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
EMPTY_MENTION = (
    "Ask me a question after the mention, e.g. “@triagebot what warm-up for a tight lower back?”"
)


class Asking(commands.Cog):
    def __init__(self, bot: TriageBot) -> None:
        self.bot = bot

    def take_turn(self, guild_id: int | None, member_id: int) -> None:
        """Raise AskingTooFast when the member asked too often (checked before deferring, so
        the "wait" message is private)."""
        wait = self.bot.cooldown.try_acquire((guild_id, member_id))
        if wait:
            raise AskingTooFast(wait)

    async def answer(
        self, question: str, guild_id: int | None, member_id: int, channel: str
    ) -> Reply:
        """The reply to one question, computed off the event loop."""
        question = question.strip()[:MAX_QUESTION_CHARS]
        app = self.bot.app

        def ask() -> Reply:
            # `app.conversation` is built on first use (rules, models): in the thread too.
            return app.conversation.ask(question, guild_id, str(member_id), channel)

        return await self.bot.run_blocking(ask)

    @app_commands.command(name="ask", description="Ask the community's curated answers a question.")
    @app_commands.describe(
        question="What you want to know, in your own words.",
        private="Only you see the answer (health questions can be personal).",
    )
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 3, MAX_QUESTION_CHARS],
        private: bool = False,
    ) -> None:
        self.take_turn(interaction.guild_id, interaction.user.id)
        # Discord drops an interaction with no response within 3 s: say "thinking" at once.
        await interaction.response.defer(thinking=True, ephemeral=private)
        reply = await self.answer(question, interaction.guild_id, interaction.user.id, "slash")
        await interaction.followup.send(
            embeds=result_embeds(reply.result, reply.shown),
            view=view_for(reply),
            ephemeral=private,
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        me = self.bot.user
        if message.author.bot or me is None or me not in message.mentions:
            return
        question = _without_mentions(message.content, me.id)
        if not question:
            await message.reply(EMPTY_MENTION, mention_author=False)
            return
        await self._reply_to_message(message, question, "mention")

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        if not self.bot.reads_forum_posts or thread.guild is None or thread.parent_id is None:
            return  # without the Message Content intent a post's text is not sent to bots
        config = await self.bot.run_blocking(
            self.bot.app.conversation.guild_config, thread.guild.id
        )
        if config.help_forum_channel_id != str(thread.parent_id):
            return
        starter = thread.starter_message
        if starter is None:
            try:
                starter = await thread.fetch_message(thread.id)
            except discord.HTTPException:
                log.warning("could not read the starter message of thread %s", thread.id)
                return
        if starter.author.bot:
            return
        question = f"{thread.name}\n{starter.content}".strip()
        await self._reply_to_message(starter, question, "forum", destination=thread)

    async def _reply_to_message(
        self,
        message: discord.Message,
        question: str,
        channel: str,
        destination: discord.abc.Messageable | None = None,
    ) -> None:
        guild_id = message.guild.id if message.guild else None
        try:
            self.take_turn(guild_id, message.author.id)
            async with (destination or message.channel).typing():
                reply = await self.answer(question, guild_id, message.author.id, channel)
        except Exception as error:
            await message.reply(message_for(error), mention_author=False)
            return
        embeds = result_embeds(reply.result, reply.shown)
        view = view_for(reply)
        if destination is None:
            await message.reply(embeds=embeds, view=view, mention_author=False)
        else:
            await destination.send(embeds=embeds, view=view)


def _without_mentions(content: str, bot_id: int) -> str:
    """The question typed around the bot's mention."""
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip()
