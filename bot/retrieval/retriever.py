"""Search across scopes: the answers to show for a question, each with its excerpt.

A guild searches its own scope and, when it opts in, the shared `global` scope; the
scores of both are on the same scale (see fusion.py), so they merge by score. When the
same answer id exists in several scopes, the scope listed first (the guild's own copy)
wins.

The retriever notices a new current build without a restart: it looks at a scope's
CURRENT pointer at most once per `reload_interval` and loads the new build beside the
old one. A search takes its builds at the start and finishes on them, so questions in
flight are unaffected by a switch. `search` is safe to call from several threads.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.corpus.records import Citation
from bot.errors import TriagebotError
from bot.retrieval.config import RetrievalConfig
from bot.retrieval.decision import decision_score, threshold_for
from bot.retrieval.encoder import Encoder
from bot.retrieval.excerpt import Excerpt, SentenceScorer, make_excerpts
from bot.retrieval.fusion import AnswerMatch, QueryScores, score_build
from bot.retrieval.loader import LoadedBuild, load_current_build
from bot.retrieval.manifest import CURRENT_FILE, scope_dir
from bot.retrieval.passages import BODY
from bot.retrieval.slang import expand_shorthand

log = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 512


class IndexMissingError(TriagebotError):
    """None of the scopes searched has an index build yet."""


@dataclass(frozen=True)
class RetrievedAnswer(Citation):
    """One answer to show: what to cite, where it was found, how well it matched, and the
    passage that matters."""

    scope: str
    score: float
    excerpt: str
    """The best passage, the sentences matching the question wrapped in **bold**."""
    highlights: tuple[str, ...]
    """The matching sentences, as plain text."""
    dense_score: float = 0.0
    keyword_score: float = 0.0
    build_id: str = ""
    decision_score: float = 0.0
    """How sure search is of this answer (decision.py)."""
    threshold: float = 0.0
    """The decision score its build asks for before it is shown."""


@dataclass
class SearchResult:
    """What search found: the answers to show (best first) and whether it is confident."""

    answers: list[RetrievedAnswer]
    confident: bool
    build_ids: dict[str, str]
    """The build each searched scope was answered from."""
    best_score: float | None = None
    """The best answer's ranking score, even when it was not shown."""
    threshold: float = 0.0
    """The cut-off on the decision score that the best answer's build sets."""
    missing_scopes: tuple[str, ...] = ()
    """Scopes searched that have no index build (skipped)."""
    decision_score: float | None = None
    """The best answer's decision score (decision.py)."""

    @property
    def no_answer(self) -> bool:
        return not self.answers


@dataclass
class _ScopeSlot:
    build: LoadedBuild | None = None
    signature: tuple[int, int, int] | None = None
    checked_at: float = float("-inf")
    loaded_once: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class _SharedState:
    """Loaded builds and cached question vectors, shared by retrievers of one index."""

    def __init__(self, index_root: Path, encoder: Encoder) -> None:
        self.index_root = Path(index_root)
        self.encoder = encoder
        self.slots: dict[str, _ScopeSlot] = {}
        self.slots_lock = threading.Lock()
        self.vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.vectors_lock = threading.Lock()


class Retriever:
    """Finds the curated answers for a question in one or more scopes' index builds."""

    def __init__(
        self, index_root: Path, encoder: Encoder, *, config: RetrievalConfig | None = None
    ) -> None:
        self.config = config or RetrievalConfig()
        self._state = _SharedState(index_root, encoder)

    @property
    def index_root(self) -> Path:
        return self._state.index_root

    @property
    def encoder(self) -> Encoder:
        return self._state.encoder

    def with_config(self, config: RetrievalConfig) -> Retriever:
        """A retriever with other settings sharing this one's loaded builds and caches."""
        other = Retriever.__new__(Retriever)
        other.config = config
        other._state = self._state
        return other

    def search(
        self,
        question: str,
        scopes: Sequence[str],
        *,
        k: int = 3,
        use_threshold: bool = True,
        with_excerpts: bool = True,
    ) -> SearchResult:
        """The best answers to `question` from `scopes` (own scope first), at most `k`.

        With `use_threshold`, answers are shown only when the best one's decision score
        reaches its build's threshold (`confident`), and then only those close to it.
        """
        config = self.config
        ordered_scopes = list(dict.fromkeys(scopes))
        builds = {scope: self.build_for(scope) for scope in ordered_scopes}
        missing = tuple(scope for scope, build in builds.items() if build is None)
        if ordered_scopes and len(missing) == len(ordered_scopes):
            names = ", ".join(f"'{s}'" for s in missing)
            raise IndexMissingError(
                f"no index has been built for scope {names} yet: run `triagebot index rebuild`"
            )
        build_ids = {s: b.build_id for s, b in builds.items() if b is not None}
        # Gym shorthand ("lbp", "ohp", "hammy") written out as the answers write it.
        question = expand_shorthand(" ".join(question.split()))
        if not question:
            return SearchResult([], False, build_ids, None, 0.0, missing)
        vector = self.question_vector(question)
        matches = self._merged_matches(question, vector, builds)[: max(k, 1)]
        decisions = [decision_score(m, config.mode) for m in matches]
        thresholds = [threshold_for(config, m.build.decision) for m in matches]
        positions = shown_positions(
            [m.score for m in matches],
            decisions,
            thresholds,
            related_margin=config.related_margin,
        )
        confident = bool(positions)
        if not use_threshold:
            positions = list(range(min(k, len(matches))))
        answers = self._answers(
            [(matches[n], decisions[n], thresholds[n]) for n in positions],
            question,
            vector,
            with_excerpts,
        )
        return SearchResult(
            answers,
            confident,
            build_ids,
            matches[0].score if matches else None,
            thresholds[0] if matches else 0.0,
            missing,
            decisions[0] if matches else None,
        )

    def build_for(self, scope: str) -> LoadedBuild | None:
        """The scope's build to search now (loading or switching when CURRENT changed)."""
        state = self._state
        with state.slots_lock:
            slot = state.slots.setdefault(scope, _ScopeSlot())
        now = time.monotonic()
        if slot.loaded_once and now - slot.checked_at < self.config.reload_interval:
            return slot.build
        # One thread looks at the pointer (and loads); the others keep the build they have.
        if not slot.lock.acquire(blocking=not slot.loaded_once):
            return slot.build
        try:
            recently = time.monotonic() - slot.checked_at < self.config.reload_interval
            if not (slot.loaded_once and recently):
                self._refresh(scope, slot)
            return slot.build
        finally:
            slot.lock.release()

    def refresh(self, scope: str) -> LoadedBuild | None:
        """Look at the scope's CURRENT pointer now, whatever the reload interval."""
        with self._state.slots_lock:
            slot = self._state.slots.setdefault(scope, _ScopeSlot())
        with slot.lock:
            self._refresh(scope, slot)
            return slot.build

    def question_vector(self, question: str) -> np.ndarray:
        """The question's embedding (recent questions are remembered)."""
        state = self._state
        with state.vectors_lock:
            cached = state.vectors.get(question)
            if cached is not None:
                state.vectors.move_to_end(question)
                return cached
        vector = np.asarray(state.encoder.encode([question])[0], dtype=np.float32)
        with state.vectors_lock:
            state.vectors[question] = vector
            while len(state.vectors) > QUERY_CACHE_SIZE:
                state.vectors.popitem(last=False)
        return vector

    def remember_questions(self, questions: Sequence[str], batch_size: int = 64) -> None:
        """Embed many questions in batches ahead of searching them (an evaluation run):
        several times faster than one at a time, and the same vectors to float rounding.
        Only as many as the cache holds are remembered."""
        state = self._state
        with state.vectors_lock:
            missing = [q for q in dict.fromkeys(questions) if q not in state.vectors]
        missing = missing[:QUERY_CACHE_SIZE]
        if not missing:
            return
        vectors = np.asarray(state.encoder.encode(missing, batch_size=batch_size), np.float32)
        with state.vectors_lock:
            for question, vector in zip(missing, vectors, strict=True):
                state.vectors[question] = vector
            while len(state.vectors) > QUERY_CACHE_SIZE:
                state.vectors.popitem(last=False)

    def _refresh(self, scope: str, slot: _ScopeSlot) -> None:
        signature = _pointer_signature(self.index_root, scope)
        slot.checked_at = time.monotonic()
        if slot.loaded_once and signature == slot.signature:
            return
        encoder = self.encoder
        try:
            build = load_current_build(
                self.index_root, scope, model=encoder.name, dimension=encoder.dimension
            )
        except TriagebotError:
            if not slot.loaded_once or slot.build is None:
                raise
            log.exception(
                "scope %s: keeping build %s, the new current build cannot be used",
                scope,
                slot.build.build_id,
            )
            slot.signature = signature
            return
        if build is not None and slot.build is not None and build.build_id != slot.build.build_id:
            log.info("scope %s: now serving build %s", scope, build.build_id)
        slot.build = build
        slot.signature = signature
        slot.loaded_once = True

    def _merged_matches(
        self, question: str, vector: np.ndarray, builds: dict[str, LoadedBuild | None]
    ) -> list[AnswerMatch]:
        seen: set[str] = set()
        merged: list[AnswerMatch] = []
        # Scopes in priority order: an id already found in an earlier scope is shadowed.
        for build in builds.values():
            if build is None:
                continue
            scores = QueryScores.compute(build, question, vector)
            for match in score_build(scores, self.config):
                answer_id = build.answers[match.answer_number].id
                if answer_id not in seen:
                    merged.append(match)
            seen |= build.answer_ids
        merged.sort(key=lambda m: -m.sort_key)
        return merged

    def _answers(
        self,
        judged: Sequence[tuple[AnswerMatch, float, float]],
        question: str,
        vector: np.ndarray,
        with_excerpts: bool,
    ) -> list[RetrievedAnswer]:
        """The answers to show: each match with its decision score and its build's cut-off."""
        matches = [match for match, _, _ in judged]
        excerpts: list[Excerpt | None] = [None] * len(matches)
        if with_excerpts and matches:
            excerpts = list(
                make_excerpts(
                    [(self._excerpt_passage(m), m.build.keyword) for m in matches],
                    question,
                    max_chars=self.config.max_excerpt_chars,
                    sentence_scorer=self._sentence_scorer(vector),
                )
            )
        return [
            _retrieved(match, excerpt, decision, threshold)
            for (match, decision, threshold), excerpt in zip(judged, excerpts, strict=True)
        ]

    def _excerpt_passage(self, match: AnswerMatch) -> str:
        """The answer's body passage that scores best (a title is no excerpt)."""
        build = match.build
        own = build.answer_passages(match.answer_number)
        numbers = np.array([n for n in own if build.passages[n].kind == BODY], dtype=np.int64)
        if len(numbers) == 0:
            return build.passages[match.best_passage].text
        scores = match.scores.passage_scores(numbers, self.config)
        return build.passages[int(numbers[int(np.argmax(scores))])].text

    def _sentence_scorer(self, vector: np.ndarray) -> SentenceScorer:
        encoder = self.encoder

        def score(sentences: Sequence[str]) -> Sequence[float]:
            return (encoder.encode(list(sentences)) @ vector).tolist()

        return score


def shown_positions(
    scores: Sequence[float],
    decisions: Sequence[float],
    thresholds: Sequence[float],
    *,
    related_margin: float,
) -> list[int]:
    """The confidence rule: which of the ranked answers to show (by position).

    None when the first one's decision score is below its build's threshold; otherwise
    each answer whose decision score reaches its build's threshold and whose ranking
    score comes within `related_margin` of the first's.
    """
    if not scores or decisions[0] < thresholds[0]:
        return []
    floor = scores[0] - related_margin
    return [n for n, score in enumerate(scores) if score >= floor and decisions[n] >= thresholds[n]]


def _retrieved(
    match: AnswerMatch, excerpt: Excerpt | None, decision: float, threshold: float
) -> RetrievedAnswer:
    build = match.build
    answer = build.answers[match.answer_number]
    return RetrievedAnswer(
        **Citation.fields_of(answer),
        scope=build.scope,
        score=match.score,
        excerpt=excerpt.text if excerpt else "",
        highlights=excerpt.highlights if excerpt else (),
        dense_score=match.dense,
        keyword_score=match.keyword,
        build_id=build.build_id,
        decision_score=decision,
        threshold=threshold,
    )


def _pointer_signature(index_root: Path, scope: str) -> tuple[int, int, int] | None:
    """Changes whenever CURRENT is replaced (os.replace gives it a new inode)."""
    try:
        stat = os.stat(scope_dir(index_root, scope) / CURRENT_FILE)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)
