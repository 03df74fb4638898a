"""Members' questions as new ways of asking existing answers: offered, proposed, confirmed.

A reply that showed answers offers its question as a phrasing of the top answer; a member
marking the reply helpful proposes it; a moderator confirms or rejects it (or turns a
queued unanswered question into a phrasing directly). See `Phrasing` in the schema for
what is kept and for how long.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.corpus.records import AnswerRecord
from bot.errors import TriagebotError
from bot.store.answers import AnswerRepository
from bot.store.schema import ACTIVE, Phrasing, utcnow

OFFERED = "offered"
PROPOSED = "proposed"
CONFIRMED = "confirmed"
REJECTED = "rejected"
MAX_PHRASING_CHARS = 500
"""A phrasing is a question, not a story: longer text is cut at a word."""


class PhrasingNotFound(TriagebotError):
    def __init__(self, scope: str, number: int) -> None:
        super().__init__(f"no phrasing #{number} waits in scope '{scope}'")


@dataclass(frozen=True)
class ProposedPhrasing:
    """A phrasing waiting for a moderator."""

    number: int
    answer_scope: str
    answer_id: str
    text: str
    proposed_at: datetime


def tidy(text: str) -> str:
    """One line, at most MAX_PHRASING_CHARS characters (cut at a word)."""
    line = " ".join(text.split())
    if len(line) <= MAX_PHRASING_CHARS:
        return line
    return line[:MAX_PHRASING_CHARS].rsplit(" ", 1)[0]


def offer(
    session: Session,
    *,
    scope: str,
    reply_id: str,
    text: str,
    answer_scope: str,
    answer_id: str,
    member_hash: str | None,
) -> None:
    """Keep a shown reply's question, in case a member marks the reply helpful."""
    line = tidy(text)
    if not line:
        return
    session.add(
        Phrasing(
            scope=scope,
            answer_scope=answer_scope,
            answer_id=answer_id,
            text=line,
            status=OFFERED,
            reply_id=reply_id,
            member_hash=member_hash,
        )
    )


def propose_from_reply(session: Session, reply_id: str) -> bool:
    """A helpful vote on a reply proposes its offered question; True when it did."""
    result = session.execute(
        update(Phrasing)
        .where(
            Phrasing.reply_id == reply_id,
            Phrasing.status == OFFERED,
            Phrasing.text.is_not(None),
        )
        .values(status=PROPOSED)
    )
    return bool(getattr(result, "rowcount", 0))


def proposed(session: Session, scope: str, limit: int = 10) -> list[ProposedPhrasing]:
    """Phrasings waiting for a moderator of `scope`, oldest first."""
    rows = session.scalars(
        select(Phrasing)
        .where(Phrasing.scope == scope, Phrasing.status == PROPOSED, Phrasing.text.is_not(None))
        .order_by(Phrasing.created_at, Phrasing.id)
        .limit(limit)
    )
    return [
        ProposedPhrasing(row.id, row.answer_scope, row.answer_id, row.text or "", row.created_at)
        for row in rows
    ]


def waiting(session: Session, scope: str, number: int) -> Phrasing:
    """The proposed phrasing `number` of `scope`, or PhrasingNotFound."""
    row = session.get(Phrasing, number)
    if row is None or row.scope != scope or row.status != PROPOSED or not row.text:
        raise PhrasingNotFound(scope, number)
    return row


def decide(row: Phrasing, status: str, actor: str) -> None:
    """Confirm or reject a phrasing; once decided it no longer names its asker."""
    row.status = status
    row.decided_by = actor
    row.decided_at = utcnow()
    row.member_hash = None
    row.reply_id = None


def record_confirmed(
    session: Session, *, scope: str, answer_scope: str, answer_id: str, text: str, actor: str
) -> None:
    """A phrasing a moderator added directly (from the queue or by hand)."""
    row = Phrasing(
        scope=scope,
        answer_scope=answer_scope,
        answer_id=answer_id,
        text=tidy(text),
        status=CONFIRMED,
    )
    decide(row, CONFIRMED, actor)
    session.add(row)


def overlay_records(
    session: Session, scope: str, own_ids: Sequence[str] | set[str]
) -> list[AnswerRecord]:
    """Shared answers with the phrasings `scope` confirmed for them, as records for the
    scope's own index: in its searches they shadow the shared versions (same ids). An
    answer the scope has an answer of its own under the same id is left out."""
    rows = session.scalars(
        select(Phrasing)
        .where(
            Phrasing.scope == scope,
            Phrasing.status == CONFIRMED,
            Phrasing.answer_scope != scope,
            Phrasing.text.is_not(None),
        )
        .order_by(Phrasing.id)
    )
    by_answer: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row.answer_id not in own_ids:
            by_answer.setdefault((row.answer_scope, row.answer_id), []).append(row.text or "")
    repository = AnswerRepository(session)
    records = []
    for (answer_scope, answer_id), texts in by_answer.items():
        shared = repository.find(answer_scope, answer_id)
        if shared is None or shared.status != ACTIVE:
            continue
        also = tuple(dict.fromkeys((*shared.record.also_asked, *texts)))
        records.append(replace(shared.record, also_asked=also))
    return records


def forget(session: Session, member_hash: str) -> int:
    """Delete a member's undecided phrasings; the number deleted."""
    result = session.execute(
        delete(Phrasing).where(
            Phrasing.member_hash == member_hash, Phrasing.status.in_([OFFERED, PROPOSED])
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_older_than(session: Session, cutoff: datetime) -> int:
    """Delete undecided phrasings older than `cutoff` (kept as long as unanswered text)."""
    result = session.execute(
        delete(Phrasing).where(
            Phrasing.created_at < cutoff, Phrasing.status.in_([OFFERED, PROPOSED])
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def index_records(session: Session, scope: str) -> list[AnswerRecord]:
    """What the scope's index is built from: its active answers, and the shared answers it
    confirmed phrasings for."""
    own = AnswerRepository(session).active_records(scope)
    return [*own, *overlay_records(session, scope, {record.id for record in own})]


def confirmed_for(session: Session, scope: str, answer_id: str) -> list[Phrasing]:
    """The phrasings `scope` confirmed for a shared answer."""
    return list(
        session.scalars(
            select(Phrasing).where(
                Phrasing.scope == scope,
                Phrasing.answer_id == answer_id,
                Phrasing.status == CONFIRMED,
            )
        )
    )


def scopes_with_phrasings(session: Session) -> list[str]:
    """Scopes that confirmed phrasings of shared answers (their index holds overlays)."""
    return list(
        session.scalars(
            select(Phrasing.scope)
            .where(Phrasing.status == CONFIRMED, Phrasing.answer_scope != Phrasing.scope)
            .distinct()
        )
    )
