"""Safety-netting by topic: a reply about a region with known red flags ends with a short
"get help now if..." list drawn from the catalogue, whatever the member's wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.redflags import RedFlagChecker, RulesError, RuleSet, load_rules

TOPICS = {
    "lower-back": "my lower back is tight after deadlifts, what should I stretch?",
    "neck": "stiff neck from my desk job, any mobility drills?",
    "head": "I get a headache after heavy squat days, is that normal?",
    "chest-and-heart": "my heart rate goes really high on easy runs, should I slow down?",
    "calf-and-leg": "tight calves every time I run, foam roll or stretch?",
    "dark-urine": "how much water should I drink so my pee is a normal colour?",
    "heat": "tips for training outdoors in hot weather?",
    "mood": "my mood has been really low since I got injured",
}


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_a_question_about_a_topic_gets_its_list(checker: RedFlagChecker, topic: str) -> None:
    report = checker.check(TOPICS[topic])

    assert topic in [entry.topic for entry in report.safety_net]


def test_every_sign_is_a_catalogue_concerns_own_line(rules: RuleSet) -> None:
    for topic in rules.safety_net:
        assert topic.signs
        for rule in topic.signs:
            assert rule.sign
            assert len(rule.sign) <= 120, rule.id


def test_the_list_is_the_catalogue_lines_in_the_json(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = checker.check("lower back pain after squats")

    back = next(entry for entry in report.to_dict()["safety_net"] if entry["topic"] == "lower-back")
    expected = next(topic for topic in rules.safety_net if topic.id == "lower-back")
    assert back["signs"] == [rule.sign for rule in expected.signs]
    assert back["title"] == expected.title


def test_an_ordinary_question_elsewhere_gets_no_list(checker: RedFlagChecker) -> None:
    assert checker.check("how many sets of bench press per week for a beginner?").safety_net == ()


def test_tags_of_the_cited_answers_add_their_topic(checker: RedFlagChecker) -> None:
    assert [entry.topic for entry in checker.safety_net("what warm-up?", {"sciatica"})] == [
        "lower-back"
    ]


def test_the_list_does_not_depend_on_a_referral(checker: RedFlagChecker) -> None:
    report = checker.check("my bum is numb and I can't pee since my back went")

    assert report.raised
    assert "lower-back" in [entry.topic for entry in report.safety_net]


def test_a_topic_naming_an_unknown_rule_is_refused(tmp_path: Path) -> None:
    path = _minimal_rules(tmp_path, signs="[no-such-rule]")

    with pytest.raises(RulesError, match="unknown rule 'no-such-rule'"):
        load_rules(path)


def test_a_topic_listing_a_rule_without_a_sign_is_refused(tmp_path: Path) -> None:
    path = _minimal_rules(tmp_path, signs="[cannot-pee]", sign="")

    with pytest.raises(RulesError, match="has no 'sign'"):
        load_rules(path)


def test_an_emergency_rule_without_a_screening_question_is_refused(tmp_path: Path) -> None:
    path = _minimal_rules(tmp_path, signs="[cannot-pee]", screening="")

    with pytest.raises(RulesError, match="needs 'screening'"):
        load_rules(path)


def _minimal_rules(
    folder: Path,
    *,
    signs: str,
    sign: str = "    sign: not able to pee at all\n",
    screening: str = "    screening: Is peeing impossible?\n",
) -> Path:
    path = folder / "rules.yaml"
    path.write_text(
        "version: 1\nreviewed: 2026-12-01\nrules:\n"
        "  - id: cannot-pee\n    level: emergency\n    title: Cannot pass urine\n"
        f"{screening}{sign}"
        "    referral: Call {emergency_number} now.\n    guidance: [made up for a test]\n"
        "    patterns:\n      - any: ['cant pee']\n    must_catch: [a, b, c, d, e]\n"
        "    must_not_catch: [x, y, z]\n"
        f"safety_net:\n  - topic: bladder\n    title: Bladder\n    words: ['pee']\n"
        f"    signs: {signs}\n",
        encoding="utf-8",
    )
    return path
