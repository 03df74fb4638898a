"""Experiment: would a learned safety net beside the red-flag patterns catch more on fresh text?

Run from the repository root:

    .venv/bin/python -m tests.benchmarks.redflags_safety_net --held-out redflags-blind-6.jsonl

Every labelled message in corpus/eval/redflags*.jsonl except the held-out set trains two
logistic regressions on sentence embeddings (the packaged MiniLM; the whole message and the
element-wise maximum over its sentences): "raises any flag" and "is an emergency". The
held-out set is then checked by the patterns alone and by the patterns with the net, which
lifts a message to emergency when the emergency model's probability reaches the threshold,
or else to urgent when the any-flag model's does. The "veto" variant lifts nothing where the
patterns, read without their context rules, see a concern at urgent or above that their
context rules then set aside: a message the patterns understood as negated, hypothetical,
resolved or a look-alike ("clashed heads ... no headache, no dizziness, feel fine") keeps the
patterns' verdict. The figures are only honest for a set the patterns were never tuned on,
measured once.

This is a measurement, not a feature: the checker does not use the net. Nothing is
asserted; the last line is one JSON object.
"""

from __future__ import annotations

import os

os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["HF_HUB_OFFLINE"] = "1"

import argparse
import dataclasses
import json
import re
from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.paths import eval_dir
from bot.redflags import RedFlagChecker
from bot.redflags.context import MatchContext, MessageContext
from bot.redflags.evaluation import EvalExample, evaluate, load_examples
from bot.redflags.report import Level, RedFlagReport
from bot.redflags.text import NormalisedText
from bot.retrieval.encoder import load_encoder

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def features(encode, texts: Sequence[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Whole-message embedding beside the maximum over the message's sentences."""
    whole = encode(list(texts))
    pieces: list[str] = []
    owners: list[int] = []
    for index, text in enumerate(texts):
        sentences = [s for s in _SENTENCE.split(text) if len(s.split()) >= 3] or [text]
        pieces.extend(sentences)
        owners.extend([index] * len(sentences))
    per_sentence = encode(pieces)
    owner = np.array(owners)
    pooled = np.stack([per_sentence[owner == i].max(axis=0) for i in range(len(texts))])
    return np.hstack([whole, pooled])


class _ContextBlind(MessageContext):
    """Every match counts: no negation, what-if, history or look-alike sets one aside."""

    def classify(self, start: int, end: int) -> MatchContext:
        return MatchContext(third_person=super().classify(start, end).third_person)

    def lookalike_applies(self, *args: object, **kwargs: object) -> bool:
        return False


def context_blind_level(patterns: RedFlagChecker, text: str) -> Level:
    """The highest level the patterns would raise if their context rules were switched off."""
    normalised = NormalisedText(text)
    hits = list(patterns.hits(normalised, _ContextBlind(normalised)))
    return max((hit.rule.level for hit in hits), default=Level.NONE)


class NetChecker:
    """The pattern checker, with the learned net lifting its level where it is confident."""

    semantic = None

    def __init__(
        self,
        patterns: RedFlagChecker,
        probabilities: dict[str, tuple[float, float]],
        threshold: float,
        veto: bool = False,
    ) -> None:
        self.patterns = patterns
        self.probabilities = probabilities
        self.threshold = threshold
        self.veto = veto

    def check(self, text: str) -> RedFlagReport:
        report = self.patterns.check(text)
        if self.veto:
            seen = context_blind_level(self.patterns, text)
            if seen >= Level.URGENT and seen > report.level:
                return report  # the patterns understood the message and set the concern aside
        p_any, p_emergency = self.probabilities[text]
        lifted = report.level
        if p_emergency >= self.threshold:
            lifted = Level.EMERGENCY
        elif p_any >= self.threshold and report.level < Level.URGENT:
            lifted = Level.URGENT
        return dataclasses.replace(report, level=max(report.level, lifted))


def summary(result: dict) -> dict[str, float]:  # type: ignore[type-arg]
    overall = result["overall"]
    return {
        "emergency_sensitivity": overall["per_level"]["emergency"]["sensitivity"],
        "any_flag_sensitivity": overall["any_flag"]["sensitivity"],
        "false_alarm_share": overall["false_alarm"]["share"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", required=True, help="A redflags*.jsonl file name.")
    parser.add_argument("--thresholds", default="0.85,0.9", help="Comma-separated.")
    args = parser.parse_args()

    files = sorted(eval_dir().glob("redflags*.jsonl"))
    held_out = [f for f in files if f.name == args.held_out]
    if not held_out:
        raise SystemExit(f"no {args.held_out} in {eval_dir()}")
    training: list[EvalExample] = [e for f in files if f != held_out[0] for e in load_examples(f)]
    testing = load_examples(held_out[0])
    print(f"training on {len(training)} messages, testing on {len(testing)} ({args.held_out})")

    encoder = load_encoder(None)
    x_train = features(encoder.encode, [e.text for e in training])
    x_test = features(encoder.encode, [e.text for e in testing])
    any_flag = np.array([e.expected_level is not Level.NONE for e in training])
    emergency = np.array([e.expected_level is Level.EMERGENCY for e in training])
    models = [
        LogisticRegression(C=2.0, class_weight="balanced", max_iter=3000).fit(x_train, labels)
        for labels in (any_flag, emergency)
    ]
    p_any, p_emergency = (model.predict_proba(x_test)[:, 1] for model in models)
    probabilities = {
        e.text: (float(a), float(m)) for e, a, m in zip(testing, p_any, p_emergency, strict=True)
    }

    patterns = RedFlagChecker.default()
    figures = {"patterns": summary(evaluate(patterns, testing))}
    for threshold in (float(t) for t in args.thresholds.split(",")):
        net = NetChecker(patterns, probabilities, threshold)
        figures[f"patterns+net@{threshold}"] = summary(evaluate(net, testing))  # type: ignore[arg-type]
        vetoed = NetChecker(patterns, probabilities, threshold, veto=True)
        figures[f"patterns+net+veto@{threshold}"] = summary(evaluate(vetoed, testing))  # type: ignore[arg-type]
    for name, row in figures.items():
        print(f"{name:28} " + "  ".join(f"{k} {v:.3f}" for k, v in row.items()))
    print(json.dumps({"held_out": args.held_out, "figures": figures}))


if __name__ == "__main__":
    main()
