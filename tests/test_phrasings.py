"""Members' questions become new ways of asking existing answers, with a moderator's say.

A reply that showed answers offers its question; a helpful vote proposes it; a moderator
confirms it (or turns a queued unanswered question into one directly). A phrasing of the
guild's own answer joins the answer's `also_asked`; one of a shared starter answer is an
overlay only the guild's index reads. Each takes effect at the guild's next build. Run on
SQLite and PostgreSQL, with the real model.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import TriagebotApp
from bot.corpus.importer import import_records
from bot.corpus.records import AnswerRecord
from bot.errors import TriagebotError
from bot.retrieval.encoder import Encoder
from bot.scopes import GLOBAL_SCOPE
from bot.settings import Settings
from bot.store.answers import AnswerRepository
from bot.store.database import Database
from bot.store.phrasings import PhrasingNotFound, index_records, scopes_with_phrasings
from bot.store.privacy import forget_member, purge_expired_text
from bot.store.questions import record_question, unanswered_questions
from bot.store.schema import Phrasing, utcnow

GUILD = "4242"
OTHER_GUILD = "5151"
SHARED = [
    AnswerRecord(
        id="hamstring-tendon-pain",
        title="Pain at the back of the knee from the hamstring tendons",
        body="The hamstring tendons cross the back of the knee. Load them gradually with "
        "isometric holds, then slow bridges and Nordic curls; ease off hill sprints.",
        author="physio",
        question="Why does the back of my knee hurt where the hamstring attaches?",
    ),
    AnswerRecord(
        id="windmills-hip-warm-up",
        title="Windmills and hip warm-ups before lifting",
        body="Open the hips and the thoracic spine with windmills, leg swings and "
        "world's greatest stretch; keep the lumbar spine for stability.",
        author="coach",
        question="What warm-up helps tight hips before squats?",
    ),
    AnswerRecord(
        id="grip-strength",
        title="Building grip strength for deadlifts",
        body="Farmer's carries, dead hangs and double-overhand work up to your limit, then "
        "hook grip or straps for the top sets.",
        author="coach",
        question="How do I stop the bar slipping out of my hands on deadlifts?",
    ),
]
OWN = AnswerRecord(
    id="club-sauna-rules",
    title="Using the club sauna after training",
    body="Ten minutes at most, drink water first, and never straight after a max-effort "
    "session while you still feel light-headed.",
    author="club",
    question="Can I use the sauna after a session?",
)
LAY = "the ropey bit at the back of my knee is sore after hill reps"


@pytest.fixture
def app(database: Database, real_encoder: Encoder, tmp_path: Path) -> TriagebotApp:
    settings = Settings(data_dir=tmp_path)
    app = TriagebotApp(settings=settings, database=database, _encoder=real_encoder)
    import_records(database, SHARED, GLOBAL_SCOPE, "test", "starter")
    import_records(database, [OWN], GUILD, "test", "guild's own")
    for scope in (GLOBAL_SCOPE, GUILD, OTHER_GUILD):
        app.rebuild_index(scope)
    return app


def shared_phrasings(app: TriagebotApp, answer_id: str) -> tuple[str, ...]:
    with app.database.session() as session:
        return AnswerRepository(session).get(GLOBAL_SCOPE, answer_id).record.also_asked


def own_phrasings(app: TriagebotApp) -> tuple[str, ...]:
    with app.database.session() as session:
        return AnswerRepository(session).get(GUILD, OWN.id).record.also_asked


def propose(app: TriagebotApp, question: str, asker: str = "member-1") -> int:
    """Ask in the guild, and mark the reply helpful: the proposal's number."""
    reply = app.conversation.ask(question, GUILD, asker)
    assert reply.result.answers, "the question should have been answered"
    app.conversation.vote(reply.reply_id, "member-2", helpful=True)
    proposals = app.curation.proposed_phrasings(GUILD)
    assert proposals, "a helpful vote proposes the reply's question"
    return proposals[-1].number


def test_a_helpful_vote_proposes_the_question_as_a_phrasing_of_the_top_answer(
    app: TriagebotApp,
) -> None:
    reply = app.conversation.ask("warm-up for tight hips before I squat?", GUILD, "member-1")
    assert app.curation.proposed_phrasings(GUILD) == []

    app.conversation.vote(reply.reply_id, "member-2", helpful=True)

    [proposal] = app.curation.proposed_phrasings(GUILD)
    assert proposal.text == "warm-up for tight hips before I squat?"
    assert (proposal.answer_scope, proposal.answer_id) == (
        reply.result.answers[0].scope,
        reply.result.answers[0].id,
    )


def test_an_unhelpful_vote_proposes_nothing(app: TriagebotApp) -> None:
    reply = app.conversation.ask("warm-up for tight hips before I squat?", GUILD, "member-1")

    app.conversation.vote(reply.reply_id, "member-2", helpful=False)

    assert app.curation.proposed_phrasings(GUILD) == []


def test_a_red_flagged_question_is_never_offered(app: TriagebotApp) -> None:
    question = "hip warm-up ideas? also my back hurts and I can't feel my bum when I wipe"
    reply = app.conversation.ask(question, GUILD, "member-1")
    assert reply.result.red_flags.raised

    app.conversation.vote(reply.reply_id, "member-2", helpful=True)

    assert app.curation.proposed_phrasings(GUILD) == []


def test_a_confirmed_phrasing_of_a_shared_answer_serves_only_that_guild_after_its_build(
    app: TriagebotApp,
) -> None:
    added = app.curation.add_phrasing([GUILD, GLOBAL_SCOPE], "hamstring-tendon-pain", LAY, "mod")
    assert (added.answer_scope, added.overlay, added.added) == (GLOBAL_SCOPE, True, True)

    before = app.retriever.search(LAY, [GUILD, GLOBAL_SCOPE], k=3, use_threshold=False)
    assert before.answers[0].scope == GLOBAL_SCOPE  # nothing changes before the build
    app.rebuild_index(GUILD)
    app.retriever.refresh(GUILD)

    here = app.retriever.search(LAY, [GUILD, GLOBAL_SCOPE], k=3, use_threshold=False)
    assert (here.answers[0].id, here.answers[0].scope) == ("hamstring-tendon-pain", GUILD)
    assert here.answers[0].score > before.answers[0].score
    elsewhere = app.retriever.search(LAY, [OTHER_GUILD, GLOBAL_SCOPE], k=3, use_threshold=False)
    assert all(answer.scope == GLOBAL_SCOPE for answer in elsewhere.answers)
    assert LAY not in shared_phrasings(app, "hamstring-tendon-pain")


def test_a_phrasing_of_the_guilds_own_answer_joins_its_also_asked_as_a_new_revision(
    app: TriagebotApp,
) -> None:
    added = app.curation.add_phrasing([GUILD, GLOBAL_SCOPE], OWN.id, "sauna ok post gym?", "mod")

    assert (added.answer_scope, added.overlay, added.added) == (GUILD, False, True)
    assert own_phrasings(app) == ("sauna ok post gym?",)
    with app.database.session() as session:
        assert AnswerRepository(session).revisions(GUILD, OWN.id)[-1][3] == "phrasing added"


def test_a_phrasing_the_answer_already_has_is_not_added_twice(app: TriagebotApp) -> None:
    scopes = [GUILD, GLOBAL_SCOPE]
    app.curation.add_phrasing(scopes, "grip-strength", "grip giving out on deads", "mod")

    again = app.curation.add_phrasing(scopes, "grip-strength", "Grip giving out on deads?", "mod")
    its_question = app.curation.add_phrasing(scopes, OWN.id, OWN.question or "", "mod")

    assert not again.added and not its_question.added
    assert own_phrasings(app) == ()


@pytest.mark.parametrize(
    ("answer_id", "text", "message"),
    [
        ("no-such-answer", "anything?", "no answer 'no-such-answer'"),
        ("grip-strength", "   ", "needs the words of a question"),
    ],
)
def test_a_phrasing_of_an_unknown_answer_or_of_nothing_is_refused(
    app: TriagebotApp, answer_id: str, text: str, message: str
) -> None:
    with pytest.raises(TriagebotError, match=message):
        app.curation.add_phrasing([GUILD, GLOBAL_SCOPE], answer_id, text, "mod")


def test_confirming_a_proposal_adds_it_and_it_leaves_the_list(app: TriagebotApp) -> None:
    number = propose(app, "can i go in the sauna after lifting")

    added = app.curation.confirm_phrasing([GUILD, GLOBAL_SCOPE], number, "mod")

    assert added.added and added.answer_id == OWN.id
    assert own_phrasings(app) == ("can i go in the sauna after lifting",)
    assert app.curation.proposed_phrasings(GUILD) == []
    with pytest.raises(PhrasingNotFound, match=f"no phrasing #{number}"):
        app.curation.confirm_phrasing([GUILD, GLOBAL_SCOPE], number, "mod")


def test_rejecting_a_proposal_keeps_neither_it_nor_its_text(app: TriagebotApp) -> None:
    number = propose(app, "can i go in the sauna after lifting")

    app.curation.reject_phrasing(GUILD, number, "mod")

    assert app.curation.proposed_phrasings(GUILD) == []
    assert own_phrasings(app) == ()
    with app.database.session() as session:
        assert session.get(Phrasing, number).text is None  # type: ignore[union-attr]


def test_a_queued_question_becomes_a_phrasing_and_leaves_the_queue(app: TriagebotApp) -> None:
    with app.database.session() as session:
        record_question(
            session,
            scope=GUILD,
            text="is the sweat box fine once I'm done training",
            answered=False,
            answer_ids=[],
            red_flag_level="none",
        )
    [queued] = app.curation.unanswered(GUILD)

    app.curation.phrasing_from_queue([GUILD, GLOBAL_SCOPE], queued.key, OWN.id, "mod")

    assert own_phrasings(app) == ("is the sweat box fine once I'm done training",)
    assert app.curation.unanswered(GUILD) == []
    with pytest.raises(TriagebotError, match="no longer in the queue"):
        app.curation.phrasing_from_queue([GUILD, GLOBAL_SCOPE], queued.key, OWN.id, "mod")


def test_forget_me_deletes_offered_and_proposed_questions_but_not_confirmed_phrasings(
    app: TriagebotApp,
) -> None:
    confirmed = propose(app, "can i go in the sauna after lifting", asker="member-1")
    app.curation.confirm_phrasing([GUILD, GLOBAL_SCOPE], confirmed, "mod")
    propose(app, "warm-up for tight hips before I squat?", asker="member-1")
    app.conversation.ask("how do I stop my grip failing on deadlifts", GUILD, "member-1")

    with app.database.session() as session:
        forgotten = forget_member(session, "member-1", "member-1")

    assert forgotten.phrasings == 2
    assert app.curation.proposed_phrasings(GUILD) == []
    assert own_phrasings(app) == ("can i go in the sauna after lifting",)


def test_undecided_phrasings_are_purged_with_unanswered_text(app: TriagebotApp) -> None:
    propose(app, "warm-up for tight hips before I squat?")

    with app.database.session() as session:
        assert purge_expired_text(session, retention_days=30) == 0
        purged = purge_expired_text(session, 30, now=utcnow() + timedelta(days=31))

    assert purged == 1
    assert app.curation.proposed_phrasings(GUILD) == []
    with app.database.session() as session:
        assert unanswered_questions(session, [GUILD]) == []


def test_a_guild_with_only_phrasings_of_shared_answers_is_among_the_scopes_to_index(
    app: TriagebotApp,
) -> None:
    app.curation.add_phrasing([OTHER_GUILD, GLOBAL_SCOPE], "grip-strength", "bar slips", "mod")

    with app.database.session() as session:
        assert scopes_with_phrasings(session) == [OTHER_GUILD]
        assert [r.id for r in index_records(session, OTHER_GUILD)] == ["grip-strength"]
        assert index_records(session, GLOBAL_SCOPE)[0].also_asked == ()
