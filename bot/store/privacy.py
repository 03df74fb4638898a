"""Keeping as little about members as the bot needs, for no longer than it needs it.

Askers and voters are stored only as salted hashes. The text of a question is kept only
while it is unanswered (moderators need it to write an answer), or, when a reply showed
answers, as a phrasing a helpful vote may propose for the top answer (`bot.store.phrasings`);
either way only for the retention period, then it is purged. A member can have everything
about them deleted; a phrasing a moderator confirmed is corpus text and names no one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from bot.store.audit import record_action
from bot.store.phrasings import forget as forget_phrasings
from bot.store.phrasings import purge_older_than as purge_phrasings
from bot.store.questions import get_or_create_salt, hash_asker
from bot.store.schema import AskedQuestion, Feedback, RedFlagEvent, ScreeningAnswer, utcnow


def _count(result: object) -> int:
    """Rows a bulk UPDATE or DELETE touched."""
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


@dataclass(frozen=True)
class Forgotten:
    questions: int
    votes: int
    screening_answers: int = 0
    phrasings: int = 0

    def describe(self) -> str:
        return (
            f"{self.questions} questions, {self.votes} votes, "
            f"{self.screening_answers} answers to screening questions and "
            f"{self.phrasings} offered phrasings deleted"
        )


def purge_expired_text(session: Session, retention_days: int, now: datetime | None = None) -> int:
    """Blank the text of questions (and red-flag records) older than the retention period;
    returns how many rows lost their text."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    questions = _count(
        session.execute(
            update(AskedQuestion)
            .where(AskedQuestion.asked_at < cutoff, AskedQuestion.text.is_not(None))
            .values(text=None, text_key=None)
        )
    )
    flagged = _count(
        session.execute(
            update(RedFlagEvent)
            .where(RedFlagEvent.raised_at < cutoff, RedFlagEvent.text.is_not(None))
            .values(text=None)
        )
    )
    # Questions offered or proposed as phrasings are kept no longer than unanswered ones.
    phrasings = purge_phrasings(session, cutoff)
    if questions or flagged or phrasings:
        record_action(
            session,
            "system",
            "*",
            "privacy.purged",
            None,
            {
                "questions": questions,
                "red_flags": flagged,
                "phrasings": phrasings,
                "retention_days": retention_days,
            },
        )
    return questions + int(flagged or 0) + phrasings


def forget_member(session: Session, member: str, actor: str) -> Forgotten:
    """Delete every question and vote of `member` (a Discord user id, as text)."""
    member_hash = hash_asker(get_or_create_salt(session), member)
    question_ids = list(
        session.scalars(select(AskedQuestion.id).where(AskedQuestion.asker_hash == member_hash))
    )
    if question_ids:
        session.execute(delete(RedFlagEvent).where(RedFlagEvent.question_id.in_(question_ids)))
    questions = _count(
        session.execute(delete(AskedQuestion).where(AskedQuestion.asker_hash == member_hash))
    )
    votes = _count(session.execute(delete(Feedback).where(Feedback.member_hash == member_hash)))
    answers = _count(
        session.execute(delete(ScreeningAnswer).where(ScreeningAnswer.member_hash == member_hash))
    )
    phrasings = forget_phrasings(session, member_hash)
    # The audit names no one: the member's id would undo what was just deleted.
    record_action(
        session,
        actor,
        "*",
        "privacy.forgotten",
        None,
        {
            "questions": questions,
            "votes": votes,
            "screening_answers": answers,
            "phrasings": phrasings,
        },
    )
    return Forgotten(
        questions=questions, votes=votes, screening_answers=answers, phrasings=phrasings
    )
