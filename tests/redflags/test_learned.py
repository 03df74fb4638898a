"""The learned red-flag check: how its verdict combines with the patterns, and its model.

How the checker combines a verdict with the patterns is described with a fixed verdict, so
each row says exactly what the learned check thought. One test trains a real (tiny) model
end to end; how well a fully trained one does is measured by
`tests/benchmarks/redflags_learned.py`, not asserted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.errors import ConfigurationError
from bot.redflags import Level, RedFlagChecker
from bot.redflags.learned import LabelledText, LearnedCheck, Verdict, train, training_examples
from bot.redflags.rules import default_rules_path, load_rules


class FixedVerdict:
    """A learned check that always thinks the same (and remembers what it was shown)."""

    def __init__(self, p_flag: float, p_emergency: float, rules: dict[str, float]) -> None:
        self.p_flag, self.p_emergency, self.rules = p_flag, p_emergency, rules
        self.seen: list[str] = []

    def verdict(self, text: str) -> Verdict:
        self.seen.append(text)
        return Verdict(self.p_flag, self.p_emergency, dict(self.rules))

    def likeliest_sentence(self, sentences: Sequence[str]) -> str | None:
        return max(sentences, key=len, default=None)


SURE_OF_AN_EMERGENCY = {"stroke": 0.6, "dvt": 0.3, "exercise-collapse": 0.1}


def checker_with(learned: FixedVerdict, threshold: float = 0.8) -> RedFlagChecker:
    return RedFlagChecker.default().with_learned(learned, threshold)  # type: ignore[arg-type]


def test_a_confident_verdict_lifts_a_message_the_patterns_missed() -> None:
    learned = FixedVerdict(0.97, 0.95, SURE_OF_AN_EMERGENCY)
    text = "Something is off since the rower. I feel very strange and not like myself at all."

    report = checker_with(learned).check(text, emergency_number="999")

    assert report.level is Level.EMERGENCY
    (flag,) = report.flags
    assert flag.id == "stroke"  # the likeliest emergency-level rule, not the urgent dvt
    assert flag.evidence == "I feel very strange and not like myself at all."
    assert "999" in flag.referral


def test_only_an_emergency_is_lifted() -> None:
    learned = FixedVerdict(0.99, 0.2, {"stroke": 0.5, "dvt": 0.4, "night-pain": 0.1})

    report = checker_with(learned).check("calf is just wrong since the flight home")

    assert report.level is Level.NONE


def test_an_unsure_verdict_changes_nothing() -> None:
    learned = FixedVerdict(0.79, 0.79, SURE_OF_AN_EMERGENCY)

    report = checker_with(learned, threshold=0.8).check("weird feeling after my session")

    assert report.level is Level.NONE


def test_the_learned_check_never_lowers_what_the_patterns_found() -> None:
    learned = FixedVerdict(0.0, 0.0, SURE_OF_AN_EMERGENCY)

    report = checker_with(learned).check("numb when I wipe and I can't pee, back is agony")

    assert report.level is Level.EMERGENCY
    assert [flag.id for flag in report.flags] == ["cauda-equina"]
    assert learned.seen == []  # an emergency already found needs no second opinion


@pytest.mark.parametrize(
    "text",
    [
        "no numbness down there, bladder and bowels normal, just a stiff lower back",
        "what are the signs of cauda equina? asking for my exam",
        "clashed heads at football, no headache, no dizziness, feel completely fine",
    ],
)
def test_it_does_not_overrule_a_denial_a_general_question_or_a_settled_knock(text: str) -> None:
    learned = FixedVerdict(0.99, 0.99, SURE_OF_AN_EMERGENCY)

    assert checker_with(learned).check(text).level is Level.NONE


def test_a_lifted_flag_about_someone_else_is_addressed_to_the_helper() -> None:
    learned = FixedVerdict(0.99, 0.99, SURE_OF_AN_EMERGENCY)

    report = checker_with(learned).check("my dad is acting strange after his swim, not himself")

    assert report.level is Level.EMERGENCY
    assert report.about_someone_else


def test_training_rows_are_the_labelled_messages_and_every_rules_examples() -> None:
    rules = load_rules(default_rules_path())

    rows = training_examples(rules, [])

    stroke = next(rule for rule in rules if rule.id == "stroke")
    assert LabelledText(stroke.must_catch[0], Level.EMERGENCY, "stroke") in rows
    assert LabelledText(stroke.must_not_catch[0].text, Level.NONE, None) in rows
    assert len(rows) == sum(
        len(r.must_catch) + len(r.third_person) + len(r.must_not_catch) for r in rules
    )


def test_a_trained_model_is_saved_whole_and_gives_probabilities(tmp_path: Path) -> None:
    rows = [
        LabelledText(
            "numb between my legs and can't pee since my back went", Level.EMERGENCY, "cauda-equina"
        ),
        LabelledText(
            "face drooped on one side and my words came out wrong", Level.EMERGENCY, "stroke"
        ),
        LabelledText("calf swollen hot and red since the long flight", Level.URGENT, "dvt"),
        LabelledText("how many sets of squats should a beginner do?", Level.NONE, None),
        LabelledText("quads sore two days after leg day, normal?", Level.NONE, None),
    ] * 4
    folder = tmp_path / "models" / "redflags-learned"

    train(rows, folder, epochs=1)
    learned = LearnedCheck(folder)
    verdict = learned.verdict("Bit of a worry. My face feels droopy on the left.")
    evidence = learned.likeliest_sentence(["Bit of a worry.", "My face feels droopy on the left."])

    assert sorted(verdict.rule_probabilities) == ["cauda-equina", "dvt", "stroke"]
    assert 0.0 <= verdict.p_flag <= 1.0 and 0.0 <= verdict.p_emergency <= 1.0
    assert sum(verdict.rule_probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    assert evidence in {"Bit of a worry.", "My face feels droopy on the left."}
    assert learned.likeliest_sentence(["Hi", "ok"]) is None  # nothing long enough to quote
    assert sorted(p.name for p in folder.parent.iterdir()) == ["redflags-learned"]

    train(rows[:5], folder, epochs=1)  # retraining replaces the model in place

    assert LearnedCheck(folder).meta["examples"] == 5
    assert sorted(p.name for p in folder.parent.iterdir()) == ["redflags-learned"]


def test_training_on_nothing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no labelled messages"):
        train([], tmp_path / "model")


def test_a_missing_model_is_a_configuration_error_that_says_how_to_make_one(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigurationError, match="triagebot redflags --train"):
        LearnedCheck(tmp_path / "nothing-here")


def test_switching_it_on_without_a_model_is_one_clear_line(tmp_path: Path) -> None:
    env = {"TRIAGEBOT_DATA_DIR": str(tmp_path), "TRIAGEBOT_REDFLAGS_LEARNED": "true"}

    result = CliRunner().invoke(cli, ["redflags", "numb when I wipe"], env=env)

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "run `triagebot redflags --train` first" in lines[0]


def test_train_takes_no_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["redflags", "--train", "numb"], env={"TRIAGEBOT_DATA_DIR": str(tmp_path)}
    )

    assert result.exit_code == 2
    assert "--train checks no message" in result.output
