"""How a symptom's framing changes the check: negation, questions, history, other people.

These read as a specification: each row is a message and the level it must get.
"""

from __future__ import annotations

import pytest

from bot.redflags import Level, RedFlagChecker
from bot.redflags.context import MessageContext
from bot.redflags.text import NormalisedText

E, U, S, N = Level.EMERGENCY, Level.URGENT, Level.SOON, Level.NONE


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Lay phrasings that look negative are the symptom itself.
        ("can't feel it when I wipe", E),
        ("no feeling down there since my back went", E),
        ("I don't feel anything when I wipe", E),
        ("haven't peed since yesterday and my back hurts", E),
        # Negation of symptoms clears them...
        ("no numbness, no bladder issues, just tight", N),
        ("no numbness, tingling or weakness in my legs", N),
        ("calf isn't swollen or hot, just tight", N),
        ("numbness down there? none. bladder fine. just a sore back", N),
        # ...but only within the clause or list it governs.
        ("no numbness but I can't pee", E),
        ("no back pain, my bum is numb though", E),
        ("no pain at all, can't pee since this morning", E),
        ("I don't think it's serious but my groin has gone numb", E),
        ("not sure if it matters, my bum has gone numb since lifting", E),
        # Saying a problem has not improved is the symptom; it does not negate what follows...
        ("my knee hasn't got any better in 3 months", S),
        ("shoulder no better after 8 weeks of rehab", S),
        # ...and it does not cancel a negation across unrelated words.
        ("no numbness, not changed anything in my training, back is just tight", N),
    ],
)
def test_negation_is_scoped_to_its_clause(checker: RedFlagChecker, text: str, level: Level) -> None:
    assert checker.check(text).level is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("what are the signs of cauda equina?", N),
        ("what if my leg goes numb during a squat?", N),
        ("should I worry if I get chest pain on a run?", N),
        ("is saddle numbness always an emergency?", N),
        ("how do you avoid rhabdo in your first spin class?", N),
        ("What counts as a back pain red flag? night pain, weight loss, fever?", N),
        # A question next to a description of real symptoms still refers.
        ("what are the signs of CES? my bum has been numb since yesterday", E),
        ("what are the symptoms of cauda equina, because I can't feel when I wipe", E),
        ("is it normal that my bum is numb after hurting my back?", E),
        # A generic person after "if" is a what-if, whatever the tense.
        ("if someone passed out in my class would they be allowed to carry on?", N),
        ("if a client fainted on the rower would you call an ambulance?", N),
        # A narrative "when" is not a what-if.
        ("today when a member collapsed on the rower he was out for a few seconds", E),
    ],
)
def test_hypothetical_and_educational_questions_are_not_raised(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("had sciatica years ago, fine now", N),
        ("had a DVT in 2018, treated, no problems since", N),
        ("I fainted as a teenager at a blood test, never since", N),
        ("had numbness down there after my op in 2019 but it fully recovered", N),
        # History that is itself the red flag still counts.
        ("I had breast cancer 5 years ago and now new back pain", U),
        ("had a microdiscectomy last month and now I have a fever", U),
        # Old history does not hide what is happening now.
        ("had sciatica years ago and now I can't pee", E),
        ("lymphoma years ago, all clear, but the last few weeks my back has started aching", U),
        ("had bowel cancer in 2019, fine since, this past month a new pain in my spine", U),
        # A present-tense habit is current even next to an unrelated past event.
        ("every time I do jumping jacks a little wee comes out, had my daughter last year", S),
        # A past month with a resolution stays history.
        ("had a sore back last month, fine now", N),
    ],
)
def test_resolved_history_is_not_raised_but_relevant_history_is(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


@pytest.mark.parametrize(
    ("text", "someone_else"),
    [
        ("my dad can't pee and his bum is numb", True),
        ("My husband collapsed during his run", True),
        ("a guy in my running club collapsed at parkrun", True),
        ("my client says her saddle area went numb. what should I tell her?", True),
        ("my friend said I should ask: my bum is numb since deadlifts", False),
        ("I can't pee and my bum is numb", False),
    ],
)
def test_messages_about_another_person_are_recognised(
    checker: RedFlagChecker, text: str, someone_else: bool
) -> None:
    report = checker.check(text)
    assert report.level is Level.EMERGENCY
    assert report.about_someone_else is someone_else


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("legs like jelly after squats", N),
        ("red pee after beetroot, legs sore from squats", N),
        ("my hands go numb after farmer's walks but come back in a minute", N),
        ("my leg goes to sleep when I sit cross-legged", N),
        ("huge pump in my forearms after grip work", N),
        ("dizzy when I stand up too fast after squats", N),
        ("chest sore from bench DOMS", N),
        ("coach made us run suicide sprints", N),
        ("pissed myself on deadlifts", S),
        ("chest hurts when I get upset", N),
        ("I feel depressed and my chest feels heavy", N),
        ("legs like jelly after 200 lunges, can barely get off the loo", N),
    ],
)
def test_gym_lookalikes_are_not_emergencies(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


def test_the_normalised_text_maps_back_to_the_original_characters() -> None:
    text = NormalisedText("My BACK’s   killing\u200b me — can’t pee")
    assert text.text == "my back is killing me can t pee".replace("can t", "cant")
    start = text.text.index("cant pee")
    assert text.original_span(start, start + len("cant pee")) == "can’t pee"


def test_sentences_split_on_punctuation_and_new_lines() -> None:
    text = NormalisedText("First one. Second one?\nThird one")
    assert [s.text.strip(" .?\n") for s in text.sentences] == [
        "first one",
        "second one",
        "third one",
    ]


def test_a_fragment_after_an_educational_question_inherits_its_frame() -> None:
    text = NormalisedText("What are the red flags? night pain, weight loss?")
    context = MessageContext(text)
    fragment = text.sentences[1]
    assert context.classify(fragment.start + 1, fragment.start + 6).hypothetical
