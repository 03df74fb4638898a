"""Askers are salted hashes; question text expires; a member can be forgotten."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.store.database import Database
from bot.store.privacy import forget_member, purge_expired_text
from bot.store.questions import RaisedFlagRecord, record_question, unanswered_questions
from bot.store.replies import AnswerRef, record_vote, save_reply
from bot.store.schema import AskedQuestion, Feedback, RedFlagEvent, utcnow


def ask(database: Database, text: str, asker: str, *, answered: bool = False) -> int:
    with database.session() as session:
        return record_question(
            session,
            scope="g1",
            text=text,
            answered=answered,
            answer_ids=[],
            red_flag_level="soon",
            flags=[RaisedFlagRecord("soon", "persistent-pain")],
            asker=asker,
            keep_flagged_text=True,
        )


def test_askers_are_stored_only_as_salted_hashes(database: Database) -> None:
    ask(database, "knee hurts for weeks", "111222333")

    with database.session() as session:
        row = session.scalars(select(AskedQuestion)).one()
    assert row.asker_hash and "111222333" not in row.asker_hash
    assert len(row.asker_hash) == 64


def test_question_text_older_than_the_retention_period_is_purged(database: Database) -> None:
    old = ask(database, "an old unanswered question", "1")
    ask(database, "a fresh unanswered question", "2")
    with database.session() as session:
        session.get(AskedQuestion, old).asked_at = utcnow() - timedelta(days=91)  # type: ignore[union-attr]
        session.execute(select(RedFlagEvent)).scalars().first().raised_at = utcnow() - timedelta(
            days=91
        )  # type: ignore[union-attr]

    with database.session() as session:
        purged = purge_expired_text(session, retention_days=90)
        queue = [q.text for q in unanswered_questions(session, ["g1"])]

    assert purged == 2  # the question's text and its red-flag record's
    assert queue == ["a fresh unanswered question"]


def test_forgetting_a_member_deletes_their_questions_and_votes_only(database: Database) -> None:
    mine = ask(database, "my question", "42")
    ask(database, "someone else's question", "43")
    with database.session() as session:
        reply = save_reply(
            session, scope="g1", question_id=mine, ranked=[AnswerRef("g1", "a")], shown=1
        )
        record_vote(session, reply, "42", True)
        record_vote(session, reply, "43", False)

    with database.session() as session:
        forgotten = forget_member(session, "42", "cli:test")

    assert (forgotten.questions, forgotten.votes) == (1, 1)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(AskedQuestion)) == 1
        assert [f.helpful for f in session.scalars(select(Feedback))] == [False]
        assert session.scalar(select(func.count()).select_from(RedFlagEvent)) == 1
