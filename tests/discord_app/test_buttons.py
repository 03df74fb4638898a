"""The buttons under a reply: feedback (one vote per member) and more answers, which keep
working after the bot restarts."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import TriagebotApp
from bot.store.schema import Feedback
from tests.discord_app.conftest import running_bot
from tests.discord_app.harness import EPHEMERAL, MEMBER, OTHER_MEMBER, DiscordHarness, custom_ids

BROAD_QUESTION = "lower back tight and sore after deadlifts and squats, what stretches and warm-up?"


def votes(app: TriagebotApp) -> list[tuple[str, bool]]:
    with app.database.session() as session:
        return [(f.reply_id, f.helpful) for f in session.scalars(select(Feedback))]


async def test_a_vote_is_stored_once_per_member_and_can_be_changed(
    harness: DiscordHarness,
) -> None:
    reply = await harness.slash("ask", question=BROAD_QUESTION)
    helpful, not_helpful = (i for i in custom_ids(reply) if i.startswith("triage:vote:"))

    first = await harness.click(reply, helpful, MEMBER)
    again = await harness.click(reply, helpful, MEMBER)
    changed = await harness.click(reply, not_helpful, MEMBER)
    other = await harness.click(reply, helpful, OTHER_MEMBER)

    assert all(s.body["flags"] & EPHEMERAL for s in (first, again, changed, other))
    assert "thanks" in first.body["content"].lower()
    assert "already" in again.body["content"].lower()
    assert "changed" in changed.body["content"].lower()
    reply_id = helpful.split(":")[2]
    assert sorted(votes(harness.bot.app)) == [(reply_id, False), (reply_id, True)]


async def test_more_answers_shows_the_next_ranked_answers(harness: DiscordHarness) -> None:
    reply = await harness.slash("ask", question=BROAD_QUESTION)
    shown = [e["footer"]["text"].split("·")[0] for e in reply.body["embeds"]]
    more = next(i for i in custom_ids(reply) if i.startswith("triage:more:"))

    sent = await harness.click(reply, more)

    assert sent.body["flags"] & EPHEMERAL
    assert sent.body["embeds"]
    next_ids = [e["footer"]["text"].split("·")[0] for e in sent.body["embeds"]]
    assert not set(next_ids) & set(shown)


async def test_each_member_pages_through_more_answers_on_their_own(
    harness: DiscordHarness,
) -> None:
    reply = await harness.slash("ask", question=BROAD_QUESTION)
    more = next(i for i in custom_ids(reply) if i.startswith("triage:more:"))

    first = await harness.click(reply, more, MEMBER)
    second = await harness.click(reply, more, OTHER_MEMBER)
    further = next(i for i in custom_ids(first) if i.startswith("triage:more:"))
    third_page = await harness.click(first, further, MEMBER)

    assert footers(first) and footers(first) == footers(second)
    assert footers(third_page) and not set(footers(third_page)) & set(footers(first))


async def test_a_vote_is_about_the_answers_the_voter_was_shown(harness: DiscordHarness) -> None:
    reply = await harness.slash("ask", question=BROAD_QUESTION)
    helpful = next(i for i in custom_ids(reply) if i.startswith("triage:vote:"))
    more = next(i for i in custom_ids(reply) if i.startswith("triage:more:"))
    page = await harness.click(reply, more, OTHER_MEMBER)
    helpful_on_page = next(i for i in custom_ids(page) if i.startswith("triage:vote:"))

    await harness.click(reply, helpful, MEMBER)
    await harness.click(page, helpful_on_page, OTHER_MEMBER)

    with harness.bot.app.database.session() as session:
        voted = sorted(len(f.answer_ids) for f in session.scalars(select(Feedback)))
    assert voted == [len(footers(reply)), len(footers(reply)) + len(footers(page))]


def footers(sent) -> list[str]:  # type: ignore[no-untyped-def]
    """The answer ids cited in a reply or page, in order."""
    return [e["footer"]["text"].split("·")[0] for e in sent.body["embeds"] if e.get("author")]


async def test_buttons_still_work_after_a_restart(triage_app: TriagebotApp) -> None:
    async with running_bot(triage_app) as before:
        reply = await before.slash("ask", question=BROAD_QUESTION)
    helpful = custom_ids(reply)[0]
    more = next(i for i in custom_ids(reply) if i.startswith("triage:more:"))

    async with running_bot(triage_app) as after:
        vote = await after.click(reply, helpful, OTHER_MEMBER)
        next_answers = await after.click(reply, more)

    assert "thanks" in vote.body["content"].lower()
    assert next_answers.body["embeds"]
    assert len(votes(triage_app)) == 1
