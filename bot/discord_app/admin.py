"""Server settings and figures: /triage config and /triage stats."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.curating import actor_of, moderator_config
from bot.discord_app.embeds import defuse_mentions, trim
from bot.discord_app.permissions import require_administrator
from bot.store.guilds import GuildConfig, update_guild_config
from bot.store.stats import TriageStats, triage_stats

if TYPE_CHECKING:
    from bot.discord_app.client import TriageBot


FORUM_OFF = (
    "off: the bot runs without Discord's Message Content intent, which it needs to read "
    "forum posts (its operator can enable the intent in the developer portal and set "
    "TRIAGEBOT_DISCORD_MESSAGE_CONTENT=true)"
)


def config_embed(config: GuildConfig, reads_forum_posts: bool = True) -> discord.Embed:
    embed = discord.Embed(title="triagebot settings for this server")
    forum = f"<#{config.help_forum_channel_id}>" if config.help_forum_channel_id else "not set"
    if not reads_forum_posts:
        forum = FORUM_OFF
    role = (
        f"<@&{config.curator_role_id}>"
        if config.curator_role_id
        else "not set (Manage Messages only)"
    )
    embed.add_field(name="Help forum", value=forum)
    embed.add_field(name="Curator role", value=role)
    embed.add_field(
        name="Emergency number", value=config.emergency_number or "not set (generic wording)"
    )
    embed.add_field(name="Starter corpus", value="on" if config.use_global_corpus else "off")
    embed.add_field(
        name="Keep text of red-flagged questions",
        value="yes" if config.record_flagged_text else "no (level and rule only)",
    )
    return embed


def stats_embed(stats: TriageStats) -> discord.Embed:
    embed = discord.Embed(title=f"triagebot over the last {stats.days} days")
    embed.add_field(name="Questions", value=str(stats.questions))
    embed.add_field(name="Answered", value=f"{stats.answered_share:.0%}")
    flags = ", ".join(f"{level} {count}" for level, count in stats.red_flags.items())
    embed.add_field(name="Red flags", value=flags)
    embed.add_field(name="Feedback", value=f"👍 {stats.helpful} · 👎 {stats.not_helpful}")
    cited = "\n".join(f"`{answer_id}` ×{count}" for answer_id, count in stats.most_cited)
    embed.add_field(name="Most cited", value=trim(cited or "none yet", 1024), inline=False)
    unanswered = "\n".join(
        f"×{count} {defuse_mentions(' '.join(text.split()))[:150]}"
        for text, count in stats.top_unanswered
    )
    embed.add_field(
        name="Top unanswered this week", value=trim(unanswered or "none", 1024), inline=False
    )
    embed.set_image(url="attachment://questions-per-day.png")
    return embed


# Discord's dark theme: the chart sits on its message background, in its own palette.
DARK_BACKGROUND = "#313338"
LIGHT_TEXT = "#DBDEE1"
GRID = "#4E5058"
KIND_COLOURS = (("answered", "#57F287"), ("declined", "#949BA4"), ("flagged", "#ED4245"))


def questions_per_day_chart(stats: TriageStats) -> bytes:
    """Questions per day, stacked: answered, declined and red-flagged, as a PNG that reads
    on Discord's dark theme (matplotlib, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(8, 3.2), dpi=100, facecolor=DARK_BACKGROUND)
    axes = figure.subplots()
    axes.set_facecolor(DARK_BACKGROUND)
    days = [counts.day for counts in stats.per_day]
    below = [0] * len(days)
    for kind, colour in KIND_COLOURS:
        heights = [getattr(counts, kind) for counts in stats.per_day]
        axes.bar(days, heights, bottom=below, color=colour, label=kind)  # type: ignore[arg-type]
        below = [b + h for b, h in zip(below, heights, strict=True)]
    axes.set_ylabel("questions", color=LIGHT_TEXT)
    axes.set_title("Questions per day", color=LIGHT_TEXT)
    axes.tick_params(colors=LIGHT_TEXT)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole questions only
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for spine in axes.spines.values():
        spine.set_color(GRID)
    legend = axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    for text in legend.get_texts():
        text.set_color(LIGHT_TEXT)
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=DARK_BACKGROUND)
    return buffer.getvalue()


class Admin(commands.Cog):
    triage = app_commands.Group(
        name="triage", description="triagebot settings and figures.", guild_only=True
    )

    def __init__(self, bot: TriageBot) -> None:
        self.bot = bot

    @triage.command(name="config", description="Show or change the bot's settings here.")
    @app_commands.describe(
        help_forum="Answer every new post in this forum channel",
        curator_role="Members with this role may curate answers",
        emergency_number="The number referrals name, e.g. 999, 112 or 911",
        starter_corpus="Also cite the shared starter corpus",
        keep_flagged_text="Keep the text of red-flagged questions for review",
    )
    async def config(
        self,
        interaction: discord.Interaction,
        help_forum: discord.ForumChannel | None = None,
        curator_role: discord.Role | None = None,
        emergency_number: app_commands.Range[str, 2, 15] | None = None,
        starter_corpus: bool | None = None,
        keep_flagged_text: bool | None = None,
    ) -> None:
        changes: dict[str, object] = {}
        if help_forum is not None:
            changes["help_forum_channel_id"] = str(help_forum.id)
        if curator_role is not None:
            if curator_role.is_default() or curator_role.managed:
                await interaction.response.send_message(
                    "Choose a role given to curators: not @everyone, and not a bot's own role.",
                    ephemeral=True,
                )
                return
            changes["curator_role_id"] = str(curator_role.id)
        if emergency_number is not None:
            number = emergency_number.strip()
            if not all(c.isdigit() or c in "+ " for c in number):
                await interaction.response.send_message(
                    "The emergency number may only hold digits, spaces and +.", ephemeral=True
                )
                return
            changes["emergency_number"] = number
        if starter_corpus is not None:
            changes["use_global_corpus"] = starter_corpus
        if keep_flagged_text is not None:
            changes["record_flagged_text"] = keep_flagged_text
        if changes:
            require_administrator(interaction)
            config = await self.bot.run_blocking(
                self._update, str(interaction.guild_id), actor_of(interaction.user), changes
            )
        else:
            config = await moderator_config(self.bot, interaction)  # members see no settings
        await interaction.response.send_message(
            embed=config_embed(config, self.bot.reads_forum_posts), ephemeral=True
        )

    def _update(self, guild_id: str, actor: str, changes: dict[str, object]) -> GuildConfig:
        with self.bot.app.database.session() as session:
            return update_guild_config(session, guild_id, actor, **changes)

    @triage.command(name="stats", description="Questions, answers, red flags and feedback.")
    async def stats(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 365] = 30
    ) -> None:
        await moderator_config(self.bot, interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        figures = await self.bot.run_blocking(self._stats, str(interaction.guild_id), days)
        chart = await self.bot.run_blocking(questions_per_day_chart, figures)
        await interaction.followup.send(
            embed=stats_embed(figures),
            file=discord.File(io.BytesIO(chart), filename="questions-per-day.png"),
            ephemeral=True,
        )

    def _stats(self, guild_id: str, days: int) -> TriageStats:
        with self.bot.app.database.session() as session:
            return triage_stats(session, guild_id, days=days)
