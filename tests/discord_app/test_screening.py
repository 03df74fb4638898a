"""Screening questions and safety-net lists in Discord: buttons that escalate, answers stored
like votes (a salted hash of the member, one answer each, forgotten with everything else).

The screening question here comes from a detector that is sure of nothing: which messages the
learned model asks about is tested with the model itself (tests/redflags/test_learned.py);
what matters here is what the buttons do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import TriagebotApp
from bot.redflags import RedFlagChecker
from bot.redflags.detectors import Certainty, Findings, Hit, Message
from bot.redflags.detectors.patterns import PatternDetector
from bot.store.schema import RedFlagEvent, ScreeningAnswer
from tests.discord_app.conftest import running_bot
from tests.discord_app.harness import EPHEMERAL, MEMBER, OTHER_MEMBER, DiscordHarness, custom_ids

UNCLEAR = "my lower back has felt odd since deadlifts and something feels different down there"


class PartialDetector:
    """Partial evidence of one concern whenever a message says "feels different"."""

    name = "learned"

    def __init__(self, checker: RedFlagChecker, concern: str) -> None:
        self.rule = checker.rules.get(concern)

    def detect(self, message: Message) -> Findings:
        if "feels different" not in message.normalised.text:
            return Findings()
        hit = Hit(self.rule, "feels different", False, Certainty.PARTIAL, self.name, 0)
        return Findings((hit,))


@pytest.fixture
async def asking(triage_app: TriagebotApp) -> AsyncIterator[DiscordHarness]:
    patterns = RedFlagChecker.default()
    triage_app.__dict__["checker"] = RedFlagChecker(
        patterns.rules,
        [PatternDetector(patterns.rules), PartialDetector(patterns, "cauda-equina")],
    )
    async with running_bot(triage_app) as harness:
        yield harness


def screening_buttons(reply) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    yes, no = (i for i in custom_ids(reply) if i.startswith("triage:screen:"))
    return yes, no


def answers(app: TriagebotApp) -> list[tuple[str, bool, str]]:
    with app.database.session() as session:
        rows = session.scalars(select(ScreeningAnswer))
        return [(row.concern, row.applies, row.member_hash) for row in rows]


async def test_partial_evidence_asks_with_buttons_and_keeps_the_answers(
    asking: DiscordHarness,
) -> None:
    reply = await asking.slash("ask", question=UNCLEAR)

    titles = [embed.get("title") or "" for embed in reply.body["embeds"]]
    assert "One quick question" in titles[0]
    assert "bottom, genitals or inner thighs" in reply.body["embeds"][0]["description"]
    assert any(
        embed.get("footer", {}).get("text", "").startswith("answer:")
        for embed in reply.body["embeds"]
    )
    yes, no = screening_buttons(reply)
    assert yes.endswith(":cauda-equina:1") and no.endswith(":cauda-equina:0")


async def test_yes_sends_the_referral_privately_and_counts_it(asking: DiscordHarness) -> None:
    reply = await asking.slash("ask", question=UNCLEAR)
    yes, _ = screening_buttons(reply)

    sent = await asking.click(reply, yes, MEMBER)

    assert sent.body["flags"] & EPHEMERAL
    embed = sent.body["embeds"][0]
    assert embed["title"] == "🚨 Get help now"
    assert "999" in embed["description"]  # the guild's emergency number
    app = asking.bot.app
    assert [(concern, applies) for concern, applies, _ in answers(app)] == [("cauda-equina", True)]
    with app.database.session() as session:
        events = [(e.level, e.rule_id) for e in session.scalars(select(RedFlagEvent))]
    assert ("emergency", "cauda-equina") in events


async def test_no_keeps_the_answers_and_is_stored(asking: DiscordHarness) -> None:
    reply = await asking.slash("ask", question=UNCLEAR)
    _, no = screening_buttons(reply)

    sent = await asking.click(reply, no, OTHER_MEMBER)

    assert sent.body["flags"] & EPHEMERAL
    assert "answers above stand" in sent.body["content"]
    stored = answers(asking.bot.app)
    assert [(concern, applies) for concern, applies, _ in stored] == [("cauda-equina", False)]
    assert str(OTHER_MEMBER.id) not in stored[0][2], "members are stored as salted hashes"


async def test_answering_again_changes_the_stored_answer(asking: DiscordHarness) -> None:
    reply = await asking.slash("ask", question=UNCLEAR)
    yes, no = screening_buttons(reply)

    await asking.click(reply, no, MEMBER)
    await asking.click(reply, yes, MEMBER)

    assert [(concern, applies) for concern, applies, _ in answers(asking.bot.app)] == [
        ("cauda-equina", True)
    ]


async def test_a_back_question_ends_with_the_safety_net_and_its_button(
    harness: DiscordHarness,
) -> None:
    reply = await harness.slash("ask", question="lower back tight after deadlifts, what warm-up?")

    last = reply.body["embeds"][-1]
    assert last["title"] == "Get help now if…"
    assert "Back pain" in [field["name"] for field in last["fields"]]
    button = next(i for i in custom_ids(reply) if i.startswith("triage:net:"))

    sent = await harness.click(reply, button, MEMBER)

    assert sent.body["flags"] & EPHEMERAL
    assert "emergency department" in sent.body["embeds"][0]["description"]
    assert [(c, a) for c, a, _ in answers(harness.bot.app)] == [("safety-net", True)]


async def test_screening_buttons_work_after_a_restart(triage_app: TriagebotApp) -> None:
    patterns = RedFlagChecker.default()
    checker = RedFlagChecker(
        patterns.rules,
        [PatternDetector(patterns.rules), PartialDetector(patterns, "cauda-equina")],
    )
    triage_app.__dict__["checker"] = checker
    async with running_bot(triage_app) as before:
        reply = await before.slash("ask", question=UNCLEAR)
    yes, _ = screening_buttons(reply)

    async with running_bot(triage_app) as after:
        sent = await after.click(reply, yes, MEMBER)

    assert sent.body["embeds"][0]["title"] == "🚨 Get help now"


async def test_forget_me_deletes_screening_answers(asking: DiscordHarness) -> None:
    reply = await asking.slash("ask", question=UNCLEAR)
    yes, _ = screening_buttons(reply)
    await asking.click(reply, yes, MEMBER)

    sent = await asking.slash("privacy", subcommand="forget-me")

    assert "1 answers to screening questions and" in sent.body["content"]
    assert answers(asking.bot.app) == []
