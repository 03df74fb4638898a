"""Importing is idempotent, records revisions, and writes all of a batch or none of it."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.corpus.importer import import_records
from bot.corpus.records import AnswerRecord
from bot.store.answers import AnswerRepository
from bot.store.database import Database
from bot.store.schema import Answer

RECORDS = [
    AnswerRecord(id=f"answer-{n}", title=f"Answer {n}", body=f"Body {n}.", author="me")
    for n in range(5)
]


def test_importing_the_same_answers_twice_changes_nothing(database: Database) -> None:
    first = import_records(database, RECORDS, "global", "cli:test", "first")
    second = import_records(database, RECORDS, "global", "cli:test", "again")

    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)


def test_a_changed_answer_is_updated_with_a_revision(database: Database) -> None:
    import_records(database, RECORDS, "global", "cli:test", "first")
    changed = [dataclasses.replace(RECORDS[0], body="A better body."), *RECORDS[1:]]

    summary = import_records(database, changed, "global", "cli:test", "second")

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 4)
    with database.session() as session:
        assert len(AnswerRepository(session).revisions("global", "answer-0")) == 2


def test_a_failure_part_way_writes_nothing(database: Database) -> None:
    # A record the database itself rejects (NOT NULL author) after five good ones.
    broken = dataclasses.replace(RECORDS[0], id="answer-broken", author=None)  # type: ignore[arg-type]

    with pytest.raises(IntegrityError):
        import_records(database, [*RECORDS, broken], "global", "cli:test", "bad")

    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Answer)) == 0
