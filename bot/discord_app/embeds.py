"""Turning a TriageResult into Discord embeds that always fit Discord's limits.

The referral comes first when a red flag is raised, then up to three cited answers (title
linked to the source, the excerpt, the author), and a footer saying these are community
answers, not medical advice. Text is trimmed cleanly (whole words, an ellipsis) so that a
6,000-character answer never makes a reply fail. Mentions in quoted text are defused
here as well as by the client's allowed_mentions, so they do not even look like pings.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.redflags import RedFlagReport
from bot.retrieval.retriever import RetrievedAnswer
from bot.triage import ADVICE_WITHHELD, TriageResult

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
URL_LIMIT = 2048

# Our own budget for one quoted excerpt: long enough for a passage, short enough that
# three answers and a referral stay readable on a phone.
EXCERPT_BUDGET = 900
ELLIPSIS = "…"
DISCLAIMER = "Community answers, not medical advice. If in doubt, see a clinician."
LEVEL_HEADINGS = {
    "emergency": "🚨 Get help now",
    "urgent": "⚠️ See a doctor today",
    "soon": "🩺 Book a clinician",
}
LEVEL_COLOURS = {
    "emergency": discord.Colour.red(),
    "urgent": discord.Colour.orange(),
    "soon": discord.Colour.gold(),
}
ANSWER_COLOUR = discord.Colour.teal()
NO_ANSWER_TEXT = (
    "There is no curated answer that fits this question well enough yet. "
    "The moderators have been told, so one may be added."
)
ZERO_WIDTH_SPACE = "\u200b"
SCREENING_TITLE = "❓ One quick question first"
SCREENING_HINT = "Answer with the buttons below: only you will see what happens next."
SAFETY_NET_TITLE = "Get help now if…"
SAFETY_NET_BUTTON = "One of these applies to me"
SCREENING_COLOUR = discord.Colour.orange()
SAFETY_NET_COLOUR = discord.Colour.dark_grey()


def defuse_mentions(text: str) -> str:
    """@everyone, @here and <@id> stay readable but cannot ping or look like a ping."""
    text = text.replace("@everyone", f"@{ZERO_WIDTH_SPACE}everyone")
    text = text.replace("@here", f"@{ZERO_WIDTH_SPACE}here")
    return text.replace("<@", f"<@{ZERO_WIDTH_SPACE}")


def trim(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word boundary with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ELLIPSIS))]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    # An odd number of ** would leave the rest of the reply in bold.
    if cut.count("**") % 2:
        cut = cut[: cut.rfind("**")]
    return cut.rstrip(" ,;:.-*") + ELLIPSIS


def referral_embed(report: RedFlagReport, advice_withheld: bool) -> discord.Embed:
    level = report.level.value
    lines = [report.message or ""]
    for flag in report.flags:
        lines.append(f"• **{flag.title}** (you wrote: “{flag.evidence}”)")
    if advice_withheld:
        lines.append(f"\n{ADVICE_WITHHELD}")
    return discord.Embed(
        title=LEVEL_HEADINGS.get(level, level),
        description=trim(defuse_mentions("\n".join(lines)), DESCRIPTION_LIMIT),
        colour=LEVEL_COLOURS.get(level, discord.Colour.orange()),
    )


def screening_embed(report: RedFlagReport) -> discord.Embed:
    """The screening questions the check could not settle, numbered when there are two."""
    questions = [question.question for question in report.confirm]
    if len(questions) > 1:
        questions = [f"**{number}.** {text}" for number, text in enumerate(questions, start=1)]
    return discord.Embed(
        title=SCREENING_TITLE,
        description=trim("\n".join([*questions, "", SCREENING_HINT]), DESCRIPTION_LIMIT),
        colour=SCREENING_COLOUR,
    )


def safety_net_embed(report: RedFlagReport) -> discord.Embed:
    """The "get help now if..." signs of each topic the reply touches."""
    embed = discord.Embed(title=SAFETY_NET_TITLE, colour=SAFETY_NET_COLOUR)
    for topic in report.safety_net:
        signs = "\n".join(f"• {sign}" for sign in topic.signs)
        embed.add_field(
            name=trim(topic.title, TITLE_LIMIT),
            value=trim(signs, FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed


def escalation_embed(text: str, level: str) -> discord.Embed:
    """The referral a member asked for with a yes or "one of these applies to me"."""
    return discord.Embed(
        title=LEVEL_HEADINGS.get(level, level),
        description=trim(defuse_mentions(text), DESCRIPTION_LIMIT),
        colour=LEVEL_COLOURS.get(level, discord.Colour.orange()),
    )


def answer_embed(answer: RetrievedAnswer, budget: int = EXCERPT_BUDGET) -> discord.Embed:
    url = web_link(answer.source_url)
    embed = discord.Embed(
        title=trim(defuse_mentions(answer.title), TITLE_LIMIT),
        url=url,
        description=trim(defuse_mentions(answer.excerpt), min(budget, DESCRIPTION_LIMIT)),
        colour=ANSWER_COLOUR,
    )
    embed.set_author(name=trim(f"by {defuse_mentions(answer.author)}", AUTHOR_LIMIT))
    embed.set_footer(text=trim(f"answer: {answer.id}", FOOTER_LIMIT))
    return embed


def no_answer_embed() -> discord.Embed:
    return discord.Embed(description=NO_ANSWER_TEXT, colour=discord.Colour.light_grey())


def result_embeds(
    result: TriageResult, answers: Sequence[RetrievedAnswer] | None = None
) -> list[discord.Embed]:
    """The whole reply: referral, screening question, answers (or the no-answer note), the
    safety-net list, disclaimer."""
    shown = list(result.answers if answers is None else answers)
    report = result.red_flags
    embeds: list[discord.Embed] = []
    if report.raised:
        embeds.append(referral_embed(report, result.advice_withheld))
    if report.confirm:
        embeds.append(screening_embed(report))
    if not result.advice_withheld:
        if shown:
            embeds.extend(answer_embed(a) for a in shown)
        else:
            embeds.append(no_answer_embed())
        if report.safety_net:
            embeds.append(safety_net_embed(report))
    embeds[-1].set_footer(
        text=trim(_footer_text(embeds[-1]) + DISCLAIMER, FOOTER_LIMIT),
    )
    return fit_to_limits(embeds)


def answers_embeds(answers: Sequence[RetrievedAnswer]) -> list[discord.Embed]:
    """Follow-up answers ("more answers"), with the disclaimer."""
    embeds = [answer_embed(a) for a in answers] or [no_answer_embed()]
    embeds[-1].set_footer(text=trim(_footer_text(embeds[-1]) + DISCLAIMER, FOOTER_LIMIT))
    return fit_to_limits(embeds)


def fit_to_limits(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """At most ten embeds, their descriptions trimmed so the total stays under 6,000."""
    embeds = embeds[:EMBEDS_PER_MESSAGE]
    while embed_total(embeds) > TOTAL_LIMIT:
        longest = max(embeds, key=lambda e: len(e.description or ""))
        current = len(longest.description or "")
        excess = embed_total(embeds) - TOTAL_LIMIT
        if current <= 1:
            embeds.pop()
            continue
        longest.description = trim(longest.description or "", max(1, current - excess - 1))
    return embeds


def embed_total(embeds: Sequence[discord.Embed]) -> int:
    """Characters Discord counts towards the 6,000 limit of one message."""
    total = 0
    for embed in embeds:
        total += len(embed.title or "") + len(embed.description or "")
        total += len(embed.footer.text or "") + len(embed.author.name or "")
        total += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    return total


def _footer_text(embed: discord.Embed) -> str:
    return f"{embed.footer.text} · " if embed.footer.text else ""


def web_link(url: str | None) -> str | None:
    """`url` when Discord accepts it as an embed link (http(s), not too long), else None."""
    if url and len(url) <= URL_LIMIT and url.startswith(("http://", "https://")):
        return url
    return None
