"""Importing is idempotent, records revisions, and writes all of a batch or none of it;
a large import is written batch by batch, and importing it again finishes it."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.corpus.importer import import_records
from bot.corpus.records import AnswerRecord
from bot.store.answers import AnswerRepository
from bot.store.database import Database
from bot.store.questions import record_question
from bot.store.schema import Answer, AskedQuestion

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


def test_a_large_import_commits_batch_by_batch_and_leaves_the_store_free_between(
    database: Database,
) -> None:
    records = [
        AnswerRecord(id=f"bulk-{n}", title=f"Bulk {n}", body=f"Body {n}.", author="me")
        for n in range(12)
    ]
    progress: list[tuple[int, int]] = []

    def between_batches(done: int, total: int) -> None:
        progress.append((done, total))
        # Another connection writes at once: no write transaction is held between batches
        # (in one transaction this would wait out the busy timeout and fail).
        with database.session() as session:
            assert AnswerRepository(session).count("global") == done
            record_question(
                session, scope="global", text=f"asked after {done}", answered=False,
                answer_ids=[], red_flag_level="none",
            )  # fmt: skip

    summary = import_records(
        database, records, "global", "cli:test", "bulk", batch_size=5, progress=between_batches
    )

    assert progress == [(5, 12), (10, 12), (12, 12)]
    assert summary.created == 12
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(AskedQuestion)) == 3


def test_a_large_import_stopped_part_way_is_finished_by_importing_again(
    database: Database,
) -> None:
    good = [
        AnswerRecord(id=f"bulk-{n}", title=f"Bulk {n}", body=f"Body {n}.", author="me")
        for n in range(12)
    ]
    broken = dataclasses.replace(good[7], author=None)  # type: ignore[arg-type]

    with pytest.raises(IntegrityError):
        import_records(database, [*good[:7], broken, *good[8:]], "global", "t", "a", batch_size=5)
    with database.session() as session:
        assert AnswerRepository(session).count("global") == 5  # the first batch stands

    again = import_records(database, good, "global", "t", "again", batch_size=5)

    assert (again.created, again.unchanged) == (7, 5)
