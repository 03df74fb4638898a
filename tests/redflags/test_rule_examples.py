"""Every rule's own examples: what it must raise, what it must not, and who it addresses.

One test per example, so a failing phrasing is named in the test id.
"""

from __future__ import annotations

import pytest

from bot.redflags import RedFlagChecker, RedFlagReport, Rule, load_rules

RULES = load_rules()
REQUIRED_KINDS = ("negated", "hypothetical", "historical")


def _raised_or_superseded(rule: Rule, report: RedFlagReport) -> bool:
    """The rule fired, or a more specific rule that supersedes it fired instead."""
    raised = {flag.id for flag in report.flags}
    return rule.id in raised or bool(raised & set(rule.superseded_by))


def _cases(field: str) -> list[pytest.param]:
    cases = []
    for rule in RULES:
        examples = getattr(rule, field)
        for number, example in enumerate(examples, start=1):
            cases.append(pytest.param(rule, example, id=f"{rule.id}-{number}"))
    return cases


@pytest.mark.parametrize(("rule", "text"), _cases("must_catch"))
def test_rule_raises_its_must_catch_phrasing(
    checker: RedFlagChecker, rule: Rule, text: str
) -> None:
    report = checker.check(text)
    assert _raised_or_superseded(rule, report), f"{rule.id} not raised for {text!r}"
    assert report.level >= rule.level


@pytest.mark.parametrize(("rule", "text"), _cases("third_person"))
def test_rule_raises_third_person_phrasing_and_addresses_the_helper(
    checker: RedFlagChecker, rule: Rule, text: str
) -> None:
    report = checker.check(text)
    assert _raised_or_superseded(rule, report)
    assert report.about_someone_else, f"not recognised as about someone else: {text!r}"


@pytest.mark.parametrize(("rule", "example"), _cases("must_not_catch"))
def test_rule_stays_quiet_on_its_must_not_catch_phrasing(
    checker: RedFlagChecker, rule: Rule, example
) -> None:  # type: ignore[no-untyped-def]
    report = checker.check(example.text)
    raised = [flag.id for flag in report.flags]
    assert rule.id not in raised, f"{rule.id} raised for {example.kind} {example.text!r}"


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda rule: rule.id)
def test_every_rule_has_positive_negated_hypothetical_historical_and_third_person_phrasings(
    rule: Rule,
) -> None:
    kinds = {example.kind for example in rule.must_not_catch}
    missing = [kind for kind in REQUIRED_KINDS if kind not in kinds]
    assert not missing, f"{rule.id} has no must_not_catch example of kind {missing}"
    assert len(rule.must_catch) >= 5
    assert rule.third_person, f"{rule.id} has no third_person example"


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda rule: rule.id)
def test_every_rule_names_its_guidance_and_a_plain_referral(rule: Rule) -> None:
    assert rule.guidance
    assert rule.title[0].isupper()
    if rule.level.value == "emergency":
        assert "{emergency_number}" in rule.referral


def test_the_rules_file_is_versioned_and_reviewed() -> None:
    assert RULES.version
    assert RULES.reviewed[:2] == "20"


def test_the_rules_cover_the_required_conditions() -> None:
    ids = {rule.id for rule in RULES}
    required = {
        "cauda-equina", "bilateral-leg-weakness", "foot-drop", "spinal-fracture-trauma",
        "spinal-fracture-fragility", "spinal-infection", "spinal-cancer", "night-pain",
        "inflammatory-back-pain", "aortic-aneurysm", "exertional-chest-pain",
        "exercise-collapse", "stroke", "concussion-red-flags", "concussion", "rhabdomyolysis",
        "compartment-syndrome", "dvt", "pulmonary-embolism", "septic-joint",
        "achilles-rupture", "distal-biceps-rupture", "cervical-myelopathy",
        "arm-nerve-symptoms", "persistent-pain", "suicide-self-harm",
    }  # fmt: skip
    assert required <= ids, f"missing rules: {sorted(required - ids)}"
