"""Members' answers to screening questions and safety-net lists under a reply.

A reply's buttons carry only the reply's id and the concern, so the answer is stored
against the reply (and its question) like a vote: the member as a salted hash, one answer
per member, reply and concern.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.questions import get_or_create_salt, hash_asker
from bot.store.replies import ReplyNotFound, Vote
from bot.store.schema import RedFlagEvent, Reply, ScreeningAnswer

SAFETY_NET = "safety-net"


@dataclass(frozen=True)
class AnsweredReply:
    """What the front end needs to respond: where the reply was, and what it listed."""

    scope: str
    question_id: int | None
    safety_net: tuple[str, ...]
    vote: Vote


def record_screening_answer(
    session: Session, reply_id: str, member: str, concern: str, applies: bool
) -> AnsweredReply:
    """Store `member`'s answer about `concern` under the reply; answering again changes it."""
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise ReplyNotFound()
    member_hash = hash_asker(get_or_create_salt(session), member)
    existing = session.scalar(
        select(ScreeningAnswer).where(
            ScreeningAnswer.reply_id == reply_id,
            ScreeningAnswer.member_hash == member_hash,
            ScreeningAnswer.concern == concern,
        )
    )
    if existing is None:
        session.add(
            ScreeningAnswer(
                reply_id=reply_id,
                question_id=reply.question_id,
                scope=reply.scope,
                member_hash=member_hash,
                concern=concern,
                applies=applies,
            )
        )
        vote = Vote.RECORDED
    elif existing.applies == applies:
        vote = Vote.UNCHANGED
    else:
        existing.applies = applies
        vote = Vote.CHANGED
    return AnsweredReply(reply.scope, reply.question_id, tuple(reply.safety_net or ()), vote)


def record_escalation(session: Session, answered: AnsweredReply, level: str, rule_id: str) -> None:
    """A referral the member asked for with a yes: counted with the other red flags."""
    session.add(
        RedFlagEvent(
            question_id=answered.question_id,
            scope=answered.scope,
            level=level,
            rule_id=rule_id,
            text=None,
        )
    )
