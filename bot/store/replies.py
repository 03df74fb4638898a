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


@dataclass(frozen=True)
class Page:
    """Some of a reply's ranked answers: `end` is the position after them (how many of the
    ranked answers a member who saw this page has seen), `more` whether others follow."""

    refs: list[AnswerRef]
    end: int
    more: bool


def answers_page(session: Session, reply_id: str, start: int | None, count: int) -> Page:
    """At most `count` ranked answers of a reply from position `start` (default: after
    those the reply showed).

    Nothing is stored: each member pages through the answers on their own (the page is in
    the button they click), so one member's "more" never moves another's on.
    """
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise ReplyNotFound()
    refs = [AnswerRef(scope, answer_id) for scope, answer_id in reply.answer_refs]
    first = reply.shown if start is None else min(max(0, start), len(refs))
    chosen = refs[first : first + count]
    end = first + len(chosen)
    return Page(chosen, end, end < len(refs))


def record_vote(
    session: Session, reply_id: str, member: str, helpful: bool, seen: int | None = None
) -> Vote:
    """One vote per member per reply; voting again changes the vote.

    The vote is about the answers the member was shown: the reply's own, or the first
    `seen` ranked answers when they voted under a page of "more answers".
    """
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise ReplyNotFound()
    member_hash = hash_asker(get_or_create_salt(session), member)
    existing = session.scalar(
        select(Feedback).where(Feedback.reply_id == reply_id, Feedback.member_hash == member_hash)
    )
    upto = reply.shown if seen is None else min(max(seen, 0), len(reply.answer_refs))
    shown_ids = [answer_id for _, answer_id in reply.answer_refs[:upto]]
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
