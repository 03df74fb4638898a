"""Buttons under replies. They are DynamicItems with the reply's id in their custom_id,
so they keep working after a restart (nothing about them lives only in memory)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.conversation import AnswersPage, Reply
from bot.discord_app.embeds import SAFETY_NET_BUTTON, answers_embeds, escalation_embed
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
    template=r"triage:vote:(?P<reply>[\w-]{1,40}):(?P<helpful>[01])(?::(?P<seen>\d{1,3}))?",
):
    """Helpful / not helpful: one vote per member per reply, stored with the answers that
    member was shown (under a page of more answers, `seen` says how many)."""

    def __init__(self, reply_id: str, helpful: bool, seen: int | None = None) -> None:
        suffix = "" if seen is None else f":{seen}"
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"triage:vote:{reply_id}:{int(helpful)}{suffix}",
            )
        )
        self.reply_id = reply_id
        self.helpful = helpful
        self.seen = seen

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> VoteButton:
        seen = int(match["seen"]) if match["seen"] else None
        return cls(match["reply"], match["helpful"] == "1", seen)

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        member = str(interaction.user.id)
        try:
            vote = await bot.run_blocking(
                bot.app.conversation.vote, self.reply_id, member, self.helpful, self.seen
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        await interaction.response.send_message(VOTE_THANKS[vote], ephemeral=True)


class MoreAnswersButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"triage:more:(?P<reply>[\w-]{1,40})(?::(?P<start>\d{1,3}))?",
):
    """The next answers the reply ranked but did not show, sent privately to the clicker.

    The page lives in the button: under the reply it starts after the reply's answers, so
    every member who clicks it gets the same next answers; under a page it starts after
    that page's."""

    def __init__(self, reply_id: str, start: int | None = None) -> None:
        suffix = "" if start is None else f":{start}"
        super().__init__(
            discord.ui.Button(
                label="More answers",
                style=discord.ButtonStyle.primary,
                custom_id=f"triage:more:{reply_id}{suffix}",
            )
        )
        self.reply_id = reply_id
        self.start = start

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MoreAnswersButton:
        return cls(match["reply"], int(match["start"]) if match["start"] else None)

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        try:
            page = await bot.run_blocking(
                bot.app.conversation.more_answers, self.reply_id, self.start
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        if not page.answers:
            await interaction.response.send_message(NO_MORE_ANSWERS, ephemeral=True)
            return
        await interaction.response.send_message(
            embeds=answers_embeds(page.answers),
            view=page_view(self.reply_id, page),
            ephemeral=True,
        )


class ScreeningButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"triage:screen:(?P<reply>[\w-]{1,40}):(?P<concern>[a-z0-9-]{1,60}):(?P<applies>[01])",
):
    """Yes or no to a screening question. Yes sends the referral for that concern, privately;
    no keeps the answers. Either way the answer is stored like a vote."""

    def __init__(self, reply_id: str, concern: str, applies: bool, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.danger if applies else discord.ButtonStyle.secondary,
                custom_id=f"triage:screen:{reply_id}:{concern}:{int(applies)}",
            )
        )
        self.reply_id = reply_id
        self.concern = concern
        self.applies = applies

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ScreeningButton:
        applies = match["applies"] == "1"
        return cls(match["reply"], match["concern"], applies, "Yes" if applies else "No")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        try:
            reply = await bot.run_blocking(
                bot.app.conversation.answer_screening,
                self.reply_id,
                str(interaction.user.id),
                self.concern,
                self.applies,
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        if reply.level is None:
            await interaction.response.send_message(reply.text, ephemeral=True)
        else:
            embed = escalation_embed(reply.text, reply.level.value)
            await interaction.response.send_message(embed=embed, ephemeral=True)


class SafetyNetButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"triage:net:(?P<reply>[\w-]{1,40})",
):
    """ "One of these applies to me", under a reply's "get help now if..." list."""

    def __init__(self, reply_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=SAFETY_NET_BUTTON,
                style=discord.ButtonStyle.danger,
                custom_id=f"triage:net:{reply_id}",
            )
        )
        self.reply_id = reply_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SafetyNetButton:
        return cls(match["reply"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        try:
            reply = await bot.run_blocking(
                bot.app.conversation.safety_net_applies, self.reply_id, str(interaction.user.id)
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        level = reply.level.value if reply.level is not None else "emergency"
        embed = escalation_embed(reply.text, level)
        await interaction.response.send_message(embed=embed, ephemeral=True)


def reply_view(
    reply_id: str,
    *,
    has_more: bool,
    concerns: Sequence[str] = (),
    safety_net: bool = False,
) -> discord.ui.View:
    """The buttons under a reply: screening questions first, then feedback, the next answers
    when there are any, and the safety-net button when the reply lists signs."""
    view = discord.ui.View(timeout=None)
    for number, concern in enumerate(concerns, start=1):
        suffix = f" ({number})" if len(concerns) > 1 else ""
        view.add_item(ScreeningButton(reply_id, concern, True, f"Yes{suffix}"))
        view.add_item(ScreeningButton(reply_id, concern, False, f"No{suffix}"))
    view.add_item(VoteButton(reply_id, helpful=True))
    view.add_item(VoteButton(reply_id, helpful=False))
    if has_more:
        view.add_item(MoreAnswersButton(reply_id))
    if safety_net:
        view.add_item(SafetyNetButton(reply_id))
    return view


def page_view(reply_id: str, page: AnswersPage) -> discord.ui.View:
    """The buttons under a page of more answers: votes about the answers seen so far, and
    the page after it when there is one."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(reply_id, helpful=True, seen=page.end))
    view.add_item(VoteButton(reply_id, helpful=False, seen=page.end))
    if page.more:
        view.add_item(MoreAnswersButton(reply_id, start=page.end))
    return view


def view_for(reply: Reply) -> discord.ui.View:
    """The buttons under a fresh reply, from what the core decided."""
    report = reply.result.red_flags
    return reply_view(
        reply.reply_id,
        has_more=reply.has_more,
        concerns=[question.concern for question in report.confirm],
        safety_net=bool(report.safety_net),
    )


PERSISTENT_ITEMS = (VoteButton, MoreAnswersButton, ScreeningButton, SafetyNetButton)
