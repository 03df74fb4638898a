"""How search ranks and when it is confident enough to answer."""

from __future__ import annotations

from dataclasses import dataclass

HYBRID = "hybrid"
DENSE = "dense"
KEYWORD = "keyword"
MODES = (HYBRID, DENSE, KEYWORD)

WEIGHTED = "weighted"
RRF = "rrf"


@dataclass(frozen=True)
class RetrievalConfig:
    """Ranking and confidence settings; the defaults are the tuned ones."""

    mode: str = HYBRID
    """hybrid (dense + keyword), dense alone or keyword (BM25) alone."""
    fusion: str = WEIGHTED
    """weighted (a weighted sum of comparable scores) or rrf (reciprocal rank fusion)."""
    dense_weight: float = 0.7
    """Share of the dense score in the hybrid score; the rest is the keyword score.
    On the tune split 0.55-0.7 rank alike (0.5 and 0.8+ a little worse) and 0.7 separates
    in-scope from out-of-scope questions best, so the threshold has the most room."""
    second_passage_weight: float = 0.25
    """How an answer's passage scores make its score: (best + w * second best) / (1 + w).
    An answer whose title, question and a paragraph all match the question beats one
    with a single lucky passage; with 0, the best passage alone counts. The division
    keeps scores on the passages' scale (an answer with one passage scores that one).
    Chosen on the tune split: 0.2-0.4 all rank better than 0 for BM25, dense and the
    hybrid, and so does the synthetic check (each answer's own question, its passage
    left out, as the query)."""
    min_score: float | None = None
    """A fixed cut-off on the decision score instead of each build's own (decision.py)."""
    related_margin: float = 0.15
    """Answers after the first are shown only within this much of the first's score.
    On the tune split 0.1 serves the in-scope questions as well, with fewer answers shown
    (1.6 a question instead of 1.9); 0.15 is kept as the safer side for new questions."""
    depth: int = 100
    """Passages taken from each of the dense and keyword searches before fusion."""
    rrf_k: int = 60
    reload_interval: float = 1.0
    """Seconds between two looks at a scope's CURRENT pointer."""
    max_excerpt_chars: int = 600

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown retrieval mode {self.mode!r}; use one of {MODES}")
        if self.fusion not in (WEIGHTED, RRF):
            raise ValueError(f"unknown fusion {self.fusion!r}; use {WEIGHTED!r} or {RRF!r}")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must be between 0 and 1")
        if self.second_passage_weight < 0.0:
            raise ValueError("second_passage_weight must not be negative")
