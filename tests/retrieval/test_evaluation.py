"""The evaluation reads question files, measures rankings and reports the modes side by side."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bot.errors import TriagebotError
from bot.evaluation.retrieval import (
    EvalQuestion,
    Ranked,
    calibrate_threshold,
    evaluate,
    format_report,
    load_questions,
    ranking_metrics,
)
from bot.retrieval import IndexBuilder, RetrievalConfig, Retriever
from tests.retrieval.conftest import PROTEIN, SHIN_SPLINTS, STARTER_RECORDS


def test_a_relevant_answer_first_scores_full_marks() -> None:
    assert ranking_metrics(["a", "b", "c"], ["a"]) == {
        "mrr@10": 1.0,
        "hit@1": 1.0,
        "hit@3": 1.0,
        "ndcg@10": 1.0,
    }


def test_a_relevant_answer_third_scores_a_third_of_mrr_and_still_hits_at_3() -> None:
    figures = ranking_metrics(["x", "y", "a", "b"], ["a"])

    assert figures["mrr@10"] == pytest.approx(1 / 3)
    assert (figures["hit@1"], figures["hit@3"]) == (0.0, 1.0)
    assert figures["ndcg@10"] == pytest.approx(1 / math.log2(4))


def test_ndcg_prefers_the_best_relevant_answer_first() -> None:
    best_first = ranking_metrics(["a", "b"], ["a", "b"])["ndcg@10"]
    swapped = ranking_metrics(["b", "a"], ["a", "b"])["ndcg@10"]

    assert best_first == pytest.approx(1.0)
    assert 0.8 < swapped < 1.0


def _ranked(question: str, relevant: tuple[str, ...], top: float) -> Ranked:
    """A ranking whose decision scores equal its ranking scores, built with a 0.5 cut-off."""
    first = relevant[0] if relevant else "unrelated-answer"
    scores = (top, top - 0.3)
    return Ranked(
        EvalQuestion(question, relevant, "tune"), (first, "other"), scores, scores, (0.5, 0.5)
    )


def test_the_threshold_sits_midway_in_the_range_that_meets_both_targets() -> None:
    ranked = [_ranked(f"in {n}", ("a",), 0.7 + n / 100) for n in range(10)] + [
        _ranked(f"out {n}", (), 0.3 + n / 100) for n in range(10)
    ]

    threshold = calibrate_threshold(ranked, related_margin=0.15)

    # In scope starts at 0.70; at least 80 % of out-of-scope (best 0.39) must be declined,
    # so any threshold in (0.37, 0.70] meets both targets.
    assert threshold == pytest.approx((0.37 + 0.70) / 2, abs=0.01)


def test_without_a_threshold_meeting_both_targets_the_balanced_best_is_chosen() -> None:
    ranked = [
        _ranked("in low", ("a",), 0.4),
        _ranked("in high", ("b",), 0.8),
        _ranked("out high", (), 0.6),
    ]

    threshold = calibrate_threshold(ranked, related_margin=0.15)

    assert 0.6 < threshold <= 0.8
    assert ranked[1].shown(0.15, threshold) == ["b"]
    assert ranked[2].shown(0.15, threshold) == []


def test_without_a_calibrated_threshold_each_build_decides_with_its_own() -> None:
    ranked = _ranked("in", ("a",), 0.55)

    assert ranked.shown(0.15) == ["a"]
    assert ranked.shown(0.15, 0.6) == []


def test_questions_are_read_from_every_retrieval_file_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "retrieval-part-a.jsonl").write_text(
        json.dumps({"question": "protein?", "relevant": ["protein-intake"], "split": "tune"})
        + "\n\n"
    )
    (tmp_path / "retrieval-part-b.jsonl").write_text(
        json.dumps({"question": "bike chain?", "relevant": [], "split": "holdout"}) + "\n"
    )
    (tmp_path / "redflags.jsonl").write_text("not a retrieval file\n")

    questions = load_questions(tmp_path)

    assert [(q.question, q.relevant, q.split, q.in_scope) for q in questions] == [
        ("protein?", ("protein-intake",), "tune", True),
        ("bike chain?", (), "holdout", False),
    ]


def test_a_malformed_question_line_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "retrieval-x.jsonl"
    path.write_text('{"question": "ok", "relevant": []}\n{"relevant": []}\n')

    with pytest.raises(TriagebotError, match=r"retrieval-x\.jsonl:2"):
        load_questions(path)


def test_each_mode_is_reported_per_split_and_overall(
    builder: IndexBuilder, index_root: Path, encoder: object
) -> None:
    builder.build("global", STARTER_RECORDS)
    retriever = Retriever(index_root, encoder, config=RetrievalConfig(min_score=0.5))  # type: ignore[arg-type]
    questions = [
        EvalQuestion("how much protein per day", (PROTEIN.id,), "tune"),
        EvalQuestion("shin splints from running", (SHIN_SPLINTS.id,), "holdout"),
        EvalQuestion("zzzz qqqq", (), "holdout"),
    ]

    report = evaluate(retriever, questions, ["global"])

    assert set(report["modes"]) == {"keyword", "dense", "rrf", "hybrid"}
    hybrid = report["modes"]["hybrid"]
    assert hybrid["tune"]["hit@1"] == 1.0
    assert hybrid["all"]["in_scope"] == 2 and hybrid["all"]["out_of_scope"] == 1
    assert hybrid["holdout"]["out_of_scope_no_answer"] == 1.0
    assert math.isnan(hybrid["tune"]["out_of_scope_no_answer"])
    assert report["thresholds"]["hybrid"] == 0.5
    assert report["calibrated"] is False
    text = format_report(report, show_misses=5)
    assert "BM25 alone" in text and "dense alone" in text and "hybrid" in text
    assert "RRF baseline" in text
    assert "holdout (1 in scope, 1 out of scope)" in text
