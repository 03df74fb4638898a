"""The starter corpus and its evaluation set meet the bar set for them."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.corpus.formats import read_corpus
from bot.corpus.records import AnswerRecord
from bot.paths import retrieval_sets_dir, starter_answers_dir

SEED_THREAD = "https://forum.example.org/t/tight-l3-warm-ups-stretches-and-prehab/1042/"
SYMPTOM_WORDS = re.compile(
    r"\b(pain|painful|hurts?|aches?|numb\w*|tingl\w*|swell\w*|swollen|click\w*|injur\w*|strain)\b",
    re.IGNORECASE,
)
REFERRAL_WORDS = re.compile(
    r"\b(physio\w*|doctor|GP|clinician|A&E|emergency|medical|sports medicine|podiatrist|"
    r"specialist|midwife|health ?visitor|urgent)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def starter() -> list[AnswerRecord]:
    return read_corpus(starter_answers_dir())


@pytest.fixture(scope="module")
def eval_questions() -> list[dict[str, object]]:
    questions = []
    for path in sorted(retrieval_sets_dir().glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line))
    return questions


def test_the_starter_corpus_has_at_least_120_answers_across_25_topics(
    starter: list[AnswerRecord],
) -> None:
    topics = {Path(str(r.origin.path)).parent.name for r in starter if r.origin}
    assert len(starter) >= 120
    assert len(topics) >= 25


def test_the_seed_thread_becomes_several_answers_credited_to_its_posters(
    starter: list[AnswerRecord],
) -> None:
    seed = [r for r in starter if (r.source_url or "").startswith(SEED_THREAD)]
    assert len(seed) >= 5
    assert len({r.author for r in seed}) >= 3
    text = " ".join(r.body.lower() for r in seed)
    for idea in ("hip flexor", "glute", "pelvic tilt", "windmill", "foam roll", "lacrosse ball"):
        assert idea in text, idea
    assert re.search(r"physio", text)


def test_every_answer_that_touches_symptoms_says_when_to_see_a_clinician(
    starter: list[AnswerRecord],
) -> None:
    missing = [
        r.id for r in starter if SYMPTOM_WORDS.search(r.body) and not REFERRAL_WORDS.search(r.body)
    ]
    assert missing == []


def test_the_evaluation_set_is_large_enough_and_names_real_answers(
    starter: list[AnswerRecord], eval_questions: list[dict[str, object]]
) -> None:
    ids = {r.id for r in starter}
    in_scope = [q for q in eval_questions if q["relevant"]]
    out_of_scope = [q for q in eval_questions if not q["relevant"]]
    unknown = {i for q in in_scope for i in q["relevant"] if i not in ids}  # type: ignore[attr-defined]

    assert len(in_scope) >= 150
    assert len(out_of_scope) >= 25
    assert unknown == set()
    assert {q["split"] for q in eval_questions} == {"tune", "holdout"}


def test_every_starter_answer_is_the_target_of_some_evaluation_question(
    starter: list[AnswerRecord], eval_questions: list[dict[str, object]]
) -> None:
    targeted = Counter(i for q in eval_questions for i in q["relevant"])  # type: ignore[attr-defined]
    assert [r.id for r in starter if r.id not in targeted] == []
