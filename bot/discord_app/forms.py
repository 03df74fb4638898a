"""The moderator's answer form (a modal) and the check against duplicates before saving."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.corpus.records import AnswerRecord
from bot.curation import parse_also_asked, parse_tags
from bot.discord_app.embeds import DESCRIPTION_LIMIT, defuse_mentions, trim
from bot.discord_app.errors import reply_with_error
from bot.retrieval.retriever import RetrievedAnswer

if TYPE_CHECKING:
    from bot.discord_app.client import TriageBot

TITLE_MAX = 200
QUESTION_MAX = 500
TAGS_MAX = 200
ALSO_ASKED_MAX = 4000  # Discord's limit for a text input
BODY_MAX = 4000  # Discord's limit for a text input
CONFIRM_TIMEOUT = 600

Submit = Callable[[discord.Interaction, AnswerRecord], Awaitable[None]]


class AnswerForm(discord.ui.Modal):
    """Title, questions, tags and body of an answer (Discord's limit of five inputs); the
    author is fixed by the caller."""

    def __init__(
        self,
        *,
        heading: str,
        author: str,
        on_draft: Submit,
        draft: AnswerRecord | None = None,
        source_url: str | None = None,
        answer_id: str | None = None,
    ) -> None:
        super().__init__(title=heading[:45], timeout=CONFIRM_TIMEOUT)
        self.author = author
        self.on_draft = on_draft
        self.source_url = source_url if draft is None else draft.source_url
        self.answer_id = answer_id
        self.title_input: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            label="Title",
            max_length=TITLE_MAX,
            default=_clip(draft.title if draft else None, TITLE_MAX),
        )
        self.question_input: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            label="The question it answers (optional)",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=QUESTION_MAX,
            default=_clip(draft.question if draft else None, QUESTION_MAX),
        )
        self.also_asked_input: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            label="Other ways members ask it (one per line)",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=ALSO_ASKED_MAX,
            default=_clip("\n".join(draft.also_asked) if draft else None, ALSO_ASKED_MAX),
        )
        self.tags_input: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            label="Tags (comma separated, optional)",
            required=False,
            max_length=TAGS_MAX,
            default=_clip(", ".join(draft.tags) if draft else None, TAGS_MAX),
        )
        self.body_input: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            label="Answer",
            style=discord.TextStyle.paragraph,
            max_length=BODY_MAX,
            default=_clip(draft.body if draft else None, BODY_MAX),
        )
        for item in (
            self.title_input,
            self.question_input,
            self.also_asked_input,
            self.tags_input,
            self.body_input,
        ):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        draft = AnswerRecord(
            id=self.answer_id or "",
            title=self.title_input.value,
            body=self.body_input.value,
            author=self.author,
            question=self.question_input.value or None,
            source_url=self.source_url,
            tags=parse_tags(self.tags_input.value),
            also_asked=parse_also_asked(self.also_asked_input.value),
        )
        await self.on_draft(interaction, draft)

    async def on_error(  # type: ignore[override]  # Modal's own signature, not View's
        self, interaction: discord.Interaction, error: Exception
    ) -> None:
        await reply_with_error(interaction, error)


class ConfirmNewAnswer(discord.ui.View):
    """Shown after the form: the nearest existing answers, then Save or Cancel."""

    def __init__(self, scope: str, draft: AnswerRecord, actor: str, moderator_id: int) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT)
        self.scope = scope
        self.draft = draft
        self.actor = actor
        self.moderator_id = moderator_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.moderator_id

    @discord.ui.button(label="Save as a new answer", style=discord.ButtonStyle.success)
    async def save(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        bot = cast("TriageBot", interaction.client)
        record = await bot.run_blocking(bot.app.curation.add, self.scope, self.draft, self.actor)
        self.stop()
        await interaction.response.edit_message(
            content=(f"Saved as `{record.id}`. Run `/reindex` to have the bot cite it."),
            embeds=[],
            view=None,
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Nothing was saved.", embeds=[], view=None)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await reply_with_error(interaction, error)


def nearest_embed(draft: AnswerRecord, nearest: list[RetrievedAnswer]) -> discord.Embed:
    """The draft and the existing answers closest to it."""
    lines = [f"**{defuse_mentions(draft.title)}**", ""]
    if nearest:
        lines.append("Closest existing answers — is this one of them?")
        for answer in nearest:
            lines.append(
                f"• `{answer.id}` {defuse_mentions(answer.title)} (similarity {answer.score:.2f})"
            )
    else:
        lines.append("No existing answer is close to it.")
    return discord.Embed(
        title="Before saving",
        description=trim("\n".join(lines), DESCRIPTION_LIMIT),
        colour=discord.Colour.blurple(),
    )


def too_long_for_the_form(draft: AnswerRecord) -> str | None:
    """Which fields of a stored answer do not fit Discord's form, said in one line (None
    when all fit). Such an answer is not opened in the form: the form would cut it, and
    saving would store the cut text."""
    fields = (
        ("title", draft.title, TITLE_MAX),
        ("question", draft.question or "", QUESTION_MAX),
        ("other ways members ask it", "\n".join(draft.also_asked), ALSO_ASKED_MAX),
        ("tags", ", ".join(draft.tags), TAGS_MAX),
        ("answer", draft.body, BODY_MAX),
    )
    over = [f"{name} {len(text):,} of {most:,}" for name, text, most in fields if len(text) > most]
    if not over:
        return None
    return (
        f"This answer is too long for Discord's form ({'; '.join(over)} characters), and the "
        "form would cut it. Edit it in a file instead: `/corpus export`, change the answer, "
        "then `/corpus import` the file."
    )


def _clip(text: str | None, limit: int) -> str | None:
    return text[:limit] if text else None
