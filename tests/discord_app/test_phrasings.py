"""New ways of asking existing answers: a moderator makes a queued question a phrasing of
an answer, and confirms or rejects the questions members proposed by marking replies
helpful."""

from __future__ import annotations

from typing import Any

from bot.app import TriagebotApp
from bot.corpus.records import AnswerRecord
from bot.store.phrasings import index_records
from tests.discord_app.conftest import running_bot
from tests.discord_app.fake_discord import BOT_USER, GUILD_ID, Sent, message_payload
from tests.discord_app.harness import (
    EPHEMERAL,
    MEMBER,
    MODERATOR,
    OTHER_MEMBER,
    DiscordHarness,
    Person,
    custom_ids,
)

QUEUED = "qwzx vlorp frimble gnast"
ANSWERED = "my hip flexors are tight from sitting at a desk"
SCOPE = str(GUILD_ID)


async def test_a_queued_question_becomes_a_phrasing_of_the_chosen_answer(
    harness: DiscordHarness,
) -> None:
    answer_id = await _queued_then_answered(harness)

    queue = await harness.slash("unanswered", MODERATOR)
    menu = await harness.click(queue, _phrasing_button(queue), MODERATOR)
    options = _options(menu)
    chosen = await _choose(harness, menu, answer_id, MODERATOR)

    assert menu.body["flags"] & EPHEMERAL
    assert QUEUED in menu.body["content"]
    assert next(iter(options)) == answer_id
    assert options[answer_id] == "The frimble gnast warm-up"
    assert 1 < len(options) <= 5
    assert chosen.body["content"] == (
        f"Added as another way of asking `{answer_id}`. Run `/reindex` to have the bot use it."
    )
    assert chosen.body["components"] == []  # the menu gives way to the outcome
    stored = harness.bot.app.curation.show([SCOPE], answer_id)
    assert QUEUED in stored.record.also_asked
    assert harness.bot.app.curation.unanswered(SCOPE) == []


async def test_a_starter_answer_gets_the_phrasing_for_this_server_only_and_cites_it(
    harness: DiscordHarness,
) -> None:
    await harness.slash("ask", question=QUEUED)
    queue = await harness.slash("unanswered", MODERATOR)
    menu = await harness.click(queue, _phrasing_button(queue), MODERATOR)
    starter_id = next(iter(_options(menu)))

    chosen = await _choose(harness, menu, starter_id, MODERATOR)
    harness.bot.app.rebuild_index(SCOPE)
    asked = await harness.slash("ask", question=QUEUED)

    assert "for this server only" in chosen.body["content"]
    assert "/reindex" in chosen.body["content"]
    assert QUEUED not in harness.bot.app.curation.show(["global"], starter_id).record.also_asked
    assert _cited(asked)[0] == starter_id


async def test_a_phrasing_the_answer_already_has_is_not_added_twice(
    harness: DiscordHarness,
) -> None:
    answer_id = await _queued_then_answered(harness, also_asked=(f"{QUEUED}?",))
    queue = await harness.slash("unanswered", MODERATOR)
    menu = await harness.click(queue, _phrasing_button(queue), MODERATOR)

    chosen = await _choose(harness, menu, answer_id, MODERATOR)

    assert chosen.body["content"] == f"`{answer_id}` already had that phrasing."
    assert harness.bot.app.curation.show([SCOPE], answer_id).record.also_asked == (f"{QUEUED}?",)
    assert harness.bot.app.curation.unanswered(SCOPE) == []


async def test_a_question_gone_from_the_queue_is_said_in_one_line(
    harness: DiscordHarness,
) -> None:
    answer_id = await _queued_then_answered(harness)
    queue = await harness.slash("unanswered", MODERATOR)
    menu = await harness.click(queue, _phrasing_button(queue), MODERATOR)
    opened_meanwhile = await harness.click(queue, _phrasing_button(queue), MODERATOR)
    await _choose(harness, menu, answer_id, MODERATOR)

    late_choice = await _choose(harness, opened_meanwhile, answer_id, MODERATOR)
    late_button = await harness.click(queue, _phrasing_button(queue), MODERATOR)

    assert late_choice.body["flags"] & EPHEMERAL
    assert late_choice.body["content"] == (
        "that question is no longer in the queue (answered or purged)"
    )
    assert late_button.body["content"] == "That question has been answered or purged since."
    assert harness.bot.app.curation.show([SCOPE], answer_id).record.also_asked == (QUEUED,)


async def test_members_cannot_turn_queued_questions_into_phrasings(
    harness: DiscordHarness,
) -> None:
    answer_id = await _queued_then_answered(harness)
    queue = await harness.slash("unanswered", MODERATOR)
    menu = await harness.click(queue, _phrasing_button(queue), MODERATOR)

    pressed = await harness.click(queue, _phrasing_button(queue), MEMBER)
    chosen = await _choose(harness, menu, answer_id, MEMBER)

    for refused in (pressed, chosen):
        assert refused.body["flags"] & EPHEMERAL
        assert "only moderators" in refused.body["content"].lower()
    assert harness.bot.app.curation.show([SCOPE], answer_id).record.also_asked == ()
    assert len(harness.bot.app.curation.unanswered(SCOPE)) == 1


async def test_the_queue_shows_both_buttons_of_a_question_side_by_side(
    harness: DiscordHarness,
) -> None:
    await harness.slash("ask", question=QUEUED)
    await harness.slash("ask", question="plinth zorbo quaggle")

    queue = await harness.slash("unanswered", MODERATOR)

    rows = [[c["label"] for c in row["components"]] for row in queue.body["components"]]
    assert rows == [
        ["Answer #1", "#1 is a phrasing of…"],
        ["Answer #2", "#2 is a phrasing of…"],
    ]


async def test_a_helpful_vote_proposes_the_question_and_a_moderator_confirms_it(
    harness: DiscordHarness,
) -> None:
    top_answer = await _propose_by_vote(harness, ANSWERED)

    listed = await harness.slash("phrasings", MODERATOR)
    confirm, _ = _verdict_buttons(listed)
    confirmed = await harness.click(listed, confirm, MODERATOR)

    assert listed.body["flags"] & EPHEMERAL
    description = listed.body["embeds"][0]["description"]
    assert ANSWERED in description and f"`{top_answer}`" in description
    number = confirm.split(":")[2]
    assert confirmed.body["flags"] & EPHEMERAL
    assert confirmed.body["content"] == (
        f"#{number}: Added as another way of asking `{top_answer}` (a shared starter answer: "
        "for this server only). Run `/reindex` to have the bot use it."
    )
    assert ANSWERED in _phrasings_in_the_index(harness.bot.app, top_answer)
    assert "No proposed phrasings" in (await harness.slash("phrasings", MODERATOR)).body["content"]


async def test_a_rejected_proposal_is_not_kept(harness: DiscordHarness) -> None:
    top_answer = await _propose_by_vote(harness, ANSWERED)
    listed = await harness.slash("phrasings", MODERATOR)
    _, reject = _verdict_buttons(listed)

    rejected = await harness.click(listed, reject, MODERATOR)

    assert rejected.body["content"] == f"#{reject.split(':')[2]} rejected: its text is not kept."
    assert ANSWERED not in _phrasings_in_the_index(harness.bot.app, top_answer)
    assert harness.bot.app.curation.proposed_phrasings(SCOPE) == []


async def test_a_proposal_already_handled_is_said_in_one_line(harness: DiscordHarness) -> None:
    await _propose_by_vote(harness, ANSWERED)
    listed = await harness.slash("phrasings", MODERATOR)
    confirm, reject = _verdict_buttons(listed)
    await harness.click(listed, confirm, MODERATOR)

    confirmed_again = await harness.click(listed, confirm, MODERATOR)
    rejected_after = await harness.click(listed, reject, MODERATOR)

    number = confirm.split(":")[2]
    for late in (confirmed_again, rejected_after):
        assert late.body["flags"] & EPHEMERAL
        assert late.body["content"] == f"no phrasing #{number} waits in scope '{SCOPE}'"


async def test_members_cannot_list_confirm_or_reject_phrasings(harness: DiscordHarness) -> None:
    await _propose_by_vote(harness, ANSWERED)
    listed = await harness.slash("phrasings", MODERATOR)
    confirm, reject = _verdict_buttons(listed)

    refused = [
        await harness.slash("phrasings", MEMBER),
        await harness.click(listed, confirm, MEMBER),
        await harness.click(listed, reject, MEMBER),
    ]

    for sent in refused:
        assert sent.body["flags"] & EPHEMERAL
        assert "only moderators" in sent.body["content"].lower()
    assert len(harness.bot.app.curation.proposed_phrasings(SCOPE)) == 1


async def test_phrasing_buttons_and_menus_still_work_after_a_restart(
    triage_app: TriagebotApp,
) -> None:
    async with running_bot(triage_app) as before:
        await before.slash("ask", question=QUEUED)
        await _propose_by_vote(before, ANSWERED)
        queue = await before.slash("unanswered", MODERATOR)
        menu = await before.click(queue, _phrasing_button(queue), MODERATOR)
        listed = await before.slash("phrasings", MODERATOR)
    confirm, _ = _verdict_buttons(listed)

    async with running_bot(triage_app) as after:
        menu_again = await after.click(queue, _phrasing_button(queue), MODERATOR)
        chosen = await _choose(after, menu, next(iter(_options(menu))), MODERATOR)
        confirmed = await after.click(listed, confirm, MODERATOR)

    assert _options(menu_again) == _options(menu)
    assert chosen.body["content"].startswith("Added as another way of asking")
    assert confirmed.body["content"].startswith(f"#{confirm.split(':')[2]}: Added")


# --- helpers ----------------------------------------------------------------------------


async def _queued_then_answered(harness: DiscordHarness, also_asked: tuple[str, ...] = ()) -> str:
    """A member asks about a term the bot does not know; a moderator then writes an answer
    that uses it, and the index is rebuilt. The answer's id."""
    await harness.slash("ask", question=QUEUED)
    draft = AnswerRecord(
        id="frimble-gnast-warm-up",
        title="The frimble gnast warm-up",
        body="Slow calf raises, three sets of fifteen, pausing at the top.",
        author="coach",
        also_asked=also_asked,
    )
    answer_id = harness.bot.app.curation.add(SCOPE, draft, "test").id
    harness.bot.app.rebuild_index(SCOPE)
    return answer_id


def _phrasing_button(queue: Sent) -> str:
    return next(i for i in custom_ids(queue) if i.startswith("triage:phq:"))


def _verdict_buttons(listed: Sent) -> tuple[str, str]:
    confirm, reject = (i for i in custom_ids(listed) if i.startswith("triage:phrasing:"))
    assert confirm.endswith(":1") and reject.endswith(":0")
    return confirm, reject


def _options(menu: Sent) -> dict[str, str]:
    """The answers the menu offers: id -> label."""
    (row,) = menu.body["components"]
    (select,) = row["components"]
    return {option["value"]: option["label"] for option in select["options"]}


async def _choose(harness: DiscordHarness, menu: Sent, value: str, person: Person) -> Sent:
    """Pick `value` in the select menu of the message the bot sent in `menu` (what
    `DiscordHarness.click` does for a button)."""
    response = menu.response or {}
    sent_message = response["resource"]["message"] if "resource" in response else response
    message = message_payload(
        content=menu.body.get("content") or "",
        author=BOT_USER,
        message_id=int(sent_message["id"]),
        components=menu.body.get("components"),
        flags=menu.body.get("flags") or 0,
    )
    (row,) = menu.body["components"]
    data: dict[str, Any] = {
        "custom_id": row["components"][0]["custom_id"],
        "component_type": 3,
        "values": [value],
    }
    payload = harness._interaction(3, data, person, message=message)
    return await harness._dispatch(payload)


async def _propose_by_vote(harness: DiscordHarness, question: str) -> str:
    """A member asks, another marks the reply helpful; the id of the reply's top answer."""
    reply = await harness.slash("ask", MEMBER, question=question)
    helpful = next(i for i in custom_ids(reply) if i.startswith("triage:vote:") and i[-1] == "1")
    await harness.click(reply, helpful, OTHER_MEMBER)
    return _cited(reply)[0]


def _cited(reply: Sent) -> list[str]:
    """The ids of the answers a reply cites, in order."""
    footers = (e.get("footer", {}).get("text", "") for e in reply.body["embeds"] if e.get("author"))
    return [text.split("·")[0].removeprefix("answer:").strip() for text in footers]


def _phrasings_in_the_index(app: TriagebotApp, answer_id: str) -> tuple[str, ...]:
    """The ways of asking `answer_id` the guild's next build reads."""
    with app.database.session() as session:
        records = index_records(session, SCOPE)
    return next((r.also_asked for r in records if r.id == answer_id), ())
