"""Replies the bot sent, the "more answers" they hold back, and members' votes on them.

Buttons under a reply carry only the reply's id, so everything they need lives here and
keeps working after a restart.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import TriagebotError
from bot.store.questions import get_or_create_salt, hash_asker
from bot.store.schema import Feedback, Reply


class ReplyNotFound(TriagebotError):
    def __init__(self) -> None:
        super().__init__("that reply is no longer known to the bot; ask the question again")


class Vote(StrEnum):
    RECORDED = "recorded"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class AnswerRef:
    scope: str
    id: str


def new_reply_id() -> str:
    """Short enough to fit in a button's custom_id with room to spare."""
    return secrets.token_urlsafe(12)


def save_reply(
    session: Session,
    *,
    scope: str,
    question_id: int | None,
    ranked: Sequence[AnswerRef],
    shown: int,
    reply_id: str | None = None,
    safety_net: Sequence[str] = (),
) -> str:
    reply = Reply(
        id=reply_id or new_reply_id(),
        question_id=question_id,
        scope=scope,
        answer_refs=[[ref.scope, ref.id] for ref in ranked],
        shown=shown,
        safety_net=list(safety_net),
    )
    session.add(reply)
    session.flush()
    return reply.id


def take_next_answers(session: Session, reply_id: str, count: int) -> list[AnswerRef]:
    """The next `count` ranked answers not shown yet (empty when there are none left)."""
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise ReplyNotFound()
    refs = [AnswerRef(scope, answer_id) for scope, answer_id in reply.answer_refs]
    chosen = refs[reply.shown : reply.shown + count]
    reply.shown += len(chosen)
    return chosen


def has_more_answers(session: Session, reply_id: str) -> bool:
    reply = session.get(Reply, reply_id)
    return reply is not None and reply.shown < len(reply.answer_refs)


def record_vote(session: Session, reply_id: str, member: str, helpful: bool) -> Vote:
    """One vote per member per reply; voting again changes the vote."""
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise ReplyNotFound()
    member_hash = hash_asker(get_or_create_salt(session), member)
    existing = session.scalar(
        select(Feedback).where(Feedback.reply_id == reply_id, Feedback.member_hash == member_hash)
    )
    shown_ids = [answer_id for _, answer_id in reply.answer_refs[: reply.shown]]
    if existing is None:
        session.add(
            Feedback(
                reply_id=reply_id,
                question_id=reply.question_id,
                scope=reply.scope,
                member_hash=member_hash,
                helpful=helpful,
                answer_ids=shown_ids,
            )
        )
        return Vote.RECORDED
    if existing.helpful == helpful:
        return Vote.UNCHANGED
    existing.helpful = helpful
    existing.answer_ids = shown_ids
    return Vote.CHANGED
