"""Asked questions, raised red flags and the unanswered queue for moderators.

Askers are kept only as salted hashes; question text only while it is unanswered.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.store.schema import AppSecret, AskedQuestion, RedFlagEvent

SALT_NAME = "asker_salt"


def get_or_create_salt(session: Session) -> str:
    """The store's own random salt for hashing askers, made on first use."""
    row = session.get(AppSecret, SALT_NAME)
    if row is None:
        row = AppSecret(name=SALT_NAME, value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return row.value


def hash_asker(salt: str, asker: str) -> str:
    return hashlib.sha256(f"{salt}:{asker}".encode()).hexdigest()


def question_key(text: str) -> str:
    """Groups the same question asked with different case, spacing or punctuation."""
    normalised = " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
    return hashlib.sha256(normalised.encode()).hexdigest()


@dataclass(frozen=True)
class RaisedFlagRecord:
    level: str
    rule_id: str


@dataclass(frozen=True)
class UnansweredQuestion:
    text: str
    times_asked: int
    last_asked: datetime
    key: str = ""
    """Groups the same question asked in other words of case and punctuation."""


def record_question(
    session: Session,
    *,
    scope: str,
    text: str,
    answered: bool,
    answer_ids: Sequence[str],
    red_flag_level: str,
    flags: Sequence[RaisedFlagRecord] = (),
    asker: str | None = None,
    channel: str = "cli",
    keep_flagged_text: bool = False,
) -> int:
    """Store one asked question and its raised flags; returns the question's row id."""
    asker_hash = hash_asker(get_or_create_salt(session), asker) if asker else None
    flagged = bool(flags) or red_flag_level not in ("", "none")
    # Unanswered text waits for moderators, unless it was red-flagged and the scope keeps
    # no flagged text: then neither the text nor its key (a hash of it) is stored anywhere.
    keep_text = not answered and (keep_flagged_text or not flagged)
    row = AskedQuestion(
        scope=scope,
        asker_hash=asker_hash,
        text=text if keep_text else None,
        text_key=question_key(text) if keep_text else None,
        answered=answered,
        red_flag_level=red_flag_level,
        answer_ids=list(answer_ids),
        channel=channel,
    )
    session.add(row)
    session.flush()
    for flag in flags:
        session.add(
            RedFlagEvent(
                question_id=row.id,
                scope=scope,
                level=flag.level,
                rule_id=flag.rule_id,
                text=text if keep_flagged_text else None,
            )
        )
    return row.id


def unanswered_questions(
    session: Session,
    scopes: Sequence[str] | None = None,
    limit: int = 50,
    since: datetime | None = None,
) -> list[UnansweredQuestion]:
    """Unanswered questions (asked since `since`, when given), most frequently asked first."""
    query = (
        select(
            func.max(AskedQuestion.text),
            func.count(),
            func.max(AskedQuestion.asked_at),
            AskedQuestion.text_key,
        )
        .where(AskedQuestion.answered.is_(False), AskedQuestion.text.is_not(None))
        .group_by(AskedQuestion.text_key)
        .order_by(func.count().desc(), func.max(AskedQuestion.asked_at).desc())
        .limit(limit)
    )
    if scopes is not None:
        query = query.where(AskedQuestion.scope.in_(list(scopes)))
    if since is not None:
        query = query.where(AskedQuestion.asked_at >= since)
    return [
        UnansweredQuestion(text=text or "", times_asked=count, last_asked=last, key=key or "")
        for text, count, last, key in session.execute(query)
    ]


def unanswered_text(session: Session, scope: str, key: str) -> str | None:
    """The text of a queued question, found by its key (None once answered or purged)."""
    return session.scalar(
        select(AskedQuestion.text)
        .where(
            AskedQuestion.scope == scope,
            AskedQuestion.text_key == key,
            AskedQuestion.answered.is_(False),
        )
        .limit(1)
    )


def settle_queued(session: Session, scope: str, key: str) -> int:
    """Take a queued question off the queue once a moderator has dealt with it: it counts
    as answered from now on, and its text is no longer kept."""
    result = session.execute(
        update(AskedQuestion)
        .where(
            AskedQuestion.scope == scope,
            AskedQuestion.text_key == key,
            AskedQuestion.answered.is_(False),
        )
        .values(answered=True, text=None, text_key=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)
