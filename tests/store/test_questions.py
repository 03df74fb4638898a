"""Asked questions keep no raw asker and no text once answered; the queue groups repeats."""

from __future__ import annotations

from sqlalchemy import select

from bot.store.database import Database
from bot.store.questions import RaisedFlagRecord, record_question, unanswered_questions
from bot.store.schema import AskedQuestion, RedFlagEvent


def ask(database: Database, text: str, *, answered: bool, **extra: object) -> int:
    with database.session() as session:
        return record_question(
            session,
            scope="global",
            text=text,
            answered=answered,
            answer_ids=["x"] if answered else [],
            red_flag_level="none",
            **extra,  # type: ignore[arg-type]
        )


def test_the_asker_is_stored_only_as_a_salted_hash(database: Database) -> None:
    ask(database, "how do i brace", answered=True, asker="discord:1234")
    ask(database, "how do i brace", answered=True, asker="discord:1234")

    with database.session() as session:
        hashes = session.scalars(select(AskedQuestion.asker_hash)).all()
    assert hashes[0] == hashes[1]
    assert "1234" not in hashes[0]
    assert len(hashes[0]) == 64


def test_answered_questions_keep_no_text(database: Database) -> None:
    ask(database, "how do i brace", answered=True)
    with database.session() as session:
        assert session.scalars(select(AskedQuestion.text)).all() == [None]


def test_unanswered_questions_are_listed_most_frequent_first(database: Database) -> None:
    ask(database, "Best protein powder?", answered=False)
    ask(database, "how to fix bike chain", answered=False)
    ask(database, "best protein powder", answered=False)
    ask(database, "BEST protein powder!!", answered=False)

    with database.session() as session:
        queue = unanswered_questions(session)

    assert [q.times_asked for q in queue] == [3, 1]
    assert queue[0].text.lower().startswith("best protein powder")
    assert queue[1].text == "how to fix bike chain"


def test_raised_flags_are_recorded_without_text_unless_opted_in(database: Database) -> None:
    flag = RaisedFlagRecord(level="emergency", rule_id="cauda-equina")
    ask(database, "numb when i wipe", answered=False, flags=[flag])
    ask(database, "numb when i wipe", answered=False, flags=[flag], keep_flagged_text=True)

    with database.session() as session:
        events = session.scalars(select(RedFlagEvent).order_by(RedFlagEvent.id)).all()
    assert [(e.level, e.rule_id, e.text) for e in events] == [
        ("emergency", "cauda-equina", None),
        ("emergency", "cauda-equina", "numb when i wipe"),
    ]
