"""What a report looks like to the CLI, the triage service and the Discord bot."""

from __future__ import annotations

import dataclasses

import pytest

from bot.redflags import Level, RaisedFlag, RedFlagChecker, RedFlagReport


def test_levels_order_from_none_to_emergency() -> None:
    assert Level.NONE < Level.SOON < Level.URGENT < Level.EMERGENCY
    assert max(Level.SOON, Level.EMERGENCY, Level.URGENT) is Level.EMERGENCY
    assert [level.rank for level in Level] == [0, 1, 2, 3]
    assert Level.parse(" Urgent ") is Level.URGENT


def test_to_dict_has_exactly_the_design_shape(checker: RedFlagChecker) -> None:
    report = checker.check("can't feel it when I wipe and my back is killing me")
    data = report.to_dict()
    assert set(data) == {"level", "flags", "message", "confirm", "safety_net"}
    assert data["level"] == "emergency"
    assert isinstance(data["message"], str)
    assert data["flags"], "an emergency report lists its flags"
    for flag in data["flags"]:
        assert set(flag) == {"id", "level", "title", "evidence", "detector"}
        assert flag["level"] in {"emergency", "urgent", "soon"}
        assert flag["detector"] == "patterns"
    assert [topic["topic"] for topic in data["safety_net"]] == ["lower-back"]


def test_a_clear_message_has_level_none_no_flags_and_no_message(checker: RedFlagChecker) -> None:
    report = checker.check("what's a good warm-up for squats?")
    assert report.to_dict() == {
        "level": "none",
        "flags": [],
        "message": None,
        "confirm": [],
        "safety_net": [],
    }
    assert not report.raised


def test_evidence_quotes_the_members_own_words(checker: RedFlagChecker) -> None:
    report = checker.check("Since Monday I CAN'T feel the toilet paper when I wipe.")
    assert "CAN'T feel the toilet paper" in report.flags[0].evidence


def test_without_an_emergency_number_the_wording_is_region_neutral(
    checker: RedFlagChecker,
) -> None:
    report = checker.check("my bum is numb and I can't pee")
    assert report.message is not None
    assert "your local emergency number" in report.message
    assert "{emergency_number}" not in report.message
    assert "999" not in report.message and "911" not in report.message


def test_the_configured_emergency_number_is_used(checker: RedFlagChecker) -> None:
    report = checker.check("crushing chest pain while running", emergency_number="112")
    assert report.message is not None and "112" in report.message
    assert all("112" in flag.referral for flag in report.flags if flag.level is Level.EMERGENCY)


def test_emergency_wording_says_exercise_advice_is_not_the_right_thing_now(
    checker: RedFlagChecker,
) -> None:
    report = checker.check("I passed out on the treadmill during sprints")
    assert report.level is Level.EMERGENCY
    assert report.message is not None
    assert "exercise advice is not the right thing now" in report.message.lower()


def test_the_most_severe_flag_comes_first_and_leads_the_message(checker: RedFlagChecker) -> None:
    text = (
        "my knee has hurt for three months with no improvement, and today I got a "
        "crushing chest pain on the bike"
    )
    report = checker.check(text)
    levels = [flag.level for flag in report.flags]
    assert levels == sorted(levels, reverse=True)
    assert report.flags[0].id == "exertional-chest-pain"
    assert report.message is not None
    assert report.message.startswith(report.flags[0].referral.split(".")[0])
    assert "pain that is not improving" in report.message.lower()


def test_a_message_about_someone_else_is_addressed_to_the_helper(
    checker: RedFlagChecker,
) -> None:
    report = checker.check("my dad can't pee and his bum is numb", emergency_number="999")
    assert report.level is Level.EMERGENCY
    assert report.about_someone_else
    assert report.message is not None
    assert report.message.startswith("Get them to an emergency department now")
    assert "999" in report.message


def test_a_members_own_symptoms_are_not_about_someone_else(checker: RedFlagChecker) -> None:
    report = checker.check("my dad had a stroke years ago; now I get chest pain when I run")
    assert report.level is Level.EMERGENCY
    assert not report.about_someone_else


def test_urgent_wording_for_a_helper_uses_the_generic_template(checker: RedFlagChecker) -> None:
    report = checker.check("my mum's calf is hot and swollen after her hip operation")
    assert report.level is Level.URGENT
    assert report.about_someone_else
    assert report.message is not None and report.message.startswith("Help them see a doctor today")


def test_suicide_referral_points_to_crisis_help_without_invented_numbers(
    checker: RedFlagChecker,
) -> None:
    report = checker.check("I don't want to be alive anymore")
    assert report.level is Level.EMERGENCY
    message = report.message or ""
    assert "crisis line" in message and "Samaritans" in message
    assert "your local emergency number" in message
    assert not any(character.isdigit() for character in message)


def test_raised_flag_and_report_are_frozen_data() -> None:
    flag = RaisedFlag("x", Level.SOON, "Title", "evidence", "referral")
    report = RedFlagReport(Level.SOON, (flag,), "message", False)
    assert report.flags[0].to_dict() == {
        "id": "x",
        "level": "soon",
        "title": "Title",
        "evidence": "evidence",
        "detector": "patterns",
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.level = Level.NONE  # type: ignore[misc]


def test_default_checker_is_built_once_and_reused() -> None:
    assert RedFlagChecker.default() is RedFlagChecker.default()
