"""The optional semantic matcher: paraphrases of rule examples, under the same context rules."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from bot.redflags import Level, RedFlagChecker, RuleSet, load_rules
from bot.redflags.semantic import SemanticMatcher


class BagOfWordsEncoder:
    """Deterministic stand-in for a sentence model: hashed word counts; counts its calls."""

    def __init__(self, dimensions: int = 512) -> None:
        self.dimensions = dimensions
        self.calls = 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        matrix = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().replace("'", "").split():
                digest = hashlib.blake2b(word.strip(".,?!").encode(), digest_size=4).digest()
                matrix[row, int.from_bytes(digest, "little") % self.dimensions] += 1.0
        return matrix


@pytest.fixture()
def tiny_rules(tmp_path) -> RuleSet:  # type: ignore[no-untyped-def]
    path = tmp_path / "rules.yaml"
    path.write_text(
        """
version: 1
reviewed: 2025-05-01
rules:
  - id: zebra-sign
    level: urgent
    title: The zebra sign
    referral: See a doctor today.
    guidance: [made up for a test]
    patterns:
      - any: ['\\bzzzz never matches\\b']
    must_catch:
      - striped itchy patches all over my arms
      - striped itchy patches on my legs
      - my skin has striped itchy patches
      - itchy striped patches appeared today
      - striped patches that itch like mad
    must_not_catch:
      - {text: spotted patches that do not itch, kind: negated}
      - {text: what are striped patches, kind: educational}
      - {text: had striped patches years ago, kind: historical}
""",
        encoding="utf-8",
    )
    return load_rules(path)


def test_a_paraphrase_of_a_rule_example_raises_the_rule(tiny_rules: RuleSet) -> None:
    encoder = BagOfWordsEncoder()
    matcher = SemanticMatcher(tiny_rules, encoder, threshold=0.6, margin=0.0)
    checker = RedFlagChecker(tiny_rules, semantic=matcher)
    report = checker.check("I have striped itchy patches on my arms")
    assert report.level is Level.URGENT
    assert report.flags[0].id == "zebra-sign"
    assert "striped itchy patches" in report.flags[0].evidence


def test_the_message_is_embedded_once_per_check(tiny_rules: RuleSet) -> None:
    encoder = BagOfWordsEncoder()
    matcher = SemanticMatcher(tiny_rules, encoder, threshold=0.6, margin=0.0)
    calls_after_setup = encoder.calls
    RedFlagChecker(tiny_rules, semantic=matcher).check("Hi all. Striped itchy patches today. Help?")
    assert encoder.calls == calls_after_setup + 1


@pytest.mark.parametrize(
    "text",
    [
        "no striped itchy patches on my arms",
        "what if I get striped itchy patches on my arms?",
        "had striped itchy patches on my arms years ago, fine now",
        "striped itchy patches on my arms? none at all",
    ],
)
def test_context_rules_apply_to_semantic_matches(tiny_rules: RuleSet, text: str) -> None:
    matcher = SemanticMatcher(tiny_rules, BagOfWordsEncoder(), threshold=0.6, margin=0.0)
    assert RedFlagChecker(tiny_rules, semantic=matcher).check(text).level is Level.NONE


def test_below_the_threshold_nothing_is_raised(tiny_rules: RuleSet) -> None:
    matcher = SemanticMatcher(tiny_rules, BagOfWordsEncoder(), threshold=0.99, margin=0.0)
    report = RedFlagChecker(tiny_rules, semantic=matcher).check("patches on my arms, a bit itchy")
    assert report.level is Level.NONE


@pytest.mark.model
def test_real_model_catches_a_paraphrase_but_not_its_negation(rules: RuleSet) -> None:
    matcher = SemanticMatcher.from_model(rules, threshold=0.7)
    checker = RedFlagChecker(rules, semantic=matcher)
    # The patterns now cover "feels like it belongs to someone else"; this wording is left to
    # the model on purpose.
    paraphrase = "Down there feels strangely empty since my back went"
    assert RedFlagChecker(rules).check(paraphrase).level is Level.NONE, "patterns alone miss it"
    caught = checker.check(paraphrase)
    assert caught.level is Level.EMERGENCY
    assert caught.flags[0].id == "cauda-equina"
    negated = checker.check("not numb down there and I can pee fine, back sore")
    assert negated.level is Level.NONE
