"""Choosing the learned detector's thresholds on the development split (`make train`).

Every development message is read once by each detector: the pattern detector's hits and
the learned detector's unit probabilities are kept, and the checker's combination (a pure
function of the hits) is replayed for every candidate set of thresholds. Short messages and
long posts get a set each. The chosen set is the one that catches most while the ordinary
messages stay within the budgets below, which are tighter than the targets so that a new
set has room.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.redflags.checker import RedFlagChecker, capped
from bot.redflags.detectors import Findings, Message
from bot.redflags.detectors.learned import LearnedDetector, Thresholds, UnitClassifier
from bot.redflags.detectors.patterns import PatternDetector
from bot.redflags.evaluation import EvalExample, bucket_figures
from bot.redflags.report import RedFlagReport, SafetyNetList
from bot.redflags.rules import RuleSet
from bot.redflags.units import Unit

# Budgets on ordinary development messages (the targets are 5% and 15%). The question
# budget was 10% until the retraining on sets B and C: that model cannot keep long ordinary
# posts under 2.5% alarms and 10% questions at once on its development split (at best 2.2%
# and 11.5%), and a calibration that keeps no budget falls back to the strictest thresholds.
MAX_ALARMS = 0.03
MAX_QUESTIONS_ON_ORDINARY_LONG = 0.125
# Short messages have no target for questions; this keeps ordinary chat from being quizzed
# now that short messages get thresholds of their own.
MAX_QUESTIONS_ON_ORDINARY_SHORT = 0.08
GRID = {
    "refer_emergency": (0.6, 0.7, 0.8, 0.9, 0.95, 0.98),
    "ask_emergency": (0.3, 0.5, 0.7, 0.85, 0.95),
    "refer_urgent": (0.6, 0.7, 0.8, 0.9, 0.95, 0.98),
    "ask_urgent": (0.3, 0.5, 0.7, 0.85, 0.95),
    "refer_soon": (0.6, 0.75, 0.9, 0.98),
    # Self-harm is referred at 0.8 or below, whatever the development split says. Left free,
    # the calibration after set M chose 0.95, and on first-sight sets N and O one suicidal
    # message in six was then asked about instead of referred; a member thinking of suicide
    # should get the crisis referral. Keeping it costs alarms, hence the 3% alarm budget.
    "refer_self_harm": (0.5, 0.7, 0.8),
    # A self-harm question is asked at 0.5 or below, whatever the development split says:
    # its messages are few, and on them 0.7 and 0.5 tie while first-sight sets missed
    # indirect ideation (giving things away, a plan told to a parent) scored 0.52 to 0.62.
    "ask_self_harm": (0.1, 0.2, 0.3, 0.5),
    "clear_emergency": (0.0, 0.02, 0.05, 0.1, 0.2, 0.3),
    "clear_urgent": (0.0, 0.05, 0.1, 0.2, 0.3, 0.5),
}


@dataclass(frozen=True)
class _Scored:
    labelled: EvalExample
    message: Message
    patterns: Findings
    units: list[Unit]
    probabilities: np.ndarray
    safety_net: tuple[SafetyNetList, ...]
    """The message's own safety-net lists: they decide some questions (see the checker)."""


def score_messages(
    checker: RedFlagChecker, messages: Sequence[EvalExample], classifier: UnitClassifier
) -> tuple[LearnedDetector, list[_Scored]]:
    patterns = PatternDetector(checker.rules)
    learned = LearnedDetector(checker.rules, classifier)
    scored = []
    for labelled in messages:
        message = Message.of(capped(labelled.text))
        units, probabilities = learned.unit_probabilities(message)
        found = patterns.detect(message)
        net = checker.safety_net(labelled.text)
        scored.append(_Scored(labelled, message, found, units, probabilities, net))
    return learned, scored


def replay(
    checker: RedFlagChecker,
    learned: LearnedDetector,
    scored: Sequence[_Scored],
    thresholds: Thresholds,
) -> list[tuple[EvalExample, RedFlagReport]]:
    return [
        (
            s.labelled,
            checker.combine(
                s.message,
                [s.patterns, learned.findings(s.message, s.units, s.probabilities, thresholds)],
                safety_net=s.safety_net,
            ),
        )
        for s in scored
    ]


ASKED = ("emergency", "urgent", "self_harm")


def _overrun(result: dict[str, Any]) -> float:
    """How far the figures go over the budgets (0 when every budget is kept)."""
    short, long = result.get("short", {}), result.get("long", {})
    return sum(
        max(0.0, (figures.get(name) or 0) - budget)
        for figures, name, budget in (
            (short, "ordinary_urgent_or_emergency", MAX_ALARMS),
            (long, "ordinary_urgent_or_emergency", MAX_ALARMS),
            (long, "ordinary_asked", MAX_QUESTIONS_ON_ORDINARY_LONG),
            (short, "ordinary_asked", MAX_QUESTIONS_ON_ORDINARY_SHORT),
        )
    )


def _objective(result: dict[str, Any]) -> tuple[float, float]:
    """What a set of thresholds is worth: first the least over budget, then the most caught.

    Ordering by overrun first lets the ascent walk into the budgets from the strictest
    setting when even that breaks one (the long posts of the development split did, once
    calibrated apart from the short messages).
    """
    short, long = result.get("short", {}), result.get("long", {})
    worth = (
        2 * (long.get("serious_referred_or_asked") or 0)
        + (long.get("emergency_reaches_emergency") or 0)
        + (short.get("emergency_reaches_emergency") or 0)
        + (short.get("any_flag_or_question") or 0)
        + (short.get("suicidal_ideation_caught") or 0)
        + (long.get("suicidal_ideation_caught") or 0)
        + (short.get("suicidal_ideation_referred") or 0)
        + (long.get("suicidal_ideation_referred") or 0)
        - (long.get("ordinary_asked") or 0)
        - (short.get("ordinary_asked") or 0)
    )
    return (-round(_overrun(result), 9), worth)


def calibrate(
    rules: RuleSet, development: Sequence[EvalExample]
) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """The best thresholds for short and for long development messages, and their figures.

    Each length is calibrated on its own messages (`LengthThresholds`): the budgets and the
    objective read one bucket at a time, so the two choices do not trade against each other.
    """
    checker = RedFlagChecker(rules)
    learned, scored = score_messages(checker, development, UnitClassifier())
    chosen: dict[str, dict[str, float]] = {}
    figures: dict[str, Any] = {}
    for bucket, long in (("short", False), ("long", True)):
        subset = [s for s in scored if s.labelled.long is long]
        chosen[bucket], result = _ascend(checker, learned, subset)
        figures.update(result)
    return chosen, figures


def _ascend(
    checker: RedFlagChecker, learned: LearnedDetector, scored: Sequence[_Scored]
) -> tuple[dict[str, float], dict[str, Any]]:
    """Coordinate ascent over GRID from the strictest setting: each threshold in turn takes
    its best value with the others held, until nothing improves."""

    def value(raw: dict[str, float]) -> tuple[tuple[float, float], dict[str, Any]] | None:
        if any(raw[f"ask_{name}"] > raw[f"refer_{name}"] for name in ASKED):
            return None
        result = bucket_figures(replay(checker, learned, scored, Thresholds.from_dict(raw)))
        return _objective(result), result

    # The strictest thresholds, with the `clear` pair that keeps the budgets best (patterns
    # alone may not: then only the learned detector's disagreement brings their alarms down).
    strictest = {key: max(options) for key, options in GRID.items()}
    current, best = strictest, None
    for emergency, urgent in itertools.product(GRID["clear_emergency"], GRID["clear_urgent"]):
        candidate = {**strictest, "clear_emergency": emergency, "clear_urgent": urgent}
        found = value(candidate)
        if found is not None and (best is None or found[0] > best[0]):
            current, best = candidate, found
    assert best is not None  # the strictest setting never asks more than it refers
    improved = True
    while improved:
        improved = False
        for key, options in GRID.items():
            for option in options:
                candidate = {**current, key: option}
                found = value(candidate)
                if found is not None and _better(found[0], best[0]):
                    current, best, improved = candidate, found, True
    if best[0][0] < 0:
        print("no thresholds keep every budget; keeping the least over", file=sys.stderr)
    return current, best[1]


def _better(new: tuple[float, float], old: tuple[float, float]) -> bool:
    return new[0] > old[0] or (new[0] == old[0] and new[1] > old[1] + 1e-9)
