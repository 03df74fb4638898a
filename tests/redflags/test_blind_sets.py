"""Regression floors on the sets written without sight of the rules.

Each blind set was measured once before any tuning on it; those first figures are the honest
measure of how the rules generalise (blind-1's holdout half: emergency 0.645; blind-2:
0.797; blind-3: 0.930; blind-4: 0.871; blind-5: 0.903; blind-6: 0.855; blind-7: 0.855;
blind-8, plain everyday wording: 0.758; blind-9: 0.867; blind-10, Discord style: 0.758;
blind-11, symptoms told by what people could no longer do: 0.677; blind-12, every voice:
0.661; blind-13, hurried phone messages: 0.710). All of them have since been tuned on, so
they are now regression sets; the floors keep what is reached from slipping back. Two false
alarms are kept on purpose, as erring towards referral: in blind-5 both calves tight a week
after a flight, with swelling, heat and redness denied (the travel pattern for a clot); in
blind-9 legs "like jelly" and unable to get off the toilet the day after 10x10 squats (the
squats are named in another sentence than the weakness).
"""

from __future__ import annotations

import json

import pytest

from bot.corpus.formats import read_corpus
from bot.paths import redflag_sets_dir, retrieval_sets_dir, starter_answers_dir
from bot.redflags import RedFlagChecker
from bot.redflags.evaluation import evaluate, load_examples
from bot.redflags.report import Level
from bot.redflags.training import get_checked_ids

FLOORS = {
    # file: (emergency sensitivity, any-flag sensitivity, largest false-alarm share)
    "redflags-unseen.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-2.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-3.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-4.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-5.jsonl": (1.0, 1.0, 0.02),
    "redflags-blind-6.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-7.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-8.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-9.jsonl": (1.0, 1.0, 0.02),
    "redflags-blind-10.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-11.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-12.jsonl": (1.0, 1.0, 0.0),
    "redflags-blind-13.jsonl": (1.0, 1.0, 0.0),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_blind_set_stays_above_its_floors(name: str) -> None:
    emergency_floor, any_floor, alarm_ceiling = FLOORS[name]

    overall = evaluate(
        RedFlagChecker.default(), load_examples(redflag_sets_dir() / "tuned" / name)
    )["overall"]

    assert overall["per_level"]["emergency"]["sensitivity"] >= emergency_floor
    assert overall["any_flag"]["sensitivity"] >= any_floor
    assert overall["false_alarm"]["share"] <= alarm_ceiling


def test_ordinary_training_questions_are_rarely_raised_to_urgent_or_emergency() -> None:
    # The retrieval evaluation questions are everyday training questions (and off-topic
    # ones): a referral on them would be a false alarm. 0 of 434 were raised when this
    # test was written; the ceiling leaves room for a question that genuinely needs one.
    # Questions answered by a `get-checked` answer (a calf swollen after a flight) tell of
    # signs that must be referred: they are not ordinary, as in training.
    get_checked = get_checked_ids(read_corpus(starter_answers_dir()))
    rows = [
        json.loads(line)
        for path in sorted(retrieval_sets_dir().glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    questions = [row["question"] for row in rows if not get_checked.intersection(row["relevant"])]
    checker = RedFlagChecker.default()

    raised = [q for q in questions if checker.check(q).level >= Level.URGENT]

    assert len(questions) > 300
    assert len(raised) <= len(questions) // 100, raised
