"""The evaluation set and the floors the checker must keep on it (overall and holdout)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.errors import TriagebotError
from bot.paths import redflag_sets_dir
from bot.redflags import Level, RedFlagChecker, RuleSet
from bot.redflags.evaluation import (
    EvalExample,
    evaluate,
    format_report,
    length_target_failures,
    load_examples,
    target_failures,
)

EXAMPLES = load_examples(redflag_sets_dir() / "tuned" / "redflags.jsonl")


@pytest.fixture(scope="module")
def result(checker: RedFlagChecker) -> dict[str, Any]:
    return evaluate(checker, EXAMPLES)


def test_the_set_is_large_varied_and_split() -> None:
    levels = Counter(example.expected_level for example in EXAMPLES)
    contexts = Counter(example.context for example in EXAMPLES)
    splits = Counter(example.split for example in EXAMPLES)
    assert len(EXAMPLES) >= 320
    assert levels[Level.EMERGENCY] >= 110
    assert levels[Level.URGENT] >= 40 and levels[Level.SOON] >= 20
    for context in (
        "negated",
        "hypothetical",
        "educational",
        "historical",
        "third_person",
        "lookalike",
    ):
        assert contexts[context] >= 15, context
    assert splits["tune"] >= 150 and splits["holdout"] >= 150


def test_the_set_does_not_copy_the_rules_own_examples(rules: RuleSet) -> None:
    own = {
        text.casefold()
        for rule in rules
        for text in (*rule.must_catch, *rule.third_person, *(e.text for e in rule.must_not_catch))
    }
    copied = [e.text for e in EXAMPLES if e.text.casefold() in own]
    assert not copied


def test_every_expected_rule_exists(rules: RuleSet) -> None:
    ids = {rule.id for rule in rules}
    assert {e.rule for e in EXAMPLES if e.rule} <= ids


def test_the_targets_hold_overall_and_on_the_holdout(result: dict[str, Any]) -> None:
    assert target_failures(result) == [], format_report(result)
    for block in (result["overall"], result["splits"]["holdout"]):
        assert block["per_level"]["emergency"]["sensitivity"] >= 0.98
        assert block["any_flag"]["sensitivity"] >= 0.95
        assert block["false_alarm"]["share"] <= 0.05
        assert block["critical_misses"] == []


def test_figures_count_a_catch_when_the_level_is_at_least_the_expected_one() -> None:
    class FixedChecker:
        detectors = ()

        def __init__(self, level: Level) -> None:
            self.level = level

        def check(self, text: str, emergency_number: str | None = None):  # type: ignore[no-untyped-def]
            from bot.redflags import RedFlagReport

            return RedFlagReport(self.level, (), None if self.level is Level.NONE else "x")

    examples = [
        EvalExample("a", Level.URGENT, None, "positive", "tune"),
        EvalExample("b", Level.NONE, None, "lookalike", "holdout"),
    ]
    figures = evaluate(FixedChecker(Level.EMERGENCY), examples)  # type: ignore[arg-type]
    overall = figures["overall"]
    assert overall["per_level"]["urgent"]["sensitivity"] == 1.0
    assert overall["over_triage"] == 2 and overall["under_triage"] == 0
    assert overall["false_alarm"] == {
        "messages": 1,
        "raised_urgent_or_emergency": 1,
        "share": 1.0,
        "raised_at_all": 1,
    }
    assert figures["splits"]["holdout"]["count"] == 1
    assert "false-alarm share" in format_report(figures)


def test_the_terminal_report_lists_figures_per_split(result: dict[str, Any]) -> None:
    text = format_report(result)
    assert "emergency sensitivity" in text and "holdout" in text
    assert "floor targets met" in text


def test_the_by_length_targets_name_each_figure_a_set_misses() -> None:
    buckets = {
        "short": {"emergency_reaches_emergency": 0.9333, "suicidal_ideation_caught": 1.0},
        "long": {
            "ordinary_asked": 0.15,
            "ordinary_urgent_or_emergency": 0.0513,
            "suicidal_ideation_caught": None,
        },
    }

    assert length_target_failures(buckets) == [
        "short: emergency reaches emergency 0.933 < 0.97",
        "long: ordinary urgent or emergency 0.051 > 0.05",
    ]
    assert length_target_failures({}) == []


def test_the_result_is_json_serialisable(result: dict[str, Any]) -> None:
    assert json.loads(json.dumps(result))["examples"] == len(EXAMPLES)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("not json", "not valid JSON"),
        (
            '{"text": "x", "expected_level": "soonish", "context": "positive", "split": "tune"}',
            "unknown level",
        ),
        (
            '{"text": "x", "expected_level": "none", "context": "odd", "split": "tune"}',
            "context must be",
        ),
        (
            '{"text": "x", "expected_level": "none", "context": "benign", "split": "train"}',
            "split must be",
        ),
    ],
)
def test_a_broken_evaluation_line_is_reported_with_file_and_line(
    tmp_path: Path, line: str, error: str
) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"text": "ok", "expected_level": "none", "context": "benign", "split": "tune"}\n'
        + line
        + "\n"
    )
    with pytest.raises(TriagebotError, match=rf"^{path}:2: .*{error}"):
        load_examples(path)
