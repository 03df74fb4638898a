"""The safety floor: an emergency is set aside only by a cue that governs its own words.

Words that merely look like denials elsewhere in the sentence ("never stops", "never had that
before", "honestly", "no idea why") do not silence an emergency; a denial that governs the
symptom still does, so the floor does not turn every reassurance into an alarm.
"""

from __future__ import annotations

import pytest

from bot.redflags import Level, RedFlagChecker

NOT_SILENCED = [
    # self-harm and suicide
    "my back pain never stops and honestly I want to end my life",
    "the pain never stops, I want to end my life",
    "no idea why but I want to kill myself lately",
    "honestly I don't want to be here anymore, the pain never stops",
    "nothing helps and I don't see the point in living anymore",
    # other emergencies
    "back pain since deadlifts and I leaked pee walking to the car, never had that before",
    "never had that before but I can't feel it when I wipe since my back went",
    "no idea why, but since yesterday my bum is numb and I can't pee",
    "honestly my face drooped on one side for a bit and my arm went weak",
    "my heart was racing at rest and I felt faint, never happened before",
    "no warning at all, sudden worst headache of my life mid deadlift",
    # a what-if that does not govern what the member says is happening
    "what if it gets worse, I already can't feel my bum when I wipe",
]

STILL_SILENCED = [
    "I'm not having any thoughts of hurting myself, just struggling to get to the gym",
    "no numbness down there, peeing normally, just a stiff lower back",
    "no chest pain or pressure on the bike, I'm just unfit",
    "didn't get knocked out and no headache, just a bruise on my cheek",
    "what if my bum goes numb when I wipe after a heavy deadlift?",
]


@pytest.mark.parametrize("text", NOT_SILENCED)
def test_a_cue_that_does_not_govern_the_symptom_does_not_silence_an_emergency(
    checker: RedFlagChecker, text: str
) -> None:
    assert checker.check(text).level is Level.EMERGENCY


@pytest.mark.parametrize("text", STILL_SILENCED)
def test_a_denial_of_the_symptom_itself_still_counts(checker: RedFlagChecker, text: str) -> None:
    assert checker.check(text).level < Level.URGENT


def test_selling_a_car_is_not_a_farewell(checker: RedFlagChecker) -> None:
    assert checker.check("selling my car this weekend, time to say goodbye to her").level is (
        Level.NONE
    )


def test_a_farewell_message_from_a_friend_still_refers(checker: RedFlagChecker) -> None:
    text = "my mate sent me a text saying goodbye and that he's sorry for everything"

    assert checker.check(text).level is Level.EMERGENCY


def test_not_minding_never_waking_up_refers(checker: RedFlagChecker) -> None:
    text = "training, work, me, none of it feels worth it. honestly wouldnt mind not waking up"

    assert checker.check(text).level is Level.EMERGENCY


def test_not_minding_a_lie_in_is_not_a_wish_to_die(checker: RedFlagChecker) -> None:
    text = "wouldn't mind not waking up at 5am for training every day tbh, early sessions are rough"

    assert checker.check(text).level is Level.NONE
