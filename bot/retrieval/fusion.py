"""Scoring the answers of one build for one question, dense and keyword side by side.

Each passage gets a dense score (cosine with the question, absolute) and a keyword
score (BM25 as a share of what the question could score, 0..1; see keyword.py). An
answer found by any of its passages is scored on all of them: for each signal, its
best passage plus a smaller share of its second best (`second_passage_weight`), so an
answer matched by its title, its question and a paragraph outranks one that a single
passage happens to match. The hybrid score is the weighted sum of the two. Both parts
are on fixed scales, so answers from different scopes (and builds) merge by score.
Whether to answer at all is decided apart from this ranking (decision.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from bot.retrieval.config import DENSE, HYBRID, KEYWORD, RRF, RetrievalConfig
from bot.retrieval.loader import LoadedBuild


@dataclass(frozen=True, eq=False)
class QueryScores:
    """One question against one build: its vector and every passage's keyword score."""

    build: LoadedBuild
    question: str
    vector: np.ndarray
    keyword: np.ndarray

    @classmethod
    def compute(cls, build: LoadedBuild, question: str, vector: np.ndarray) -> QueryScores:
        _, normalised = build.keyword.scores(question)
        return cls(build, question, vector, normalised)

    def dense(self, passages: np.ndarray) -> np.ndarray:
        return self.build.dense.similarities(self.vector, passages)

    def passage_scores(self, passages: np.ndarray, config: RetrievalConfig) -> np.ndarray:
        """The mode's score of each passage (used to pick an answer's best passage)."""
        if config.mode == DENSE:
            return self.dense(passages)
        if config.mode == KEYWORD:
            return self.keyword[passages]
        return combine(self.dense(passages), self.keyword[passages], config)


@dataclass(frozen=True, eq=False)
class AnswerMatch:
    """An answer of a build with its score for the question and what made it."""

    scores: QueryScores
    answer_number: int
    score: float
    dense: float
    keyword: float
    best_passage: int
    closest: float = 0.0
    """The cosine of the answer's closest passage (decision.py)."""
    best_keyword: float = 0.0
    """The keyword share of the answer's best-matching passage (decision.py)."""
    rank_score: float | None = None
    """What the ranking sorts by when it is not `score` (reciprocal rank fusion)."""

    @property
    def sort_key(self) -> float:
        return self.score if self.rank_score is None else self.rank_score

    @property
    def build(self) -> LoadedBuild:
        return self.scores.build


def combine(dense: np.ndarray, keyword: np.ndarray, config: RetrievalConfig) -> np.ndarray:
    """The hybrid score: a weighted sum of the dense and the keyword scores."""
    weight = config.dense_weight
    return (weight * np.asarray(dense) + (1.0 - weight) * np.asarray(keyword)).astype(np.float32)


def match_answers(scores: QueryScores, config: RetrievalConfig) -> list[AnswerMatch]:
    """Every answer with a candidate passage, scored by the configured mode, best first."""
    build = scores.build
    passages = _answer_passages(build, _candidate_passages(scores, config))
    if len(passages) == 0:
        return []
    dense = scores.dense(passages) if config.mode != KEYWORD else np.zeros(len(passages))
    keyword = scores.keyword[passages] if config.mode != DENSE else np.zeros(len(passages))
    owners = build.passage_answer[passages]
    second = config.second_passage_weight
    # What decides whether to answer is read from single passages, whatever the ranking.
    answer_dense, answer_closest = _aggregate_by_owner(owners, dense, second)
    answer_keyword, answer_best_keyword = _aggregate_by_owner(owners, keyword, second)
    if config.mode == DENSE:
        answer_scores = answer_dense
        passage_scores = dense
    elif config.mode == KEYWORD:
        answer_scores = answer_keyword
        passage_scores = keyword
    else:
        passage_scores = combine(dense, keyword, config)
        weight_dense = config.dense_weight
        answer_scores = {
            a: weight_dense * answer_dense[a] + (1.0 - weight_dense) * answer_keyword[a]
            for a in answer_dense
        }
    best_passage = _argmax_by_owner(owners, passages, passage_scores)
    matches = [
        AnswerMatch(
            scores=scores,
            answer_number=int(answer),
            score=float(answer_scores[answer]),
            dense=float(answer_dense[answer]),
            keyword=float(answer_keyword[answer]),
            best_passage=int(best_passage[answer]),
            closest=float(answer_closest[answer]),
            best_keyword=float(answer_best_keyword[answer]),
        )
        for answer in answer_scores
    ]
    matches.sort(key=lambda m: (-m.score, m.answer_number))
    return matches


def rank_fusion(
    dense_ranked: list[AnswerMatch], keyword_ranked: list[AnswerMatch], k: int
) -> list[tuple[AnswerMatch, float]]:
    """Reciprocal rank fusion of two rankings of the same build's answers (for comparison)."""
    fused: dict[tuple[int, int], float] = {}
    first: dict[tuple[int, int], AnswerMatch] = {}
    for ranking in (dense_ranked, keyword_ranked):
        for rank, match in enumerate(ranking, start=1):
            key = (id(match.build), match.answer_number)
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
            first.setdefault(key, match)
    ordered = sorted(fused, key=lambda key: -fused[key])
    return [(first[key], fused[key]) for key in ordered]


def hybrid_with_rrf(scores: QueryScores, config: RetrievalConfig) -> list[AnswerMatch]:
    """Answers ranked by RRF of the dense and keyword rankings, scored by the hybrid score.

    RRF gives ranks, not a confidence, so the threshold still applies to the hybrid score.
    """
    dense = match_answers(scores, replace(config, mode=DENSE, fusion="weighted"))
    keyword = match_answers(scores, replace(config, mode=KEYWORD, fusion="weighted"))
    hybrid = {
        m.answer_number: m
        for m in match_answers(scores, replace(config, mode=HYBRID, fusion="weighted"))
    }
    ranked = rank_fusion(dense, keyword, config.rrf_k)
    return [
        replace(hybrid[m.answer_number], rank_score=fused)
        for m, fused in ranked
        if m.answer_number in hybrid
    ]


def score_build(scores: QueryScores, config: RetrievalConfig) -> list[AnswerMatch]:
    """The build's answers for the question, best first, as the config says to rank them."""
    if config.mode == HYBRID and config.fusion == RRF:
        return hybrid_with_rrf(scores, config)
    return match_answers(scores, config)


def _candidate_passages(scores: QueryScores, config: RetrievalConfig) -> np.ndarray:
    """Passages from the top of the dense search and of the keyword search (as the mode says)."""
    found: list[np.ndarray] = []
    if config.mode != KEYWORD:
        _, ids = scores.build.dense.search(scores.vector, config.depth)
        found.append(ids)
    if config.mode != DENSE and len(scores.keyword):
        depth = min(config.depth, len(scores.keyword))
        top = np.argpartition(-scores.keyword, depth - 1)[:depth]
        found.append(top[scores.keyword[top] > 0])
    if not found:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(found)).astype(np.int64)


def _answer_passages(build: LoadedBuild, found: np.ndarray) -> np.ndarray:
    """Every passage of the answers that own one of the `found` passages.

    An answer is then scored on all its passages, not only on those that happened to
    reach the top of one search (its best dense passage may be missing from the keyword
    candidates and the reverse), so its score does not depend on the search depth.
    """
    if len(found) == 0:
        return found
    owning = np.zeros(len(build.answers), dtype=bool)
    owning[build.passage_answer[found]] = True
    return np.flatnonzero(owning[build.passage_answer]).astype(np.int64)


def _aggregate_by_owner(
    owners: np.ndarray, values: np.ndarray, second_weight: float
) -> tuple[dict[int, float], dict[int, float]]:
    """Each owner's (best + second_weight * second best) / (1 + second_weight), and each
    owner's best alone.

    An owner with a single value gets that value: the bonus rewards several matching
    passages without penalising a short answer.
    """
    as_float = np.asarray(values, dtype=np.float64)
    order, starts = _owner_runs(owners, as_float)
    ranked = as_float[order]
    best = ranked[starts]
    following = starts + 1
    group_ends = np.append(starts[1:], len(ranked))
    second = np.where(following < group_ends, ranked[np.minimum(following, len(ranked) - 1)], best)
    combined = (best + second_weight * second) / (1.0 + second_weight)
    owner_ids = owners[order][starts].tolist()
    return (
        dict(zip(owner_ids, combined.tolist(), strict=True)),
        dict(zip(owner_ids, best.tolist(), strict=True)),
    )


def _argmax_by_owner(
    owners: np.ndarray, passages: np.ndarray, values: np.ndarray
) -> dict[int, int]:
    """Each owner's highest-valued passage (the first of equals)."""
    order, starts = _owner_runs(owners, np.asarray(values, dtype=np.float64))
    return dict(zip(owners[order][starts].tolist(), passages[order][starts].tolist(), strict=True))


def _owner_runs(owners: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order that sorts by owner, best value first within an owner (a stable sort:
    the first of equals stays first), and where each owner's run starts in that order.
    Vectorised: a search scores every passage of about fifty answers, and a Python loop
    over them cost about as much as the rest of the search."""
    order = np.lexsort((-values, owners))
    sorted_owners = owners[order]
    starts = np.flatnonzero(np.append(True, sorted_owners[1:] != sorted_owners[:-1]))
    return order, starts
