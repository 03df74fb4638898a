"""Moderators curating the corpus from Discord: add (from any message too), edit, retire,
show, history, import, export, reindex, the unanswered queue and proposed phrasings.

Every command checks, when it runs, that the member is a moderator (Manage Messages or
the guild's curator role): hiding commands by default permissions is only a courtesy.
"""

from __future__ import annotations

import asyncio
import io
import re
import time
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot import scopes
from bot.corpus.formats import CorpusProblems
from bot.corpus.records import AnswerRecord
from bot.curation import MAX_IMPORT_BYTES, PhrasingAdded, finished
from bot.discord_app.embeds import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    defuse_mentions,
    fit_to_limits,
    trim,
    web_link,
)
from bot.discord_app.errors import reply_with_error
from bot.discord_app.forms import (
    AnswerForm,
    ConfirmNewAnswer,
    nearest_embed,
    too_long_for_the_form,
)
from bot.discord_app.permissions import require_moderator
from bot.retrieval.decision import build_warnings
from bot.retrieval.retriever import RetrievedAnswer
from bot.store.guilds import GuildConfig

if TYPE_CHECKING:
    from bot.discord_app.client import TriageBot

PROGRESS_EVERY_S = 2.0
QUEUE_SHOWN = 5
PHRASINGS_SHOWN = 5
ANSWERS_TO_CHOOSE_FROM = 5
OPTION_LIMIT = 100
"""Discord's limit on a select option's label, value and description."""
MANAGE_MESSAGES = discord.Permissions(manage_messages=True)


def actor_of(user: discord.abc.User) -> str:
    """How the audit log names a Discord member: stable id, readable name."""
    return f"discord:{user.id}:{user.name}"


def scope_of(interaction: discord.Interaction) -> str:
    return str(interaction.guild_id)


async def moderator_config(bot: TriageBot, interaction: discord.Interaction) -> GuildConfig:
    config = await bot.run_blocking(bot.app.conversation.guild_config, interaction.guild_id)
    require_moderator(interaction, config)
    return config


# Ids are at most 120 characters (the store's limit): a longer one is refused by Discord
# before the bot sees it, so no reply quoting it can pass Discord's 2,000.
AnswerId = app_commands.Range[str, 1, 120]


def searched_scopes(config: GuildConfig) -> list[str]:
    return scopes.searched_scopes(config.guild_id, config.use_global_corpus)


class AddQueuedQuestionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"triage:addq:(?P<key>[0-9a-f]{64})",
):
    """Under each unanswered question: opens the answer form with the question filled in."""

    def __init__(self, key: str, label: str = "Write an answer", row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80], style=discord.ButtonStyle.primary, custom_id=f"triage:addq:{key}"
            ),
            row=row,
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AddQueuedQuestionButton:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("TriageBot", interaction.client)
        try:
            config = await moderator_config(bot, interaction)
            question = await bot.run_blocking(
                bot.app.curation.queued_question, scope_of(interaction), self.key
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        if question is None:
            await interaction.response.send_message(
                "That question has been answered or purged since.", ephemeral=True
            )
            return
        draft = AnswerRecord(
            id="", title="", body="", author=interaction.user.display_name, question=question
        )
        await interaction.response.send_modal(
            new_answer_form(bot, config, draft, heading="Answer a queued question")
        )


class PhrasingFromQueueButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"triage:phq:(?P<key>[0-9a-f]{64})",
):
    """Under each unanswered question: offers the nearest answers, for when the question is
    only a new way of asking one of them."""

    def __init__(
        self, key: str, label: str = "Phrasing of an answer…", row: int | None = None
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80],
                style=discord.ButtonStyle.secondary,
                custom_id=f"triage:phq:{key}",
            ),
            row=row,
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PhrasingFromQueueButton:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("TriageBot", interaction.client)
        try:
            config = await moderator_config(bot, interaction)
            question = await bot.run_blocking(
                bot.app.curation.queued_question, scope_of(interaction), self.key
            )
            nearest = (
                []
                if question is None
                else await bot.run_blocking(
                    bot.app.curation.nearest,
                    searched_scopes(config),
                    question,
                    ANSWERS_TO_CHOOSE_FROM,
                )
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        if question is None:
            await interaction.response.send_message(
                "That question has been answered or purged since.", ephemeral=True
            )
            return
        options = answer_options(nearest)
        if not options:
            await interaction.response.send_message(
                "No existing answer is close to that question: write one with its Answer button.",
                ephemeral=True,
            )
            return
        view = discord.ui.View(timeout=None)
        view.add_item(PhrasingChoice(self.key, options))
        await interaction.response.send_message(
            f"“{trim(defuse_mentions(question), 1500)}” is another way of asking which answer?",
            view=view,
            ephemeral=True,
        )


def answer_options(answers: list[RetrievedAnswer]) -> list[discord.SelectOption]:
    """One option per answer, its id as the value. An id longer than an option's value can
    hold cannot be chosen here; such an answer is left out rather than cut to a wrong id."""
    by_id = {a.id: a for a in answers if len(a.id) <= OPTION_LIMIT}
    return [
        discord.SelectOption(
            label=trim(answer.title, OPTION_LIMIT) or answer.id,
            value=answer.id,
            description=answer.id,
        )
        for answer in by_id.values()
    ]


class PhrasingChoice(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"triage:phqpick:(?P<key>[0-9a-f]{64})",
):
    """The nearest answers to a queued question; choosing one makes the question a phrasing
    of it, and takes the question off the queue."""

    def __init__(self, key: str, options: list[discord.SelectOption]) -> None:
        super().__init__(
            discord.ui.Select(
                placeholder="The answer this question asks",
                options=options,
                custom_id=f"triage:phqpick:{key}",
            )
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PhrasingChoice:
        options = item.options if isinstance(item, discord.ui.Select) else []
        return cls(match["key"], options)

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("TriageBot", interaction.client)
        try:
            config = await moderator_config(bot, interaction)
            added = await bot.run_blocking(
                bot.app.curation.phrasing_from_queue,
                searched_scopes(config),
                self.key,
                str(self.item.values[0]),
                actor_of(interaction.user),
            )
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        # The outcome replaces the menu, so the question cannot be sent to a second answer.
        await interaction.response.edit_message(content=phrasing_outcome(added), view=None)


def phrasing_outcome(added: PhrasingAdded) -> str:
    """What became of a phrasing, in one line."""
    if not added.added:
        return f"`{added.answer_id}` already had that phrasing."
    where = " (a shared starter answer: for this server only)" if added.overlay else ""
    return (
        f"Added as another way of asking `{added.answer_id}`{where}. "
        "Run `/reindex` to have the bot use it."
    )


class PhrasingVerdictButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"triage:phrasing:(?P<number>\d{1,18}):(?P<confirm>[01])",
):
    """Confirm or reject a phrasing members proposed by marking a reply helpful."""

    def __init__(self, number: int, confirm: bool, row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"{'Confirm' if confirm else 'Reject'} #{number}",
                style=discord.ButtonStyle.success if confirm else discord.ButtonStyle.secondary,
                custom_id=f"triage:phrasing:{number}:{int(confirm)}",
            ),
            row=row,
        )
        self.number = number
        self.confirm = confirm

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PhrasingVerdictButton:
        return cls(int(match["number"]), match["confirm"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("TriageBot", interaction.client)
        actor = actor_of(interaction.user)
        try:
            config = await moderator_config(bot, interaction)
            if self.confirm:
                added = await bot.run_blocking(
                    bot.app.curation.confirm_phrasing, searched_scopes(config), self.number, actor
                )
                text = f"#{self.number}: {phrasing_outcome(added)}"
            else:
                await bot.run_blocking(
                    bot.app.curation.reject_phrasing, scope_of(interaction), self.number, actor
                )
                text = f"#{self.number} rejected: its text is not kept."
        except Exception as error:
            await reply_with_error(interaction, error)
            return
        await interaction.response.send_message(text, ephemeral=True)


PHRASING_ITEMS = (PhrasingFromQueueButton, PhrasingChoice, PhrasingVerdictButton)


def new_answer_form(
    bot: TriageBot,
    config: GuildConfig,
    draft: AnswerRecord,
    *,
    heading: str,
) -> AnswerForm:
    """The form for a new answer; on submit, the nearest answers are shown before saving."""

    async def confirm(submitted: discord.Interaction, filled: AnswerRecord) -> None:
        finished(filled)  # a missing title or body is reported now, not after confirming
        text = f"{filled.title}\n{filled.question or ''}\n{filled.body}"
        nearest = await bot.run_blocking(bot.app.curation.nearest, searched_scopes(config), text)
        view = ConfirmNewAnswer(
            scope_of(submitted), filled, actor_of(submitted.user), submitted.user.id
        )
        await submitted.response.send_message(
            embed=nearest_embed(filled, nearest), view=view, ephemeral=True
        )

    return AnswerForm(
        heading=heading,
        author=draft.author,
        on_draft=confirm,
        draft=draft,
        source_url=draft.source_url,
    )


class AnswerCommands(app_commands.Group):
    """/answer add | edit | retire | show | history"""

    def __init__(self, bot: TriageBot) -> None:
        super().__init__(
            name="answer",
            description="Curate the server's answers (moderators).",
            guild_only=True,
            default_permissions=MANAGE_MESSAGES,
        )
        self.bot = bot

    @app_commands.command(name="add", description="Write a new curated answer.")
    async def add(self, interaction: discord.Interaction) -> None:
        config = await moderator_config(self.bot, interaction)
        draft = AnswerRecord(id="", title="", body="", author=interaction.user.display_name)
        await interaction.response.send_modal(
            new_answer_form(self.bot, config, draft, heading="New curated answer")
        )

    @app_commands.command(name="edit", description="Edit a curated answer.")
    @app_commands.describe(answer_id="The answer's id, e.g. hip-flexor-stretching")
    async def edit(self, interaction: discord.Interaction, answer_id: AnswerId) -> None:
        await moderator_config(self.bot, interaction)
        scope = scope_of(interaction)
        stored = await self.bot.run_blocking(self.bot.app.curation.show, [scope], answer_id)
        draft = stored.record
        problem = too_long_for_the_form(draft)
        if problem is not None:
            await interaction.response.send_message(problem, ephemeral=True)
            return

        async def save(submitted: discord.Interaction, filled: AnswerRecord) -> None:
            change = await self.bot.run_blocking(
                self.bot.app.curation.edit, scope, answer_id, filled, actor_of(submitted.user)
            )
            await submitted.response.send_message(
                f"`{answer_id}`: {change.value}. Run `/reindex` to have the bot use the change.",
                ephemeral=True,
            )

        await interaction.response.send_modal(
            AnswerForm(
                heading=f"Edit {answer_id}",
                author=draft.author,
                on_draft=save,
                draft=draft,
                answer_id=answer_id,
            )
        )

    @app_commands.command(
        name="retire", description="Stop citing an answer (it keeps its history)."
    )
    async def retire(self, interaction: discord.Interaction, answer_id: AnswerId) -> None:
        await moderator_config(self.bot, interaction)
        changed = await self.bot.run_blocking(
            self.bot.app.curation.retire,
            scope_of(interaction),
            answer_id,
            actor_of(interaction.user),
        )
        text = (
            f"`{answer_id}` is retired. Run `/reindex` to stop citing it."
            if changed
            else f"`{answer_id}` was already retired."
        )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="show", description="Show a curated answer.")
    async def show(self, interaction: discord.Interaction, answer_id: AnswerId) -> None:
        config = await moderator_config(self.bot, interaction)
        stored = await self.bot.run_blocking(
            self.bot.app.curation.show, searched_scopes(config), answer_id
        )
        record = stored.record
        embed = discord.Embed(
            title=trim(defuse_mentions(record.title), 256),
            url=web_link(record.source_url),
            description=trim(defuse_mentions(record.body), DESCRIPTION_LIMIT - 200),
        )
        embed.set_author(name=trim(f"by {defuse_mentions(record.author)}", 256))
        for name, asked in (("Question", (record.question,)), ("Also asked as", record.also_asked)):
            lines = "\n".join(f"• {q}" for q in asked if q)
            if lines:
                value = trim(defuse_mentions(lines), FIELD_VALUE_LIMIT)
                embed.add_field(name=name, value=value, inline=False)
        embed.set_footer(
            text=trim(
                f"{record.id} · {stored.status} · revision {stored.revision} · tags: "
                + (", ".join(record.tags) or "none"),
                2048,
            )
        )
        embed = fit_to_limits([embed])[0]
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="history", description="Every revision of a curated answer.")
    async def history(self, interaction: discord.Interaction, answer_id: AnswerId) -> None:
        config = await moderator_config(self.bot, interaction)
        revisions = await self.bot.run_blocking(
            self.bot.app.curation.history, searched_scopes(config), answer_id
        )
        lines = [
            f"**{number}** · {status} · {note or 'changed'} · by {who or 'unknown'}"
            for number, status, who, note in revisions
        ]
        embed = discord.Embed(
            title=f"History of {answer_id}",
            description=trim(defuse_mentions("\n".join(lines)), DESCRIPTION_LIMIT),
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)


class CorpusCommands(app_commands.Group):
    """/corpus import | export"""

    def __init__(self, bot: TriageBot) -> None:
        super().__init__(
            name="corpus",
            description="Import or export the server's curated answers (moderators).",
            guild_only=True,
            default_permissions=MANAGE_MESSAGES,
        )
        self.bot = bot

    @app_commands.command(name="import", description="Import answers from a .md or .jsonl file.")
    @app_commands.describe(file="A Markdown file with front matter, or JSON Lines")
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        await moderator_config(self.bot, interaction)
        if file.size > MAX_IMPORT_BYTES:  # known from the attachment: nothing is downloaded
            await interaction.response.send_message(
                f"{defuse_mentions(file.filename)[:100]} is {file.size / 1e6:.1f} MB; files up to "
                f"{MAX_IMPORT_BYTES // 1_000_000} MB can be imported here (split it, or use "
                "`triagebot corpus import`).",
                ephemeral=True,
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        try:
            summary = await self.bot.run_blocking(
                self.bot.app.curation.import_file,
                scope_of(interaction),
                file.filename,
                data,
                actor_of(interaction.user),
            )
        except CorpusProblems as problems:
            await interaction.followup.send(
                trim(defuse_mentions(str(problems)), 1900), ephemeral=True
            )
            return
        await interaction.followup.send(
            f"Imported {summary.describe()}. Run `/reindex` to have the bot cite them.",
            ephemeral=True,
        )

    @app_commands.command(name="export", description="Download the server's answers (JSON Lines).")
    async def export(self, interaction: discord.Interaction) -> None:
        await moderator_config(self.bot, interaction)
        data, count = await self.bot.run_blocking(
            self.bot.app.curation.export_jsonl, scope_of(interaction), actor_of(interaction.user)
        )
        await interaction.response.send_message(
            f"{count} answers.",
            file=discord.File(io.BytesIO(data), filename=f"corpus-{scope_of(interaction)}.jsonl"),
            ephemeral=True,
        )


class Curating(commands.Cog):
    def __init__(self, bot: TriageBot) -> None:
        self.bot = bot
        self.add_to_corpus_menu = app_commands.ContextMenu(
            name="Add to corpus", callback=self.add_to_corpus
        )
        self.add_to_corpus_menu.guild_only = True
        self.add_to_corpus_menu.default_permissions = MANAGE_MESSAGES
        self.answer_commands = AnswerCommands(bot)
        self.corpus_commands = CorpusCommands(bot)

    async def cog_load(self) -> None:
        for command in (self.add_to_corpus_menu, self.answer_commands, self.corpus_commands):
            self.bot.tree.add_command(command)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(
            self.add_to_corpus_menu.name, type=self.add_to_corpus_menu.type
        )
        for group in (self.answer_commands, self.corpus_commands):
            self.bot.tree.remove_command(group.name)

    async def add_to_corpus(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """Turn a good message into a curated answer, credited to its author."""
        config = await moderator_config(self.bot, interaction)
        if not message.content.strip():
            await interaction.response.send_message(
                "That message has no text to turn into an answer.", ephemeral=True
            )
            return
        first_line = message.content.strip().splitlines()[0]
        referenced = message.reference.resolved if message.reference else None
        question = referenced.content if isinstance(referenced, discord.Message) else None
        draft = AnswerRecord(
            id="",
            title=first_line[:100],
            body=message.content,
            author=message.author.display_name,
            question=question,
            source_url=message.jump_url,
        )
        await interaction.response.send_modal(
            new_answer_form(self.bot, config, draft, heading="Add to corpus")
        )

    @app_commands.command(name="reindex", description="Rebuild the search index (moderators).")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    async def reindex(self, interaction: discord.Interaction) -> None:
        await moderator_config(self.bot, interaction)
        await interaction.response.send_message(
            "Rebuilding the index… the bot keeps answering meanwhile."
        )
        message = await interaction.original_response()
        scope = scope_of(interaction)
        loop = asyncio.get_running_loop()
        last_shown = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_shown
            now = time.monotonic()
            if total and now - last_shown >= PROGRESS_EVERY_S:
                last_shown = now
                text = f"Rebuilding the index… embedded {done} of {total} passages."
                asyncio.run_coroutine_threadsafe(message.edit(content=text), loop)

        started = time.monotonic()
        manifest = await self.bot.run_blocking(
            self.bot.app.curation.reindex, scope, actor_of(interaction.user), progress
        )
        counts = manifest.counts
        await message.edit(
            content=(
                f"Index rebuilt in {time.monotonic() - started:.1f}s: "
                f"{counts.get('answers', 0)} answers, {counts.get('passages', 0)} passages "
                f"({counts.get('embedded', 0)} embedded, {counts.get('reused', 0)} reused). "
                "The bot is answering from it now."
                + "".join(f"\n⚠️ {warning}" for warning in build_warnings(manifest))
            )
        )

    @app_commands.command(
        name="unanswered", description="Questions the bot could not answer (moderators)."
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    async def unanswered(self, interaction: discord.Interaction) -> None:
        await moderator_config(self.bot, interaction)
        queue = await self.bot.run_blocking(
            self.bot.app.curation.unanswered, scope_of(interaction), QUEUE_SHOWN
        )
        if not queue:
            await interaction.response.send_message("No unanswered questions. 🎉", ephemeral=True)
            return
        lines = [
            f"**{n}.** ({item.times_asked}×) {defuse_mentions(item.text)}"
            for n, item in enumerate(queue, start=1)
        ]
        view = discord.ui.View(timeout=None)
        for n, item in enumerate(queue, start=1):
            # One row per question, so that both of its buttons sit side by side.
            view.add_item(AddQueuedQuestionButton(item.key, label=f"Answer #{n}", row=n - 1))
            label = f"#{n} is a phrasing of…"
            view.add_item(PhrasingFromQueueButton(item.key, label=label, row=n - 1))
        embed = discord.Embed(
            title="Unanswered questions, most asked first",
            description=trim("\n".join(lines), DESCRIPTION_LIMIT),
        )
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @app_commands.command(
        name="phrasings",
        description="Questions members found answered, to confirm as phrasings (moderators).",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    async def phrasings(self, interaction: discord.Interaction) -> None:
        await moderator_config(self.bot, interaction)
        proposals = await self.bot.run_blocking(
            self.bot.app.curation.proposed_phrasings, scope_of(interaction), PHRASINGS_SHOWN
        )
        if not proposals:
            await interaction.response.send_message(
                "No proposed phrasings waiting.", ephemeral=True
            )
            return
        lines = [f"**#{p.number}** {defuse_mentions(p.text)} → `{p.answer_id}`" for p in proposals]
        view = discord.ui.View(timeout=None)
        for n, proposal in enumerate(proposals):
            for confirm in (True, False):
                view.add_item(PhrasingVerdictButton(proposal.number, confirm, row=n))
        embed = discord.Embed(
            title="Proposed phrasings: new ways of asking an answer, oldest first",
            description=trim("\n".join(lines), DESCRIPTION_LIMIT),
        )
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
