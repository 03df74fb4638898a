"""Buttons under replies. They are DynamicItems with the reply's id in their custom_id,
so they keep working after a restart (nothing about them lives only in memory)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.discord_app.embeds import answers_embeds
from bot.discord_app.errors import reply_with_error
from bot.store.replies import Vote

if TYPE_CHECKING:
    from bot.discord_app.client import TriageBot

VOTE_THANKS = {
    Vote.RECORDED: "Thanks for the feedback! It helps the moderators improve the answers.",
    Vote.CHANGED: "Thanks, your vote has been changed.",
    Vote.UNCHANGED: "You have already voted that way on this reply.",
}
NO_MORE_ANSWERS = "There are no more curated answers for this question."


def _bot(interaction: discord.Interaction) -> TriageBot:
    return cast("TriageBot", interaction.client)


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"triage:vote:(?P<reply>[\w-]{1,40}):(?P<helpful>[01])",
):
    """Helpful / not helpful: one vote per member per reply, stored."""

    def __init__(self, reply_id: str, helpful: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"triage:vote:{reply_id}:{int(helpful)}",
            )
        )
        self.reply_id = reply_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> VoteButton:
        return cls(match["reply"], match["helpful"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        try:
            vote = await bot.run_blocking(
                bot.app.conversation.vote, self.reply_id, str(interaction.user.id), self.helpful
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        await interaction.response.send_message(VOTE_THANKS[vote], ephemeral=True)


class MoreAnswersButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"triage:more:(?P<reply>[\w-]{1,40})",
):
    """The next answers the reply ranked but did not show, sent privately to the clicker."""

    def __init__(self, reply_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="More answers",
                style=discord.ButtonStyle.primary,
                custom_id=f"triage:more:{reply_id}",
            )
        )
        self.reply_id = reply_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MoreAnswersButton:
        return cls(match["reply"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        try:
            answers, has_more = await bot.run_blocking(
                bot.app.conversation.more_answers, self.reply_id
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        if not answers:
            await interaction.response.send_message(NO_MORE_ANSWERS, ephemeral=True)
            return
        await interaction.response.send_message(
            embeds=answers_embeds(answers),
            view=reply_view(self.reply_id, has_more=has_more),
            ephemeral=True,
        )


def reply_view(reply_id: str, *, has_more: bool) -> discord.ui.View:
    """The buttons under a reply: feedback, and the next answers when there are any."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(reply_id, helpful=True))
    view.add_item(VoteButton(reply_id, helpful=False))
    if has_more:
        view.add_item(MoreAnswersButton(reply_id))
    return view


PERSISTENT_ITEMS = (VoteButton, MoreAnswersButton)
