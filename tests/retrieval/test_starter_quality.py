"""Retrieval quality on the starter corpus with the real model: floors against regressions.

The starter index is built once per session. The floors sit a little under the figures
measured when the ranking and the threshold were tuned (see bot/retrieval/config.py),
and at or above the project's targets where those are reached.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.formats import read_corpus
from bot.evaluation.retrieval import evaluate, load_questions
from bot.paths import retrieval_sets_dir, starter_answers_dir
from bot.retrieval import Encoder, IndexBuilder, MemoryEmbeddingCache, Retriever
from tests.support.real_model import StarterIndex

# One worker runs every test that searches the starter index (see test_two_processes).
pytestmark = [pytest.mark.model, pytest.mark.xdist_group("starter_index")]

# The project's targets are hit@3 0.95, mrr@10 0.88, in-scope answered 0.95 and
# out-of-scope declined 0.8. Measured with the `also_asked` phrasings (written without sight
# of the evaluation set), on parts a-c: whole set 0.992 / 0.963 / 0.976 / 0.893, holdout
# 0.992 / 0.944 / 0.967 / 0.857. Part d (160 questions written afterwards, by a writer who saw
# the answers without their phrasings, never tuned on) alone: 0.967 / 0.942 / 0.942 / 0.950.
# With it, whole set 0.984 / 0.956 / 0.964 / 0.926 and holdout 0.979 / 0.943 / 0.955 / 0.926.
# Since the decision moved off the ranking score (bot/retrieval/decision.py) and answers got
# a whole-answer passage: whole set 0.984 / 0.958 / 0.973 / 0.853, holdout 0.979 / 0.945 /
# 0.963 / 0.852 (more in-scope questions answered, fewer out-of-scope ones declined: the
# cut-off now also serves corpora without phrasings, see COMMUNITY_FLOORS).
# The starter corpus then grew from 123 to 203 answers (the topics real members asked about
# that it lacked), with parts e and f (160 questions written from the new titles alone):
# whole set 0.985 / 0.955 / 0.972 / 0.836, holdout 0.983 / 0.948 / 0.968 / 0.830. On parts
# a-d alone the larger corpus gives 0.981 / 0.949 / 0.965 / 0.836: more answers near each
# question cost 0.009 MRR@10, and 11 of 67 off-topic questions find an answer above the
# cut-off, against 10 of 68 (three of them now match new answers: a muscle-up on the rings,
# a strict muscle-up, an 11-year-old starting to lift; a marathon-fuelling question that the
# new drinking answer covers moved in scope).
# The floors sit a little below, at the targets or above them.
OVERALL_FLOORS = {
    "hit@3": 0.97,
    "mrr@10": 0.94,
    "in_scope_answered_relevant": 0.95,
    "out_of_scope_no_answer": 0.82,
}
HOLDOUT_FLOORS = {
    "hit@3": 0.95,
    "mrr@10": 0.9,
    "in_scope_answered_relevant": 0.95,
    "out_of_scope_no_answer": 0.8,
}


# The community corpora of eval/retrieval (no `also_asked`; community-1 chose the decision
# score, community-2 was measured once before becoming a regression set). Measured:
# community-1 hit@3 0.961, mrr@10 0.915, in-scope answered 0.914, out-of-scope declined 0.818;
# community-2 0.938 / 0.882 / 0.846 / 0.975 (before the decision change: 0.938 / 0.889 /
# 0.715 / 1.000).
COMMUNITY_FLOORS = {
    "community-1": {
        "hit@3": 0.94,
        "mrr@10": 0.9,
        "in_scope_answered_relevant": 0.89,
        "out_of_scope_no_answer": 0.8,
    },
    "community-2": {
        "hit@3": 0.92,
        "mrr@10": 0.86,
        "in_scope_answered_relevant": 0.82,
        "out_of_scope_no_answer": 0.93,
    },
}


MISSING_HINT = (
    "the starter corpus (corpus/answers) or its evaluation set (corpus/eval/retrieval*.jsonl) "
    "is missing; tests/corpus/test_starter_corpus.py says what it must contain"
)


@pytest.fixture(scope="session")
def starter_retriever(starter_index: StarterIndex) -> Retriever:
    if not any(starter_answers_dir().rglob("*.md")) or not any(
        retrieval_sets_dir().glob("*.jsonl")
    ):
        pytest.skip(MISSING_HINT)
    return Retriever(starter_index.root, starter_index.encoder)


@pytest.fixture(scope="session")
def starter_report(starter_retriever: Retriever) -> dict:
    return evaluate(starter_retriever, load_questions(retrieval_sets_dir()), ["global"])


def test_the_hybrid_stays_above_its_floors_on_the_whole_evaluation_set(
    starter_report: dict,
) -> None:
    overall = starter_report["modes"]["hybrid"]["all"]

    shortfalls = {k: overall[k] for k, floor in OVERALL_FLOORS.items() if overall[k] < floor}

    assert shortfalls == {}


def test_the_hybrid_holds_up_on_questions_it_was_not_tuned_on(starter_report: dict) -> None:
    holdout = starter_report["modes"]["hybrid"]["holdout"]

    shortfalls = {k: holdout[k] for k, floor in HOLDOUT_FLOORS.items() if holdout[k] < floor}

    assert shortfalls == {}


@pytest.mark.parametrize("name", sorted(COMMUNITY_FLOORS))
def test_the_hybrid_stays_above_its_floors_on_each_community_corpus(
    name: str, real_encoder: Encoder, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = retrieval_sets_dir() / name
    encoder = real_encoder
    root: Path = tmp_path_factory.mktemp(name)
    IndexBuilder(root, encoder, MemoryEmbeddingCache()).build(
        "community", read_corpus(folder / "corpus")
    )
    report = evaluate(Retriever(root, encoder), load_questions(folder), ["community"])
    overall = report["modes"]["hybrid"]["all"]

    floors = COMMUNITY_FLOORS[name]
    shortfalls = {k: overall[k] for k, floor in floors.items() if overall[k] < floor}

    assert shortfalls == {}


def test_the_hybrid_ranks_better_than_bm25_or_dense_alone(starter_report: dict) -> None:
    figures = {mode: starter_report["modes"][mode]["all"] for mode in starter_report["modes"]}

    for metric in ("mrr@10", "ndcg@10"):
        best_single = max(figures["dense"][metric], figures["keyword"][metric])
        assert figures["hybrid"][metric] > best_single + 0.01, metric


@pytest.mark.parametrize(
    "question", ["how do I fix my bike chain", "best protein powder?", "what's a good laptop?"]
)
def test_off_topic_and_uncovered_questions_get_no_answer(
    starter_retriever: Retriever, question: str
) -> None:
    result = starter_retriever.search(question, ["global"])

    assert result.no_answer, [a.id for a in result.answers]


def test_a_shown_answer_quotes_its_best_passage_with_the_match_in_bold(
    starter_retriever: Retriever,
) -> None:
    questions = load_questions(retrieval_sets_dir())
    question = next(q for q in questions if q.in_scope and q.split == "tune")

    result = starter_retriever.search(question.question, ["global"])

    assert result.confident
    first = result.answers[0]
    assert first.excerpt and first.title and first.author
    assert "**" in first.excerpt
    assert all(h in first.excerpt.replace("**", "") for h in first.highlights)
