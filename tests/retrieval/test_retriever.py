"""Search ranks answers, keeps scopes apart, merges them on request and reloads builds."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.retrieval import (
    IndexBuilder,
    IndexMissingError,
    RetrievalConfig,
    Retriever,
)
from tests.retrieval.conftest import (
    DEADLIFT,
    OPEN_CONFIG,
    PROTEIN,
    SHIN_SPLINTS,
    SQUAT_WARMUP,
    STARTER_RECORDS,
    answer,
)
from tests.support.fake_encoder import FakeEncoder

GUILD = "734001122334455667"
GUILD_ANSWER = answer(
    "club-squat-rack-rules",
    "Squat rack booking at the club",
    "Book the squat rack at the front desk; sessions are 45 minutes.",
)
KETTLEBELL = answer(
    "kettlebell-swing", "Kettlebell swing basics", "Hinge at the hips, do not squat."
)


class BlockingEncoder(FakeEncoder):
    """Holds every question inside `encode` until released, to keep a search in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def encode(self, texts: Sequence[str], **options: object) -> np.ndarray:
        self.entered.set()
        assert self.release.wait(timeout=10)
        return super().encode(texts)


def test_search_returns_answers_not_passages_best_first_with_citations(
    builder: IndexBuilder, retriever: Retriever
) -> None:
    builder.build("global", STARTER_RECORDS)

    result = retriever.search("tight lower back when I squat, warm-up?", ["global"], k=3)

    assert result.answers[0].id == SQUAT_WARMUP.id
    assert len({a.id for a in result.answers}) == len(result.answers) == 3
    first = result.answers[0]
    assert (first.title, first.author, first.source_url, first.tags, first.scope) == (
        SQUAT_WARMUP.title,
        "coach",
        SQUAT_WARMUP.source_url,
        ("squat", "warm-up"),
        "global",
    )
    assert [a.score for a in result.answers] == sorted(
        (a.score for a in result.answers), reverse=True
    )


def test_the_excerpt_is_the_best_body_passage_with_matching_sentences_in_bold(
    builder: IndexBuilder, retriever: Retriever
) -> None:
    builder.build("global", STARTER_RECORDS)

    first = retriever.search("goblet squats hold the bottom", ["global"]).answers[0]

    assert first.id == SQUAT_WARMUP.id
    assert "**Then do goblet squats" in first.excerpt
    assert first.highlights[0].startswith("Then do goblet squats")
    assert SQUAT_WARMUP.title not in first.excerpt


def test_each_mode_ranks_with_its_own_signal(builder: IndexBuilder, retriever: Retriever) -> None:
    builder.build("global", STARTER_RECORDS)

    for mode in ("dense", "keyword", "hybrid"):
        moded = retriever.with_config(replace(OPEN_CONFIG, mode=mode))
        first = moded.search("shin splints running", ["global"]).answers[0]
        assert first.id == SHIN_SPLINTS.id
        if mode == "dense":
            assert first.score == first.dense_score
        if mode == "keyword":
            assert first.score == first.keyword_score


def test_below_the_threshold_the_result_is_not_confident_and_shows_nothing(
    builder: IndexBuilder, index_root: Path
) -> None:
    builder.build("global", STARTER_RECORDS)
    # A cosine never exceeds 1, so this cut-off declines everything.
    strict = Retriever(index_root, FakeEncoder(), config=RetrievalConfig(min_score=1.01))

    result = strict.search("how much protein per day", ["global"])
    unfiltered = strict.search("how much protein per day", ["global"], use_threshold=False)

    assert (result.confident, result.answers, result.no_answer) == (False, [], True)
    assert result.decision_score is not None and result.decision_score < 1.01
    assert result.threshold == 1.01
    assert unfiltered.answers[0].id == PROTEIN.id
    assert not unfiltered.confident


def test_answers_far_below_the_best_one_are_not_shown(
    builder: IndexBuilder, index_root: Path
) -> None:
    builder.build("global", STARTER_RECORDS)
    config = RetrievalConfig(min_score=0.0, related_margin=0.05)

    result = Retriever(index_root, FakeEncoder(), config=config).search(
        "how much protein per day", ["global"]
    )

    assert [a.id for a in result.answers] == [PROTEIN.id]


def test_a_guild_scope_is_not_searched_unless_asked_for(
    builder: IndexBuilder, retriever: Retriever
) -> None:
    builder.build("global", STARTER_RECORDS)
    builder.build(GUILD, [GUILD_ANSWER])

    global_only = retriever.search("squat rack booking", ["global"], k=10)
    guild_only = retriever.search("protein per day", [GUILD], k=10)

    assert GUILD_ANSWER.id not in [a.id for a in global_only.answers]
    assert [a.id for a in guild_only.answers] == [GUILD_ANSWER.id]
    assert set(guild_only.build_ids) == {GUILD}


def test_a_guild_that_opts_in_gets_both_scopes_merged_by_score(
    builder: IndexBuilder, retriever: Retriever
) -> None:
    built_global = builder.build("global", STARTER_RECORDS)
    built_guild = builder.build(GUILD, [GUILD_ANSWER])

    rack = retriever.search("squat rack booking", [GUILD, "global"], k=5)
    protein = retriever.search("how much protein per day", [GUILD, "global"], k=5)

    assert (rack.answers[0].id, rack.answers[0].scope) == (GUILD_ANSWER.id, GUILD)
    assert (protein.answers[0].id, protein.answers[0].scope) == (PROTEIN.id, "global")
    assert {a.scope for a in rack.answers} == {GUILD, "global"}
    assert rack.build_ids == {GUILD: built_guild.build_id, "global": built_global.build_id}


def test_a_guilds_own_copy_of_an_answer_shadows_the_global_one(
    builder: IndexBuilder, retriever: Retriever
) -> None:
    builder.build("global", STARTER_RECORDS)
    local_copy = replace(DEADLIFT, body="Our coaches teach the hip hinge with a dowel first.")
    builder.build(GUILD, [local_copy])

    result = retriever.search("deadlift neutral spine", [GUILD, "global"], k=5)

    deadlifts = [a for a in result.answers if a.id == DEADLIFT.id]
    assert [a.scope for a in deadlifts] == [GUILD]


def test_a_scope_without_a_build_is_skipped_and_reported(
    builder: IndexBuilder, retriever: Retriever
) -> None:
    builder.build("global", STARTER_RECORDS)

    result = retriever.search("protein", [GUILD, "global"])

    assert result.missing_scopes == (GUILD,)
    assert result.answers[0].id == PROTEIN.id


def test_searching_only_scopes_never_built_says_to_build_the_index(retriever: Retriever) -> None:
    with pytest.raises(IndexMissingError, match="triagebot index rebuild"):
        retriever.search("protein", ["global"])


def test_a_running_retriever_switches_to_a_new_build_without_restarting(
    builder: IndexBuilder, retriever: Retriever
) -> None:
    first = builder.build("global", STARTER_RECORDS)
    before = retriever.search("kettlebell swing hinge", ["global"], k=10)

    second = builder.build("global", [*STARTER_RECORDS, KETTLEBELL])
    after = retriever.search("kettlebell swing hinge", ["global"], k=10)

    assert before.build_ids == {"global": first.build_id}
    assert KETTLEBELL.id not in [a.id for a in before.answers]
    assert after.build_ids == {"global": second.build_id}
    assert after.answers[0].id == KETTLEBELL.id


def test_the_pointer_is_looked_at_no_more_than_once_per_interval(
    builder: IndexBuilder, index_root: Path, encoder: FakeEncoder
) -> None:
    first = builder.build("global", STARTER_RECORDS)
    patient = Retriever(index_root, encoder, config=replace(OPEN_CONFIG, reload_interval=3600))
    patient.search("protein", ["global"])

    builder.build("global", [*STARTER_RECORDS, KETTLEBELL])

    assert patient.search("protein", ["global"]).build_ids == {"global": first.build_id}
    assert patient.refresh("global").build_id != first.build_id  # type: ignore[union-attr]


def test_a_question_in_flight_finishes_on_the_build_it_started_with(
    builder: IndexBuilder, index_root: Path
) -> None:
    first = builder.build("global", STARTER_RECORDS)
    blocking = BlockingEncoder()
    retriever = Retriever(index_root, blocking, config=OPEN_CONFIG)
    with ThreadPoolExecutor(max_workers=1) as pool:
        in_flight = pool.submit(retriever.search, "kettlebell swing hinge", ["global"], k=10)
        assert blocking.entered.wait(timeout=10)
        builder.keep_builds = 1  # the old build's files are even deleted under the reader
        second = builder.build("global", [*STARTER_RECORDS, KETTLEBELL])
        blocking.release.set()
        old = in_flight.result(timeout=10)

    new = retriever.search("kettlebell swing hinge", ["global"], k=10)

    assert old.build_ids == {"global": first.build_id}
    assert KETTLEBELL.id not in [a.id for a in old.answers]
    assert new.build_ids == {"global": second.build_id}
    assert new.answers[0].id == KETTLEBELL.id


def test_many_threads_can_search_while_builds_switch(
    builder: IndexBuilder, retriever: Retriever
) -> None:
    builder.build("global", STARTER_RECORDS)
    questions = ["protein per day", "shin splints", "deadlift spine", "squat warm-up"] * 25
    expected = {
        "protein per day": PROTEIN.id,
        "shin splints": SHIN_SPLINTS.id,
        "deadlift spine": DEADLIFT.id,
        "squat warm-up": SQUAT_WARMUP.id,
    }

    def ask(question: str) -> tuple[str, str]:
        return question, retriever.search(question, ["global"]).answers[0].id

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(ask, q) for q in questions]
        for n in range(3):
            builder.build("global", [*STARTER_RECORDS, replace(KETTLEBELL, body=f"Version {n}")])
        found = [f.result(timeout=30) for f in futures]

    assert all(expected[question] == answer_id for question, answer_id in found)


def test_an_empty_question_gets_no_answer(builder: IndexBuilder, retriever: Retriever) -> None:
    builder.build("global", STARTER_RECORDS)

    result = retriever.search("   ", ["global"])

    assert result.no_answer and not result.confident


def test_questions_remembered_in_a_batch_are_not_embedded_again(
    builder: IndexBuilder, retriever: Retriever, encoder: FakeEncoder
) -> None:
    builder.build("global", STARTER_RECORDS)
    questions = ["tight lower back when I squat?", "hip flexors after sitting?"]
    alone = retriever.search(questions[0], ["global"], k=3)
    fresh = Retriever(retriever.index_root, encoder, config=OPEN_CONFIG)
    fresh.remember_questions([*questions, questions[0]])
    encoder.reset_counts()

    again = fresh.search(questions[0], ["global"], k=3)
    fresh.search(questions[1], ["global"], k=3)

    assert not set(questions) & set(encoder.encoded_texts)
    assert [a.id for a in again.answers] == [a.id for a in alone.answers]
