"""Terminal rendering of a TriageResult: the referral first, then the cited answers."""

from __future__ import annotations

import re
import textwrap

import click

from bot.redflags import RedFlagReport
from bot.triage import ADVICE_WITHHELD, TriageResult

LEVEL_COLOURS = {"emergency": "red", "urgent": "red", "soon": "yellow"}
LEVEL_HEADINGS = {
    "emergency": "EMERGENCY - get help now",
    "urgent": "URGENT - see a doctor today",
    "soon": "See a clinician soon",
}
DISCLAIMER = "Community answers, not medical advice."
SCREENING_HEADING = "?? One question before you go on"
# What a yes means, by the level of the concern asked about; a no leaves the answers.
IF_YES = {
    "emergency": "If yes: get help now (an emergency department, or your emergency number).",
    "urgent": "If yes: see a doctor today.",
    "soon": "If yes: book a doctor or physiotherapist.",
}
SAFETY_NET_HEADING = "Get help now if:"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def printable(text: str) -> str:
    """Stored member text made safe for a terminal: control characters (escape sequences
    that could recolour, retitle or clear the terminal) are shown as `\\xNN`, not run."""
    return "".join(char if char.isprintable() or char == " " else _escaped(char) for char in text)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def highlight(excerpt: str) -> str:
    """Turn the excerpt's **marked** sentences into bold terminal text."""
    return _BOLD.sub(lambda m: click.style(m.group(1), bold=True), excerpt)


def render_red_flags(report: RedFlagReport, width: int = 88) -> str:
    """The referral block, then any screening question (empty when there is neither)."""
    lines: list[str] = []
    level = report.level.value
    if level != "none":
        colour = LEVEL_COLOURS.get(level, "yellow")
        lines.append(click.style(f"!! {LEVEL_HEADINGS.get(level, level)}", fg=colour, bold=True))
        if report.message:
            lines.extend(textwrap.wrap(report.message, width))
        for flag in report.flags:
            lines.append(f'   - {flag.title} (because: "{flag.evidence}")')
    if report.confirm:
        if lines:
            lines.append("")
        lines.append(click.style(SCREENING_HEADING, fg="yellow", bold=True))
        for question in report.confirm:
            lines.extend(textwrap.wrap(f"?  {question.question}", width, subsequent_indent="   "))
            lines.append(f"   {IF_YES[question.level.value]}")
    return "\n".join(lines)


def render_safety_net(report: RedFlagReport, width: int = 88) -> str:
    """The "get help now if..." signs of the topics the question touches (may be empty)."""
    if not report.safety_net:
        return ""
    lines = [click.style(SAFETY_NET_HEADING, bold=True)]
    for topic in report.safety_net:
        lines.append(f"   {topic.title}:")
        for sign in topic.signs:
            lines.extend(
                textwrap.wrap(
                    sign, width - 7, initial_indent="     - ", subsequent_indent="       "
                )
            )
    return "\n".join(lines)


def render_result(result: TriageResult, width: int = 88) -> str:
    lines: list[str] = []
    referral = render_red_flags(result.red_flags, width)
    if referral:
        lines.extend([referral, ""])
    if result.advice_withheld:
        lines.extend(textwrap.wrap(ADVICE_WITHHELD, width))
        return "\n".join(lines)
    safety_net = render_safety_net(result.red_flags, width)
    if result.no_answer:
        lines.append("No curated answer fits this question well enough yet.")
        lines.append("It has been queued for the moderators (`triagebot unanswered`).")
        if safety_net:
            lines.extend(["", safety_net])
        return "\n".join(lines)
    for number, answer in enumerate(result.answers, start=1):
        lines.append(click.style(f"{number}. {answer.title}", bold=True, fg="cyan"))
        for paragraph in answer.excerpt.split("\n"):
            # Highlight before wrapping so that a marked sentence may span lines.
            wrapped = textwrap.wrap(highlight(paragraph), width - 3) or [""]
            lines.extend("   " + line for line in wrapped)
        credit = f"   by {answer.author}"
        if answer.source_url:
            credit += f" - {answer.source_url}"
        lines.append(click.style(credit, dim=True))
        lines.append(click.style(f"   [{answer.id}, score {answer.score:.2f}]", dim=True))
        lines.append("")
    if safety_net:
        lines.extend([safety_net, ""])
    lines.append(click.style(DISCLAIMER, dim=True))
    return "\n".join(lines)
