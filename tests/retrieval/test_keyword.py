"""BM25 matches word forms through stemming and reports scores on a fixed 0..1 scale."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.retrieval.keyword import KeywordIndex, TextAnalyzer

PASSAGES = [
    "Squatting with a tight lower back: warm up with cat-camel first.",
    "Protein intake: 1.6 g per kg of body weight per day.",
    "Shin splints: run less, on softer ground, and add calf raises.",
]


def test_terms_are_stemmed_and_question_chatter_is_dropped() -> None:
    terms = TextAnalyzer().terms("Any tips? My knees hurt when squatting, what's the best fix")

    assert terms == ["knee", "hurt", "squat", "fix"]


def test_a_word_form_the_passage_does_not_use_still_matches() -> None:
    index = KeywordIndex.build(PASSAGES)

    raw, _ = index.scores("calf raise for shin splint")

    assert int(np.argmax(raw)) == 2


def test_normalised_scores_are_between_zero_and_one() -> None:
    index = KeywordIndex.build(PASSAGES)

    _, normalised = index.scores("protein intake per kg body weight day")

    assert normalised.max() <= 1.0
    assert int(np.argmax(normalised)) == 1
    assert normalised.min() >= 0.0


def test_words_the_corpus_never_uses_lower_the_normalised_score() -> None:
    index = KeywordIndex.build(PASSAGES)

    _, on_topic = index.scores("protein intake")
    _, off_topic = index.scores("protein powder brand flavour")

    assert off_topic[1] < 0.5 * on_topic[1]


def test_an_index_reads_back_as_it_was_written(tmp_path: Path) -> None:
    index = KeywordIndex.build(PASSAGES)
    index.save(tmp_path / "keyword")

    loaded = KeywordIndex.load(tmp_path / "keyword")

    np.testing.assert_allclose(
        loaded.scores("shin splints")[1], index.scores("shin splints")[1], rtol=1e-6
    )


def test_an_empty_index_scores_nothing(tmp_path: Path) -> None:
    index = KeywordIndex.build([])
    index.save(tmp_path / "keyword")

    raw, normalised = KeywordIndex.load(tmp_path / "keyword").scores("protein")

    assert raw.shape == normalised.shape == (0,)
