"""The curated answers: create, update with revisions, retire, list, per scope."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.corpus.records import AnswerRecord
from bot.errors import TriagebotError
from bot.store.audit import record_action
from bot.store.schema import ACTIVE, RETIRED, Answer, AnswerRevision, utcnow


class Change(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class AnswerNotFound(TriagebotError):
    def __init__(self, scope: str, public_id: str) -> None:
        super().__init__(
            f"no answer '{public_id}' in scope '{scope}'; `triagebot corpus list` shows the ids"
        )


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as the store holds it: the record plus its status and bookkeeping."""

    record: AnswerRecord
    scope: str
    status: str
    revision: int
    updated_by: str | None
    updated_at: str


def to_record(row: Answer | AnswerRevision, public_id: str | None = None) -> AnswerRecord:
    return AnswerRecord(
        id=public_id or row.public_id,  # type: ignore[union-attr]
        title=row.title,
        body=row.body,
        author=row.author,
        question=row.question,
        source_url=row.source_url,
        tags=tuple(row.tags or ()),
        also_asked=tuple(row.also_asked or ()),
    )


def _stored(row: Answer) -> StoredAnswer:
    return StoredAnswer(
        record=to_record(row),
        scope=row.scope,
        status=row.status,
        revision=row.revision,
        updated_by=row.updated_by,
        updated_at=row.updated_at.isoformat(timespec="seconds"),
    )


class AnswerRepository:
    """Answers of every scope in one session. Every change records a revision and an
    audit entry with who made it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, scope: str, public_id: str) -> Answer | None:
        return self.session.scalar(
            select(Answer).where(Answer.scope == scope, Answer.public_id == public_id)
        )

    def _require(self, scope: str, public_id: str) -> Answer:
        row = self._row(scope, public_id)
        if row is None:
            raise AnswerNotFound(scope, public_id)
        return row

    def get(self, scope: str, public_id: str) -> StoredAnswer:
        return _stored(self._require(scope, public_id))

    def find(self, scope: str, public_id: str) -> StoredAnswer | None:
        row = self._row(scope, public_id)
        return _stored(row) if row else None

    def save(self, record: AnswerRecord, scope: str, actor: str, note: str | None = None) -> Change:
        """Create the answer or update it when its content changed (a new revision)."""
        content_hash = record.content_hash()
        row = self._row(scope, record.id)
        if row is not None and row.content_hash == content_hash:
            return Change.UNCHANGED
        if row is None:
            row = Answer(scope=scope, public_id=record.id, status=ACTIVE, revision=0)
            self.session.add(row)
            change = Change.CREATED
        else:
            change = Change.UPDATED
        self._apply(row, record, content_hash, actor)
        self._add_revision(row, actor, note or change.value)
        record_action(self.session, actor, scope, f"answer.{change.value}", record.id)
        return change

    def set_status(self, scope: str, public_id: str, status: str, actor: str) -> bool:
        """Retire or restore an answer; returns False when it already had that status."""
        row = self._require(scope, public_id)
        if row.status == status:
            return False
        row.status = status
        row.revision += 1
        row.updated_at = utcnow()
        row.updated_by = actor
        self._add_revision(row, actor, status)
        action = "answer.retired" if status == RETIRED else "answer.restored"
        record_action(self.session, actor, scope, action, public_id)
        return True

    def retire(self, scope: str, public_id: str, actor: str) -> bool:
        return self.set_status(scope, public_id, RETIRED, actor)

    def restore(self, scope: str, public_id: str, actor: str) -> bool:
        return self.set_status(scope, public_id, ACTIVE, actor)

    def list(self, scope: str, *, include_retired: bool = False) -> list[StoredAnswer]:
        query = select(Answer).where(Answer.scope == scope).order_by(Answer.public_id)
        if not include_retired:
            query = query.where(Answer.status == ACTIVE)
        return [_stored(row) for row in self.session.scalars(query)]

    def active_records(self, scope: str) -> builtins.list[AnswerRecord]:
        """What the index of `scope` is built from: its active answers, by id."""
        return [stored.record for stored in self.list(scope)]

    def revisions(
        self, scope: str, public_id: str
    ) -> builtins.list[tuple[int, str, str | None, str]]:
        """(revision, status, changed_by, note) for each revision, oldest first."""
        row = self._require(scope, public_id)
        return [(rev.revision, rev.status, rev.changed_by, rev.note or "") for rev in row.revisions]

    def revision_record(self, scope: str, public_id: str, revision: int) -> AnswerRecord:
        row = self._require(scope, public_id)
        for rev in row.revisions:
            if rev.revision == revision:
                return to_record(rev, public_id)
        raise TriagebotError(f"answer '{public_id}' has no revision {revision}")

    def scopes(self) -> builtins.list[str]:
        return list(self.session.scalars(select(Answer.scope).distinct().order_by(Answer.scope)))

    def count(self, scope: str) -> int:
        query = select(func.count()).where(Answer.scope == scope, Answer.status == ACTIVE)
        return int(self.session.scalar(query) or 0)

    def _apply(self, row: Answer, record: AnswerRecord, content_hash: str, actor: str) -> None:
        row.title = record.title
        row.question = record.question
        row.also_asked = list(record.also_asked)
        row.body = record.body
        row.author = record.author
        row.source_url = record.source_url
        row.tags = list(record.tags)
        row.content_hash = content_hash
        row.revision += 1
        row.updated_at = utcnow()
        row.updated_by = actor

    def _add_revision(self, row: Answer, actor: str, note: str) -> None:
        row.revisions.append(
            AnswerRevision(
                revision=row.revision,
                title=row.title,
                question=row.question,
                also_asked=list(row.also_asked or ()),
                body=row.body,
                author=row.author,
                source_url=row.source_url,
                tags=list(row.tags),
                status=row.status,
                content_hash=row.content_hash,
                changed_by=actor,
                note=note,
            )
        )


def save_all(
    session: Session, records: Sequence[AnswerRecord], scope: str, actor: str, note: str
) -> dict[Change, int]:
    """Save many records in the caller's transaction; counts of each kind of change."""
    repository = AnswerRepository(session)
    counts = dict.fromkeys(Change, 0)
    for record in records:
        counts[repository.save(record, scope, actor, note)] += 1
    return counts
