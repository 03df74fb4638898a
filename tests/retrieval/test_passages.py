"""Answers are cut into a title, a question and paragraph-sized body passages."""

from __future__ import annotations

import dataclasses

from bot.retrieval.passages import (
    BODY,
    MAX_WORDS,
    QUESTION,
    TITLE,
    WHOLE,
    answer_passages,
    sentences,
    split_body,
)
from tests.retrieval.conftest import PROTEIN, SQUAT_WARMUP, answer


def _paragraph(topic: str, words: int) -> str:
    return " ".join(f"{topic}{n}" for n in range(words - 1)) + " end."


def test_an_answer_gives_its_title_question_and_body_as_passages() -> None:
    passages = answer_passages(SQUAT_WARMUP)

    assert [p.kind for p in passages] == [TITLE, QUESTION, BODY]
    assert passages[0].text == SQUAT_WARMUP.title
    assert passages[1].text == SQUAT_WARMUP.question
    assert "goblet squats" in passages[2].text
    assert [p.ordinal for p in passages] == [0, 1, 2]


def test_an_answer_without_a_question_has_no_question_passage() -> None:
    assert [p.kind for p in answer_passages(PROTEIN)] == [TITLE, BODY]


def test_each_other_way_an_answer_is_asked_is_a_question_passage_of_its_own() -> None:
    record = dataclasses.replace(
        SQUAT_WARMUP, also_asked=("knees ache first squat set", "warm up for heavy squats?")
    )

    questions = [p.text for p in answer_passages(record) if p.kind == QUESTION]

    assert questions == [SQUAT_WARMUP.question, *record.also_asked]


def test_body_passages_are_embedded_with_their_answers_title_but_shown_without_it() -> None:
    body = answer_passages(PROTEIN)[-1]

    assert body.embed_text.startswith(PROTEIN.title)
    assert not body.text.startswith(PROTEIN.title)


def test_a_long_answer_is_cut_into_several_paragraph_passages() -> None:
    body = "\n\n".join(_paragraph(topic, 70) for topic in ("mobility", "strength", "diet"))
    record = answer("long-one", "A long answer", body)

    chunks = [p.text for p in answer_passages(record) if p.kind == BODY]

    assert len(chunks) == 3
    assert chunks[1].startswith("strength0")


def test_an_answer_of_several_chunks_is_also_indexed_whole() -> None:
    body = "\n\n".join(_paragraph(topic, 70) for topic in ("mobility", "strength", "diet"))
    record = answer("long-one", "A long answer", body)

    passages = answer_passages(record)

    assert [p.kind for p in passages][-1] == WHOLE
    assert "mobility0" in passages[-1].text and "diet0" in passages[-1].text
    assert passages[-1].embed_text.startswith("A long answer\n")
    assert WHOLE not in [p.kind for p in answer_passages(PROTEIN)]


def test_short_paragraphs_are_merged_until_a_chunk_is_about_paragraph_sized() -> None:
    body = "\n\n".join(f"Short note number {n} about the plan." for n in range(6))

    chunks = split_body(body)

    assert len(chunks) == 1
    assert chunks[0].count("\n\n") == 5


def test_a_paragraph_longer_than_the_model_reads_is_cut_between_sentences() -> None:
    sentence = "Keep the load moderate and the reps smooth for the first weeks. "
    body = sentence * 40

    chunks = split_body(body)

    assert len(chunks) > 1
    assert all(len(c.split()) <= MAX_WORDS for c in chunks)
    assert all(c.endswith("weeks.") for c in chunks)


def test_a_heading_stays_with_the_paragraph_it_introduces() -> None:
    body = _paragraph("intro", 80) + "\n\n## Progression\n\n" + _paragraph("progress", 80)

    chunks = split_body(body)

    assert chunks[-1].startswith("## Progression")


def test_equal_text_gets_the_same_content_hash_whatever_answer_holds_it() -> None:
    first = answer_passages(answer("a-one", "Same title", "Same body."))
    second = answer_passages(answer("b-two", "Same title", "Same body."))
    edited = answer_passages(answer("a-one", "Same title", "Edited body."))

    assert [p.content_hash for p in first] == [p.content_hash for p in second]
    assert first[-1].content_hash != edited[-1].content_hash
    assert first[0].content_hash == edited[0].content_hash


def test_sentences_split_on_full_stops_and_lines_but_not_abbreviations() -> None:
    text = "Use light loads, e.g. an empty bar. Then add weight!\n- Rest 2 min\n- Repeat"

    assert sentences(text) == [
        "Use light loads, e.g. an empty bar.",
        "Then add weight!",
        "- Rest 2 min",
        "- Repeat",
    ]
