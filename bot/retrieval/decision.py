"""When search is confident enough to answer: a decision score kept apart from the ranking.

The ranking score (fusion.py) weighs keywords, rewards an answer several of whose passages
match, and can be replaced by rank fusion; none of that should move the cut-off. The
decision score of an answer is 0.8 times the cosine of its closest passage plus 0.2 times
its keyword share (dense alone: the cosine; BM25 alone: its own score).

Why one cut-off for every corpus, and not one calibrated per corpus: measured on the
starter corpus (with its `also_asked` phrasings, without them, and without any question
field) and on a 66-answer community corpus with no phrasings, the closest-passage cosine
of in-scope questions sits at the same height in all four (tenth percentile 0.52-0.60),
while the hybrid ranking score of the community corpus sits about 0.1 lower: the old
cut-off on the ranking score is what declined its questions. A cut-off set per build from
off-topic probes was tried and moved the wrong way there: the shipped probes scored lower
against the community corpus (median cosine 0.27 against 0.35) while its real
out-of-scope questions, long stories in the members' own words, scored higher, and on
first sight it declined 46% of them. At 0.43 on this decision score the four corpora
answer 0.87-0.97 of in-scope questions with a relevant answer in the top three and
decline 0.85-0.90 of out-of-scope ones.

Each build records the cut-off it was made for in its manifest (a build keeps its own even
when a later version ships another), with a check: the share of the shipped off-topic
probes (`probes.txt`) it declines. `index rebuild` warns when that share is low: the
corpus then answers questions it should not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from bot.retrieval.config import DENSE, HYBRID, KEYWORD, RetrievalConfig
from bot.retrieval.manifest import BuildManifest

if TYPE_CHECKING:
    # fusion imports the loader, which imports this module.
    from bot.retrieval.fusion import AnswerMatch

KEYWORD_WEIGHT = 0.2
THRESHOLDS = {HYBRID: 0.43, DENSE: 0.50, KEYWORD: 0.1615}
"""Chosen on the four corpora above: hybrid and dense as the cut-off whose worse margin to
the targets (in-scope answered 0.85, out-of-scope declined 0.80) is largest; BM25 alone (a
baseline) on the starter evaluation set's tune split."""
PROBES_DECLINED_CHECK = 0.9
"""`index rebuild` warns when a build declines fewer of the off-topic probes than this."""
FEW_PHRASINGS = 0.25
"""`index rebuild` warns below this share of answers with `also_asked` phrasings."""


@dataclass(frozen=True)
class Decision:
    """A build's answer/decline cut-off on the decision score, and its probe check."""

    threshold: float
    keyword_weight: float
    probes: int
    probes_declined: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> Decision | None:
        """The recorded decision, or None for a build made before builds recorded one."""
        if not isinstance(data, dict) or "threshold" not in data:
            return None
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def probes_answered_often(self) -> bool:
        return self.probes > 0 and self.probes_declined < PROBES_DECLINED_CHECK


def decision_score(match: AnswerMatch, mode: str) -> float:
    """How sure search is of an answer: see the module."""
    if mode == KEYWORD:
        return match.best_keyword
    if mode == DENSE:
        return match.closest
    return (1.0 - KEYWORD_WEIGHT) * match.closest + KEYWORD_WEIGHT * match.best_keyword


def threshold_for(config: RetrievalConfig, decision: Decision | None) -> float:
    """The decision score an answer of a build with `decision` needs to be shown."""
    if config.min_score is not None:
        return config.min_score
    if config.mode == HYBRID and decision is not None:
        return decision.threshold
    return THRESHOLDS[config.mode]


@cache
def probe_questions() -> tuple[str, ...]:
    """The shipped off-topic probes, one per line of probes.txt."""
    text = resources.files("bot.retrieval").joinpath("probes.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def few_phrasings(answers_with_phrasings: int, answers: int) -> bool:
    """Whether a corpus has so few `also_asked` phrasings that rebuilds should say so."""
    return answers > 0 and answers_with_phrasings / answers < FEW_PHRASINGS


def build_warnings(manifest: BuildManifest) -> list[str]:
    """What an operator should know about a new build (empty when all is well)."""
    return [w for w in (phrasings_warning(manifest), probes_warning(manifest)) if w]


def probes_warning(manifest: BuildManifest) -> str | None:
    """A warning when the build answers many of the shipped off-topic probes."""
    found = Decision.from_dict(manifest.decision)
    if found is None or not found.probes_answered_often:
        return None
    return (
        f"'{manifest.scope}' answers {1 - found.probes_declined:.0%} of the "
        f"{found.probes} off-topic probe questions (cooking, kit, nutrition...); members' "
        "off-topic questions may get answers that do not fit"
    )


def phrasings_warning(manifest: BuildManifest) -> str | None:
    """A warning when few answers have `also_asked` phrasings (None when enough do)."""
    answers = manifest.answer_count
    with_phrasings = manifest.counts.get("with_phrasings", 0)
    if not few_phrasings(with_phrasings, answers):
        return None
    return (
        f"only {with_phrasings} of {answers} answers in '{manifest.scope}' have "
        "`also_asked` phrasings; questions worded unlike the answers are found less "
        "reliably (add the ways members ask to the answers' `also_asked`)"
    )
