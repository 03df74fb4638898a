"""Whether to answer is decided apart from the ranking, with a cut-off each build records."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.retrieval import IndexBuilder, RetrievalConfig, Retriever
from bot.retrieval.config import DENSE, HYBRID, KEYWORD
from bot.retrieval.decision import (
    KEYWORD_WEIGHT,
    THRESHOLDS,
    Decision,
    build_warnings,
    decision_score,
    few_phrasings,
    phrasings_warning,
    probe_questions,
    probes_warning,
    threshold_for,
)
from bot.retrieval.manifest import MANIFEST_FILE, build_dir
from tests.retrieval.conftest import PROTEIN, STARTER_RECORDS, answer
from tests.support.fake_encoder import FakeEncoder


def test_the_shipped_probes_are_many_distinct_questions() -> None:
    probes = probe_questions()

    assert len(probes) >= 100
    assert len(set(probes)) == len(probes)


def test_the_hybrid_decides_mostly_on_meaning_and_a_little_on_shared_words() -> None:
    match = SimpleNamespace(closest=0.6, best_keyword=0.1)

    assert decision_score(match, HYBRID) == pytest.approx(  # type: ignore[arg-type]
        (1 - KEYWORD_WEIGHT) * 0.6 + KEYWORD_WEIGHT * 0.1
    )
    assert decision_score(match, DENSE) == 0.6  # type: ignore[arg-type]
    assert decision_score(match, KEYWORD) == 0.1  # type: ignore[arg-type]


def test_a_ranking_change_does_not_move_the_decision(
    builder: IndexBuilder, index_root: Path, encoder: FakeEncoder
) -> None:
    builder.build("global", STARTER_RECORDS)
    question = "how much protein should I eat per day"

    plain = Retriever(index_root, encoder).search(question, ["global"], use_threshold=False)
    bonus = Retriever(
        index_root, encoder, config=RetrievalConfig(second_passage_weight=1.0, fusion="rrf")
    ).search(question, ["global"], use_threshold=False)

    assert plain.answers[0].id == bonus.answers[0].id == PROTEIN.id
    assert plain.decision_score == pytest.approx(bonus.decision_score)


def test_a_build_records_its_cut_off_and_how_many_probes_it_declines(
    builder: IndexBuilder,
) -> None:
    manifest = builder.build("global", STARTER_RECORDS)

    decision = Decision.from_dict(manifest.decision)
    assert decision is not None
    assert decision.threshold == THRESHOLDS[HYBRID]
    assert decision.probes == len(probe_questions())
    assert 0.0 <= decision.probes_declined <= 1.0


def test_search_decides_with_the_cut_off_its_build_recorded(
    builder: IndexBuilder, index_root: Path, encoder: FakeEncoder
) -> None:
    manifest = builder.build("global", STARTER_RECORDS)
    path = build_dir(index_root, "global", manifest.build_id) / MANIFEST_FILE
    data = json.loads(path.read_text())
    data["decision"]["threshold"] = 0.05
    path.write_text(json.dumps(data))

    result = Retriever(index_root, encoder).search(PROTEIN.title, ["global"])

    assert result.threshold == 0.05
    assert result.answers[0].threshold == 0.05


def test_a_fixed_cut_off_in_the_settings_replaces_the_builds_own() -> None:
    recorded = Decision(threshold=0.3, keyword_weight=0.2, probes=10, probes_declined=1.0)

    assert threshold_for(RetrievalConfig(min_score=0.25), recorded) == 0.25
    assert threshold_for(RetrievalConfig(), recorded) == 0.3
    assert threshold_for(RetrievalConfig(), None) == THRESHOLDS[HYBRID]
    assert threshold_for(RetrievalConfig(mode=DENSE), recorded) == THRESHOLDS[DENSE]


def test_an_empty_corpus_builds_without_a_decision(builder: IndexBuilder) -> None:
    assert builder.build("global", []).decision == {}


def test_a_rebuild_warns_when_few_answers_have_phrasings(builder: IndexBuilder) -> None:
    bare = builder.build("guild1", STARTER_RECORDS)
    phrased = builder.build(
        "guild2",
        [answer(f"a{n}", f"Answer {n}", "Body text.", also_asked=("how?",)) for n in range(4)],
    )

    warning = phrasings_warning(bare)
    assert warning is not None and "only 0 of 4 answers in 'guild1'" in warning
    assert phrasings_warning(phrased) is None
    assert few_phrasings(1, 5) and not few_phrasings(2, 5) and not few_phrasings(0, 0)


def test_a_rebuild_warns_when_the_build_answers_many_off_topic_probes(
    builder: IndexBuilder,
) -> None:
    manifest = builder.build("global", STARTER_RECORDS)
    declining = replace(
        manifest, decision=Decision(0.43, 0.2, 160, 0.99).to_dict(), counts={"answers": 0}
    )
    answering = replace(declining, decision=Decision(0.43, 0.2, 160, 0.6).to_dict())

    assert probes_warning(declining) is None
    assert build_warnings(declining) == []
    warning = probes_warning(answering)
    assert warning is not None and "answers 40% of the 160 off-topic probe questions" in warning
