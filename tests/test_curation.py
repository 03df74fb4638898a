"""An answer as a moderator typed it becomes a record ready to save."""

from __future__ import annotations

import pytest

from bot.corpus.records import AnswerRecord
from bot.curation import finished
from bot.errors import TriagebotError


def typed(**fields: object) -> AnswerRecord:
    values: dict[str, object] = {"id": "", "title": "", "body": "", "author": "coach"}
    values.update(fields)
    return AnswerRecord(**values)  # type: ignore[arg-type]


def test_an_answer_without_an_id_gets_one_from_its_title() -> None:
    record = finished(typed(title="  Tight L3?  ", body=" Brace, then hinge. "))

    assert record.id == "tight-l3"
    assert (record.title, record.body) == ("Tight L3?", "Brace, then hinge.")


def test_a_given_id_and_every_other_field_are_kept() -> None:
    record = finished(
        typed(
            id="windmills",
            title="Windmills",
            body="Slow reps.",
            question=" warm-up for football? ",
            source_url=" ",
            tags=("hips", "warm-up"),
            also_asked=("hip warm-up?",),
        )
    )

    assert record.id == "windmills"
    assert record.question == "warm-up for football?"
    assert record.source_url is None
    assert record.tags == ("hips", "warm-up")
    assert record.also_asked == ("hip warm-up?",)


def test_a_blank_author_is_unknown() -> None:
    assert finished(typed(title="T", body="B", author="  ")).author == "unknown"


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"body": "advice"}, "needs a title"), ({"title": "Windmills"}, "needs a body")],
)
def test_an_answer_without_a_title_or_body_is_refused(fields: dict[str, str], message: str) -> None:
    with pytest.raises(TriagebotError, match=message):
        finished(typed(**fields))
