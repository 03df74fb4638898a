"""Members ask with /ask, by mentioning the bot, or in the help forum."""

from __future__ import annotations

from tests.discord_app.fake_discord import BOT_ID, BOT_USER, GUILD_ID
from tests.discord_app.harness import EPHEMERAL, DiscordHarness, custom_ids

DISCLAIMER = "Community answers, not medical advice"


async def test_ask_answers_in_the_channel_with_cited_answers_and_buttons(
    harness: DiscordHarness,
) -> None:
    sent = await harness.slash("ask", question="my hip flexors are tight from sitting at a desk")

    reply = sent.body
    assert sent.deferred is not None and sent.deferred.callback_type == 5  # "thinking" at once
    assert not reply.get("flags", 0) & EPHEMERAL
    embeds = reply["embeds"]
    answers = [embed for embed in embeds if embed.get("author")]
    assert 1 <= len(answers) <= 3
    first = embeds[0]
    assert first["title"] and first["description"]
    assert first["author"]["name"].startswith("by ")
    assert "hip" in (first["title"] + first["description"]).lower()
    assert DISCLAIMER in embeds[-1]["footer"]["text"]
    ids = custom_ids(sent)
    assert any(i.startswith("triage:vote:") and i.endswith(":1") for i in ids)
    assert any(i.startswith("triage:vote:") and i.endswith(":0") for i in ids)


async def test_a_seed_thread_answer_links_to_its_forum_post(harness: DiscordHarness) -> None:
    sent = await harness.slash(
        "ask", question="windmills and leg swings to warm up my lower back before football"
    )

    urls = [e.get("url") for e in sent.body["embeds"]]
    assert any(u and u.startswith("https://forum.example.org/t/") for u in urls)


async def test_a_private_question_is_answered_ephemerally(harness: DiscordHarness) -> None:
    sent = await harness.slash("ask", question="how do I warm up before squats", private=True)

    assert sent.body["flags"] & EPHEMERAL


async def test_an_emergency_leads_the_reply_and_leaves_out_exercise_advice(
    harness: DiscordHarness,
) -> None:
    sent = await harness.slash(
        "ask", question="my back hurts and I can't feel it when I wipe, and can't pee properly"
    )

    embeds = sent.body["embeds"]
    assert len(embeds) == 1
    referral = embeds[0]
    assert "help now" in referral["title"].lower()
    assert "999" in referral["description"]
    assert "cauda equina" in referral["description"].lower()
    assert "left out" in referral["description"]


async def test_a_soon_referral_comes_first_then_the_answers(harness: DiscordHarness) -> None:
    sent = await harness.slash(
        "ask",
        question="my knee has hurt for 8 weeks when squatting and is not getting better, "
        "what exercises?",
    )

    embeds = sent.body["embeds"]
    assert embeds[0]["title"].startswith(("🩺", "⚠️"))
    assert len(embeds) >= 2


async def test_no_relevant_answer_says_so_and_queues_the_question(
    harness: DiscordHarness,
) -> None:
    sent = await harness.slash("ask", question="qwzx vlorp frimble gnast")

    text = sent.body["embeds"][0]["description"]
    assert "no curated answer" in text.lower()
    assert "moderators" in text.lower()
    queue = harness.bot.app.curation.unanswered(str(GUILD_ID))
    assert [q.text for q in queue] == ["qwzx vlorp frimble gnast"]


async def test_nothing_the_bot_sends_can_ping_anyone(harness: DiscordHarness) -> None:
    sent = await harness.slash("ask", question="@everyone <@123> my hip flexors are tight")

    assert sent.body["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in str(sent.body["embeds"])


async def test_mentioning_the_bot_with_a_question_gets_a_reply(harness: DiscordHarness) -> None:
    message = harness.user_message(
        f"<@{BOT_ID}> what should I do about a tight lower back from sitting?",
        mentions=[BOT_USER],
    )

    sent = await harness.post_message(message)

    assert sent.body["embeds"]
    assert str(sent.body["message_reference"]["message_id"]) == message["id"]
    assert sent.body["allowed_mentions"]["parse"] == []
    typing = harness.api.matching(lambda s: s.path.endswith("/typing"))
    assert typing and harness.api.sent.index(typing[0]) < harness.api.sent.index(sent)


async def test_a_member_asking_too_often_is_told_to_wait(triage_app) -> None:  # type: ignore[no-untyped-def]
    from bot.discord_app.cooldown import MemberCooldown
    from tests.discord_app.conftest import running_bot

    async with running_bot(triage_app, MemberCooldown(rate=1, per=60)) as harness:
        first = await harness.slash("ask", question="tight hamstrings, stretch or strengthen?")
        second = await harness.slash("ask", question="and what about my calves?")

    assert first.body["embeds"]
    assert second.body["flags"] & EPHEMERAL
    assert "seconds" in second.body["content"]


async def test_a_new_help_forum_post_is_answered_in_its_thread(harness: DiscordHarness) -> None:
    from tests.discord_app.harness import ADMIN, HELP_FORUM_ID

    await harness.slash(
        "triage",
        ADMIN,
        subcommand="config",
        help_forum=str(HELP_FORUM_ID),
        resolved={
            "channels": {
                str(HELP_FORUM_ID): {
                    "id": str(HELP_FORUM_ID),
                    "type": 15,
                    "name": "help-forum",
                    "permissions": "0",
                }
            }
        },
    )
    thread_id = harness.next_id()
    starter = harness.user_message("they feel tight after sitting at my desk all day")
    starter.update({"id": str(thread_id), "channel_id": str(thread_id)})

    sent = await harness.new_forum_post(thread_id, HELP_FORUM_ID, "Tight hip flexors?", starter)

    assert sent.path == f"/channels/{thread_id}/messages"
    assert "hip" in str(sent.body["embeds"]).lower()


async def test_a_slow_question_never_blocks_the_event_loop(triage_app) -> None:  # type: ignore[no-untyped-def]
    """Encoding runs off the loop: the loop keeps ticking while a slow encode is under way.
    (No wall-clock bound: one tick during half a second of encoding is enough, however
    loaded the machine.)"""
    import asyncio
    import threading
    import time

    from tests.discord_app.conftest import running_bot

    encoding = threading.Event()
    encode_threads: list[int] = []

    class SlowEncoder:
        def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
            self.inner, self.name, self.dimension = inner, inner.name, inner.dimension

        def encode(self, texts, **options):  # type: ignore[no-untyped-def]
            encode_threads.append(threading.get_ident())
            encoding.set()
            time.sleep(0.5)  # a big model on a busy CPU
            encoding.clear()
            return self.inner.encode(texts, **options)

    triage_app.retriever._state.encoder = SlowEncoder(triage_app.encoder)
    async with running_bot(triage_app) as harness:
        ticks_while_encoding = 0
        loop_thread = threading.get_ident()

        answered = asyncio.Event()

        async def heartbeat() -> None:
            nonlocal ticks_while_encoding
            while not answered.is_set():
                await asyncio.sleep(0.02)
                ticks_while_encoding += encoding.is_set()

        ticker = asyncio.create_task(heartbeat())
        sent = await harness.slash("ask", question="hip flexors tight from sitting, stretches?")
        answered.set()
        await ticker

    assert sent.body["embeds"]
    assert encode_threads and loop_thread not in encode_threads
    assert ticks_while_encoding >= 1


async def test_forget_me_deletes_what_is_stored_about_the_member(harness: DiscordHarness) -> None:
    await harness.slash("ask", question="qwzx vlorp frimble gnast")

    sent = await harness.slash("privacy", subcommand="forget-me")

    assert sent.body["flags"] & EPHEMERAL
    assert "1 questions, 0 votes, 0 answers to screening questions and" in sent.body["content"]
    assert harness.bot.app.curation.unanswered(str(GUILD_ID)) == []


async def test_first_ask_after_start(triage_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A cold bot (nothing loaded: rules, red-flag model, embedding model) answers its first
    /ask: "thinking" within Discord's 3 s (the stand-in refuses a later response), then the
    answer, with everything loaded before the bot connected rather than on the question."""
    import time

    import bot.app
    from bot.redflags import RedFlagChecker
    from bot.redflags.detectors.learned import shipped_classifier
    from tests.discord_app.conftest import make_app, running_bot
    from tests.support.fake_encoder import FakeEncoder

    events: list[str] = []

    def slow_model_load(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(4.0)  # the real model takes 5 to 25 s on a small machine
        events.append("embedding model loaded")
        return FakeEncoder(dimension=512)

    monkeypatch.setattr(bot.app, "load_encoder", slow_model_load)
    shipped_classifier.cache_clear()
    monkeypatch.setattr(RedFlagChecker, "_default", None)
    cold = make_app(triage_app.settings.data_dir)
    cold._encoder = None

    async with running_bot(cold) as harness:
        if shipped_classifier.cache_info().currsize:
            events.append("red-flag model loaded")
        events.append("member asks")
        sent = await harness.slash("ask", question="my hip flexors are tight from sitting")

    assert sent.deferred is not None and sent.deferred.refused is None
    assert sent.body["embeds"]
    assert events == ["embedding model loaded", "red-flag model loaded", "member asks"]
    cold.close()


async def test_flagged_text_is_stored_nowhere_when_the_server_keeps_none(
    harness: DiscordHarness,
) -> None:
    from sqlalchemy import MetaData, select

    from bot.store.questions import question_key

    # An urgent concern (advice is still given, so the question could be queued) that none
    # of the answers fits.
    question = "qwzx vlorp frimble gnast zorblat quimbo fextra wazzock: calf swollen, hot and red"
    # (the nonsense words keep the fake encoder from matching any answer)
    sent = await harness.slash("ask", question=question)

    assert "doctor" in str(sent.body["embeds"]).lower()
    database = harness.bot.app.database
    tables = MetaData()
    tables.reflect(bind=database.engine)
    stored = []
    with database.engine.connect() as connection:
        for table in tables.sorted_tables:
            for row in connection.execute(select(table)):
                stored.extend(str(value) for value in row if value is not None)
    assert stored  # the question, its flag and the reply were recorded, without text
    assert not [value for value in stored if "frimble" in value]
    assert not [value for value in stored if question_key(question) in value]
    assert harness.bot.app.curation.unanswered(str(GUILD_ID)) == []
