"""Answers are saved with revisions, retired, listed per scope, and audited."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.corpus.records import AnswerRecord
from bot.store.answers import AnswerNotFound, AnswerRepository, Change
from bot.store.database import Database
from bot.store.schema import AuditEntry

HIP_FLEXORS = AnswerRecord(
    id="hip-flexors-from-sitting",
    title="Short hip flexors from sitting",
    body="Sitting all day keeps the hip flexors short. Stretch them in a half-kneeling lunge.",
    author="coach_marta",
    question="my hips feel tight after work",
    source_url="https://forum.example.org/t/tight-l3/1042/3",
    tags=("hips", "desk-work"),
)


def test_saving_a_new_answer_creates_it_with_its_first_revision(database: Database) -> None:
    with database.session() as session:
        assert AnswerRepository(session).save(HIP_FLEXORS, "global", "cli:alice") is Change.CREATED

    with database.session() as session:
        repository = AnswerRepository(session)
        stored = repository.get("global", HIP_FLEXORS.id)
        assert stored.record == HIP_FLEXORS
        assert stored.status == "active"
        assert stored.updated_by == "cli:alice"
        assert [r[0] for r in repository.revisions("global", HIP_FLEXORS.id)] == [1]


def test_saving_the_same_content_again_changes_nothing(database: Database) -> None:
    with database.session() as session:
        AnswerRepository(session).save(HIP_FLEXORS, "global", "cli:alice")
    with database.session() as session:
        change = AnswerRepository(session).save(HIP_FLEXORS, "global", "cli:bob")

    assert change is Change.UNCHANGED
    with database.session() as session:
        stored = AnswerRepository(session).get("global", HIP_FLEXORS.id)
    assert stored.revision == 1
    assert stored.updated_by == "cli:alice"


def test_an_edit_records_a_new_revision_and_keeps_the_old_text(database: Database) -> None:
    edited = dataclasses.replace(HIP_FLEXORS, body=HIP_FLEXORS.body + " Hold for 45 seconds.")
    with database.session() as session:
        AnswerRepository(session).save(HIP_FLEXORS, "global", "cli:alice")
    with database.session() as session:
        assert AnswerRepository(session).save(edited, "global", "mod:bob") is Change.UPDATED

    with database.session() as session:
        repository = AnswerRepository(session)
        assert repository.get("global", HIP_FLEXORS.id).record.body.endswith("45 seconds.")
        assert repository.revision_record("global", HIP_FLEXORS.id, 1).body == HIP_FLEXORS.body
        assert [(n, who) for n, _, who, _ in repository.revisions("global", HIP_FLEXORS.id)] == [
            (1, "cli:alice"),
            (2, "mod:bob"),
        ]


def test_a_retired_answer_is_not_listed_as_active_but_keeps_its_history(
    database: Database,
) -> None:
    with database.session() as session:
        AnswerRepository(session).save(HIP_FLEXORS, "global", "cli:alice")
    with database.session() as session:
        assert AnswerRepository(session).retire("global", HIP_FLEXORS.id, "mod:bob") is True
    with database.session() as session:
        repository = AnswerRepository(session)
        assert repository.active_records("global") == []
        assert [s.status for s in repository.list("global", include_retired=True)] == ["retired"]
        assert repository.retire("global", HIP_FLEXORS.id, "mod:bob") is False
        assert [status for _, status, _, _ in repository.revisions("global", HIP_FLEXORS.id)] == [
            "active",
            "retired",
        ]


def test_scopes_are_isolated(database: Database) -> None:
    guild_version = dataclasses.replace(HIP_FLEXORS, title="Our server's hip flexor routine")
    with database.session() as session:
        repository = AnswerRepository(session)
        repository.save(HIP_FLEXORS, "global", "cli:alice")
        repository.save(guild_version, "123456789", "mod:bob")

    with database.session() as session:
        repository = AnswerRepository(session)
        assert repository.get("global", HIP_FLEXORS.id).record.title == HIP_FLEXORS.title
        assert repository.get("123456789", HIP_FLEXORS.id).record.title == guild_version.title
        repository.retire("123456789", HIP_FLEXORS.id, "mod:bob")
    with database.session() as session:
        repository = AnswerRepository(session)
        assert [r.id for r in repository.active_records("global")] == [HIP_FLEXORS.id]
        assert repository.active_records("123456789") == []
        assert repository.active_records("987654321") == []


def test_every_change_is_in_the_audit_log_with_who_made_it(database: Database) -> None:
    with database.session() as session:
        AnswerRepository(session).save(HIP_FLEXORS, "global", "cli:alice")
        AnswerRepository(session).retire("global", HIP_FLEXORS.id, "mod:bob")
    with database.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.actor, e.action, e.target) for e in entries] == [
            ("cli:alice", "answer.created", HIP_FLEXORS.id),
            ("mod:bob", "answer.retired", HIP_FLEXORS.id),
        ]


def test_an_unknown_answer_is_reported_with_where_to_find_the_ids(database: Database) -> None:
    with database.session() as session, pytest.raises(AnswerNotFound, match="corpus list"):
        AnswerRepository(session).get("global", "no-such-answer")


def test_other_ways_of_asking_are_kept_and_an_edit_of_them_is_a_new_revision(
    database: Database,
) -> None:
    asked = dataclasses.replace(HIP_FLEXORS, also_asked=("hips stiff from my office chair",))
    with database.session() as session:
        AnswerRepository(session).save(HIP_FLEXORS, "global", "cli:alice")
    with database.session() as session:
        assert AnswerRepository(session).save(asked, "global", "cli:bob") is Change.UPDATED

    with database.session() as session:
        repository = AnswerRepository(session)
        assert repository.get("global", HIP_FLEXORS.id).record == asked
        assert repository.revision_record("global", HIP_FLEXORS.id, 1).also_asked == ()
        assert repository.revision_record("global", HIP_FLEXORS.id, 2) == asked
