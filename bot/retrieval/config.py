"""How search ranks and when it is confident enough to answer."""

from __future__ import annotations

from dataclasses import dataclass, field

HYBRID = "hybrid"
DENSE = "dense"
KEYWORD = "keyword"
MODES = (HYBRID, DENSE, KEYWORD)

WEIGHTED = "weighted"
RRF = "rrf"

BEST_OF_EACH = "best_of_each"
BEST_PASSAGE = "best_passage"

# Thresholds on each mode's answer score (see fusion.py), chosen on a `tune` split by
# bot/evaluation/retrieval.py:calibrate_threshold. Re-run `evaluate(..., calibrate=True)`
# on the starter evaluation set after changing the corpus, the model or the ranking.
DEFAULT_MIN_SCORES = {HYBRID: 0.474, DENSE: 0.632, KEYWORD: 0.27}


@dataclass(frozen=True)
class RetrievalConfig:
    """Ranking and confidence settings; the defaults are the tuned ones."""

    mode: str = HYBRID
    """hybrid (dense + keyword), dense alone or keyword (BM25) alone."""
    fusion: str = WEIGHTED
    """weighted (a weighted sum of comparable scores) or rrf (reciprocal rank fusion)."""
    dense_weight: float = 0.7
    """Share of the dense score in the hybrid score; the rest is the keyword score."""
    aggregate: str = BEST_OF_EACH
    """best_of_each: an answer's best dense and best keyword score over its passages,
    combined; best_passage: its best passage by the combined score."""
    min_score: float | None = None
    """Answer only when the best answer scores at least this; None: the mode's default."""
    related_margin: float = 0.15
    """Answers after the first are shown only within this much of the first's score."""
    depth: int = 100
    """Passages taken from each of the dense and keyword searches before fusion."""
    rrf_k: int = 60
    reload_interval: float = 1.0
    """Seconds between two looks at a scope's CURRENT pointer."""
    max_excerpt_chars: int = 600
    mode_min_scores: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MIN_SCORES))

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown retrieval mode {self.mode!r}; use one of {MODES}")
        if self.fusion not in (WEIGHTED, RRF):
            raise ValueError(f"unknown fusion {self.fusion!r}; use {WEIGHTED!r} or {RRF!r}")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must be between 0 and 1")

    @property
    def threshold(self) -> float:
        """The score the best answer needs for the bot to answer at all."""
        if self.min_score is not None:
            return self.min_score
        return self.mode_min_scores[self.mode]
