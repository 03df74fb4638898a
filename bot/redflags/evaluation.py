"""Evaluating the red-flag check on labelled sets of messages.

A set is a .jsonl file (or a folder of them) with one JSON object per line::

    {"text": "...", "expected_level": "emergency|urgent|soon|none", "rule": "id or null",
     "context": "positive|negated|hypothetical|educational|historical|third_person|
                 lookalike|figurative|benign",
     "split": "tune|holdout",        # optional (holdout)
     "evidence": "the words that carry the sign"}   # optional; training uses it

The sets live outside the package, in the repository's `eval/redflags/`: `first-sight/` holds
sets written before a change and never tuned on (the honest measure), `seen/` sets measured
once and then looked at (regression sets not yet trained on: they join `tuned/` at the next
`make train`), `tuned/` every set that has been tuned or trained on (regression sets).

A message counts as caught at a level when the report's level is at least the expected
one. Figures are computed for the whole set and per split: sensitivity and specificity
per level, any-flag sensitivity, under- and over-triage, per-context figures, and the
false-alarm share: benign, negated, hypothetical, educational, historical, look-alike and
figurative messages (expected none) raised to urgent or emergency. By length bucket (short
under 300 characters, long from 300) come the figures that count screening questions too:
serious messages referred or asked about, ordinary ones asked about.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import TriagebotError
from bot.paths import redflag_sets_dir
from bot.redflags.checker import RedFlagChecker
from bot.redflags.detectors import LONG_MESSAGE
from bot.redflags.report import Level, RedFlagReport

CONTEXTS = (
    "positive",
    "third_person",
    "negated",
    "hypothetical",
    "educational",
    "historical",
    "lookalike",
    "figurative",
    "benign",
)
SPLITS = ("tune", "holdout")
RAISED_LEVELS = (Level.EMERGENCY, Level.URGENT, Level.SOON)
# Contexts whose messages describe no current red flag of the member's own.
NON_POSITIVE_CONTEXTS = (
    "negated",
    "hypothetical",
    "educational",
    "historical",
    "lookalike",
    "figurative",
    "benign",
)
# Emergency rules that may never be missed (the targets of the evaluation test).
CRITICAL_RULES = ("cauda-equina", "stroke", "exertional-chest-pain", "concussion-red-flags")
TARGETS = {
    "emergency_sensitivity": 0.98,
    "any_flag_sensitivity": 0.95,
    "false_alarm_share": 0.05,
}
# The targets the check is held to by length, with screening questions counted (issue 11):
# (bucket, figure, at least, bound).
LENGTH_TARGETS = (
    ("short", "emergency_reaches_emergency", True, 0.97),
    ("short", "any_flag_or_question", True, 0.95),
    ("short", "ordinary_urgent_or_emergency", False, 0.05),
    ("long", "serious_referred_or_asked", True, 0.90),
    ("long", "emergency_reaches_emergency", True, 0.80),
    ("long", "ordinary_urgent_or_emergency", False, 0.05),
    ("long", "ordinary_asked", False, 0.15),
    ("short", "suicidal_ideation_caught", True, 1.0),
    ("long", "suicidal_ideation_caught", True, 1.0),
)


@dataclass(frozen=True)
class EvalExample:
    text: str
    expected_level: Level
    rule: str | None
    context: str
    split: str = "holdout"
    evidence: str | None = None
    source: str = ""

    @property
    def long(self) -> bool:
        return len(self.text) >= LONG_MESSAGE


def default_examples_path() -> Path:
    """The first-sight sets: written before a change, never tuned on."""
    return redflag_sets_dir() / "first-sight"


def load_examples(path: Path | str | None = None) -> list[EvalExample]:
    """The labelled messages of a .jsonl file or a folder of them (default: first sight)."""
    source = Path(path) if path is not None else default_examples_path()
    if source.is_dir():
        files = sorted(source.glob("*.jsonl"))
        if not files:
            raise TriagebotError(f"{source}: no .jsonl sets in this folder")
        return [example for file in files for example in load_examples(file)]
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise TriagebotError(f"{source}: red-flag evaluation set not found") from None
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            raise TriagebotError(f"{where}: not valid JSON ({error.msg})") from None
        examples.append(_example(raw, where, source.name))
    if not examples:
        raise TriagebotError(f"{source}: no examples")
    return examples


def _example(raw: Any, where: str, source: str) -> EvalExample:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise TriagebotError(f"{where}: each line needs a 'text' string")
    try:
        level = Level.parse(str(raw.get("expected_level", "")))
    except ValueError as error:
        raise TriagebotError(f"{where}: {error}") from None
    context = raw.get("context")
    if context not in CONTEXTS:
        raise TriagebotError(f"{where}: context must be one of {', '.join(CONTEXTS)}")
    split = raw.get("split", "holdout")
    if split not in SPLITS:
        raise TriagebotError(f"{where}: split must be 'tune' or 'holdout'")
    rule = raw.get("rule")
    if rule is not None and not isinstance(rule, str):
        raise TriagebotError(f"{where}: rule must be a rule id or null")
    evidence = raw.get("evidence")
    if evidence is not None and (not isinstance(evidence, str) or evidence not in raw["text"]):
        raise TriagebotError(f"{where}: evidence must be words quoted exactly from the text")
    return EvalExample(raw["text"], level, rule, context, split, evidence, source)


@dataclass(frozen=True)
class _Outcome:
    example: EvalExample
    report: RedFlagReport

    @property
    def got(self) -> Level:
        return self.report.level

    @property
    def rule_hit(self) -> bool:
        return self.example.rule in {flag.id for flag in self.report.flags}


def evaluate(checker: RedFlagChecker, examples: Sequence[EvalExample]) -> dict[str, Any]:
    """Run every example through `checker`; figures overall, per split, and timings."""
    outcomes: list[_Outcome] = []
    durations: list[float] = []
    for example in examples:
        started = time.perf_counter()
        report = checker.check(example.text)
        durations.append((time.perf_counter() - started) * 1000)
        outcomes.append(_Outcome(example, report))
    result: dict[str, Any] = {
        "examples": len(outcomes),
        "detectors": [detector.name for detector in checker.detectors],
        "overall": _metrics(outcomes),
        "by_length": bucket_figures([(o.example, o.report) for o in outcomes]),
        "splits": {
            split: _metrics([o for o in outcomes if o.example.split == split]) for split in SPLITS
        },
        "timing_ms": {
            "p50": round(statistics.median(durations), 3) if durations else 0.0,
            "p95": round(_percentile(durations, 0.95), 3),
            "max": round(max(durations, default=0.0), 3),
        },
    }
    result["target_failures"] = target_failures(result)
    result["length_target_failures"] = length_target_failures(result["by_length"])
    return result


def _metrics(outcomes: list[_Outcome]) -> dict[str, Any]:
    per_level = {}
    for level in RAISED_LEVELS:
        positives = [o for o in outcomes if o.example.expected_level is level]
        negatives = [o for o in outcomes if o.example.expected_level < level]
        caught = sum(o.got >= level for o in positives)
        cleared = sum(o.got < level for o in negatives)
        per_level[level.value] = {
            "positives": len(positives),
            "caught": caught,
            "sensitivity": _ratio(caught, len(positives)),
            "negatives": len(negatives),
            "cleared": cleared,
            "specificity": _ratio(cleared, len(negatives)),
        }
    flagged = [o for o in outcomes if o.example.expected_level is not Level.NONE]
    flagged_caught = sum(o.got is not Level.NONE for o in flagged)
    quiet = [
        o
        for o in outcomes
        if o.example.context in NON_POSITIVE_CONTEXTS and o.example.expected_level is Level.NONE
    ]
    alarms = [o for o in quiet if o.got >= Level.URGENT]
    with_rule = [o for o in flagged if o.example.rule]
    return {
        "count": len(outcomes),
        "per_level": per_level,
        "any_flag": {
            "positives": len(flagged),
            "caught": flagged_caught,
            "sensitivity": _ratio(flagged_caught, len(flagged)),
        },
        "false_alarm": {
            "messages": len(quiet),
            "raised_urgent_or_emergency": len(alarms),
            "share": _ratio(len(alarms), len(quiet), empty=0.0),
            "raised_at_all": sum(o.got is not Level.NONE for o in quiet),
        },
        "under_triage": sum(o.got < o.example.expected_level for o in outcomes),
        "over_triage": sum(o.got > o.example.expected_level for o in outcomes),
        "exact_level": sum(o.got is o.example.expected_level for o in outcomes),
        "rule_recall": {
            "expected": len(with_rule),
            "raised": sum(o.rule_hit for o in with_rule),
        },
        "per_context": {
            context: _context_metrics([o for o in outcomes if o.example.context == context])
            for context in CONTEXTS
            if any(o.example.context == context for o in outcomes)
        },
        "critical_misses": [
            _row(o)
            for o in outcomes
            if o.example.expected_level is Level.EMERGENCY
            and o.example.rule in CRITICAL_RULES
            and o.got is not Level.EMERGENCY
        ],
        "misses": [_row(o) for o in outcomes if o.got < o.example.expected_level],
        "false_alarms": [_row(o) for o in alarms],
    }


def bucket_figures(rows: Sequence[tuple[EvalExample, RedFlagReport]]) -> dict[str, Any]:
    """The figures that count screening questions too, for short and long messages."""
    result: dict[str, Any] = {}
    for bucket, long in (("short", False), ("long", True)):
        chosen = [(e, r) for e, r in rows if e.long is long]
        if not chosen:
            continue
        emergency = [r for e, r in chosen if e.expected_level is Level.EMERGENCY]
        serious = [r for e, r in chosen if e.expected_level >= Level.URGENT]
        flagged = [r for e, r in chosen if e.expected_level is not Level.NONE]
        ordinary = [r for e, r in chosen if e.expected_level is Level.NONE]
        suicidal = [
            r
            for e, r in chosen
            if e.rule == "suicide-self-harm" and e.expected_level is not Level.NONE
        ]
        result[bucket] = {
            "messages": len(chosen),
            "emergency_reaches_emergency": _ratio(
                sum(r.level is Level.EMERGENCY for r in emergency), len(emergency)
            ),
            "serious_referred_or_asked": _ratio(
                sum(r.level >= Level.URGENT or bool(r.confirm) for r in serious), len(serious)
            ),
            "any_flag_or_question": _ratio(
                sum(r.level is not Level.NONE or bool(r.confirm) for r in flagged), len(flagged)
            ),
            "ordinary_urgent_or_emergency": _ratio(
                sum(r.level >= Level.URGENT for r in ordinary), len(ordinary)
            ),
            "ordinary_asked": _ratio(
                sum(bool(r.confirm) and r.level < Level.URGENT for r in ordinary), len(ordinary)
            ),
            "suicidal_ideation_referred": _ratio(
                sum(r.level is Level.EMERGENCY for r in suicidal), len(suicidal)
            ),
            "suicidal_ideation_caught": _ratio(
                sum(r.level is Level.EMERGENCY or bool(r.confirm) for r in suicidal),
                len(suicidal),
            ),
        }
    return result


def _context_metrics(outcomes: list[_Outcome]) -> dict[str, Any]:
    expected_raised = [o for o in outcomes if o.example.expected_level is not Level.NONE]
    return {
        "count": len(outcomes),
        "exact_level": sum(o.got is o.example.expected_level for o in outcomes),
        "under_triage": sum(o.got < o.example.expected_level for o in outcomes),
        "over_triage": sum(o.got > o.example.expected_level for o in outcomes),
        "sensitivity": _ratio(
            sum(o.got >= o.example.expected_level for o in expected_raised), len(expected_raised)
        ),
        "raised_urgent_or_emergency": sum(
            o.got >= Level.URGENT for o in outcomes if o.example.expected_level is Level.NONE
        ),
    }


def target_failures(result: dict[str, Any]) -> list[str]:
    """Which targets are not met, overall and on the holdout split (empty: all met)."""
    failures = []
    for name, metrics in (("overall", result["overall"]), ("holdout", result["splits"]["holdout"])):
        emergency = metrics["per_level"]["emergency"]["sensitivity"]
        any_flag = metrics["any_flag"]["sensitivity"]
        alarms = metrics["false_alarm"]["share"]
        if emergency is not None and emergency < TARGETS["emergency_sensitivity"]:
            failures.append(f"{name}: emergency sensitivity {emergency:.3f} < 0.98")
        if any_flag is not None and any_flag < TARGETS["any_flag_sensitivity"]:
            failures.append(f"{name}: any-flag sensitivity {any_flag:.3f} < 0.95")
        if alarms is not None and alarms > TARGETS["false_alarm_share"]:
            failures.append(f"{name}: false-alarm share {alarms:.3f} > 0.05")
        for row in metrics["critical_misses"]:
            failures.append(f"{name}: missed {row['rule']} emergency: {row['text']!r}")
    return failures


def length_target_failures(buckets: dict[str, Any]) -> list[str]:
    """Which of the by-length targets (LENGTH_TARGETS) a set misses (empty: all met)."""
    failures = []
    for bucket, key, at_least, bound in LENGTH_TARGETS:
        value = buckets.get(bucket, {}).get(key)
        if value is None:
            continue
        if (value < bound) if at_least else (value > bound):
            sign = "<" if at_least else ">"
            failures.append(f"{bucket}: {key.replace('_', ' ')} {value:.3f} {sign} {bound:.2f}")
    return failures


def format_report(result: dict[str, Any]) -> str:
    """A terminal summary: one block per split, then the misses and false alarms."""
    lines = [
        f"Red-flag evaluation: {result['examples']} messages"
        f" (detectors: {', '.join(result['detectors'])});"
        f" p50 {result['timing_ms']['p50']:.2f} ms,"
        f" p95 {result['timing_ms']['p95']:.2f} ms per check",
        "",
        f"{'':22}{'all':>10}{'tune':>10}{'holdout':>10}",
    ]
    blocks = [result["overall"], result["splits"]["tune"], result["splits"]["holdout"]]

    def row(label: str, values: Iterable[str]) -> None:
        lines.append(f"{label:22}" + "".join(f"{v:>10}" for v in values))

    row("messages", (str(b["count"]) for b in blocks))
    for level in RAISED_LEVELS:
        key = level.value
        row(f"{key} sensitivity", (_fmt(b["per_level"][key]["sensitivity"]) for b in blocks))
        row(f"{key} specificity", (_fmt(b["per_level"][key]["specificity"]) for b in blocks))
    row("any-flag sensitivity", (_fmt(b["any_flag"]["sensitivity"]) for b in blocks))
    row("false-alarm share", (_fmt(b["false_alarm"]["share"]) for b in blocks))
    row("under-triage", (str(b["under_triage"]) for b in blocks))
    row("over-triage", (str(b["over_triage"]) for b in blocks))
    row("exact level", (str(b["exact_level"]) for b in blocks))
    lines.append("")
    lines.append("per context (all): count / exact / under / over")
    for context, figures in result["overall"]["per_context"].items():
        lines.append(
            f"  {context:14}{figures['count']:>5}{figures['exact_level']:>6}"
            f"{figures['under_triage']:>6}{figures['over_triage']:>6}"
        )
    lines.append("")
    lines.extend(_format_buckets(result["by_length"]))
    by_length = result.get("length_target_failures") or []
    lines.append("by-length targets met" if not by_length else "BY-LENGTH TARGETS NOT MET:")
    lines.extend(f"  {failure}" for failure in by_length)
    misses = result["overall"]["misses"]
    lines.append("")
    lines.append(f"misses (report below expected): {len(misses)}")
    for miss in misses:
        lines.append(
            f"  [{miss['split']}] expected {miss['expected']}, got {miss['got']}: {miss['text']}"
        )
    alarms = result["overall"]["false_alarms"]
    quiet = "/".join(NON_POSITIVE_CONTEXTS)
    lines.append(f"false alarms (urgent or emergency on a {quiet} message): {len(alarms)}")
    for alarm in alarms:
        flags = ", ".join(alarm["flags"])
        lines.append(f"  [{alarm['split']}] got {alarm['got']} ({flags}): {alarm['text']}")
    failures = result.get("target_failures") or []
    lines.append("")
    lines.append("floor targets met" if not failures else "FLOOR TARGETS NOT MET:")
    lines.extend(f"  {failure}" for failure in failures)
    return "\n".join(lines)


_BUCKET_ROWS = (
    ("emergency_reaches_emergency", "emergency -> emergency"),
    ("serious_referred_or_asked", "urgent+ referred/asked"),
    ("any_flag_or_question", "any flag or question"),
    ("ordinary_urgent_or_emergency", "ordinary: urgent+"),
    ("ordinary_asked", "ordinary: asked"),
    ("suicidal_ideation_referred", "suicidal: referred"),
    ("suicidal_ideation_caught", "suicidal: ref./asked"),
)


def _format_buckets(buckets: dict[str, Any]) -> list[str]:
    names = [name for name in ("short", "long") if name in buckets]
    lines = [f"{'by length':24}" + "".join(f"{name:>10}" for name in names)]
    lines.append(f"{'messages':24}" + "".join(f"{buckets[n]['messages']:>10}" for n in names))
    for key, label in _BUCKET_ROWS:
        lines.append(f"{label:24}" + "".join(f"{_fmt(buckets[n][key]):>10}" for n in names))
    return lines


def _row(outcome: _Outcome) -> dict[str, Any]:
    return {
        "text": outcome.example.text,
        "expected": outcome.example.expected_level.value,
        "got": outcome.got.value,
        "rule": outcome.example.rule,
        "context": outcome.example.context,
        "split": outcome.example.split,
        "flags": [flag.id for flag in outcome.report.flags],
    }


def _ratio(part: int, whole: int, empty: float | None = None) -> float | None:
    return round(part / whole, 4) if whole else empty


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
