"""The moderators' figures: each question counted once per day (flagged, answered or
declined), and the week's most asked unanswered questions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.store.database import Database
from bot.store.questions import RaisedFlagRecord, record_question
from bot.store.schema import AskedQuestion, utcnow
from bot.store.stats import triage_stats


def ask(database: Database, text: str, *, answered: bool, level: str = "none") -> int:
    flags = [RaisedFlagRecord(level, "dvt")] if level != "none" else []
    with database.session() as session:
        return record_question(
            session, scope="g1", text=text, answered=answered, answer_ids=[],
            red_flag_level=level, flags=flags, keep_flagged_text=True,
        )  # fmt: skip


def test_each_question_counts_once_on_its_day(database: Database) -> None:
    ask(database, "hip flexors tight?", answered=True)
    ask(database, "best shoes for lifting?", answered=False)
    ask(database, "best shoes for lifting", answered=False)
    ask(database, "calf swollen and hot", answered=True, level="urgent")

    with database.session() as session:
        stats = triage_stats(session, "g1", days=7)

    today = stats.per_day[-1]
    assert (today.answered, today.declined, today.flagged) == (1, 2, 1)
    assert sum(day.total for day in stats.per_day) == stats.questions == 4


def test_the_top_unanswered_questions_are_this_weeks(database: Database) -> None:
    old = ask(database, "is creatine safe?", answered=False)
    ask(database, "best shoes for lifting?", answered=False)
    ask(database, "Best shoes for lifting", answered=False)
    ask(database, "do I need a belt?", answered=False)
    with database.session() as session:
        session.execute(
            update(AskedQuestion)
            .where(AskedQuestion.id == old)
            .values(asked_at=utcnow() - timedelta(days=10))
        )

    with database.session() as session:
        stats = triage_stats(session, "g1", days=30)

    assert [count for _, count in stats.top_unanswered] == [2, 1]
    assert "creatine" not in " ".join(text for text, _ in stats.top_unanswered)
