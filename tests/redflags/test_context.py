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


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A reassurance about how the member feels overall, in another sentence, does not
        # settle a symptom described before it.
        ("banged my head on the rack and had some kind of fit. i feel ok now, just tired", E),
        (
            "tweaked my back and had an accident, wet myself on the sofa. i feel fine now "
            "otherwise",
            E,
        ),
        # A past diagnosis followed by "I'm fine now" is history.
        ("I had a PE after my c-section. I feel great now and want to get back to the gym", N),
        ("had a DVT after my knee op. I'm fine now, off the blood thinners", N),
        # History before a contrast does not date the clause after it.
        (
            "used to get gout in my big toe, but this is my knee and it's hot, swollen and I've "
            "got a temp",
            U,
        ),
        (
            "long history of a dodgy lower back so nothing new there. new since last night my "
            "bladder just lets go whenever",
            E,
        ),
        # "never used to" and "never had it before" mark something new, not the past.
        ("my chest goes tight when I carry shopping up the stairs, never used to", E),
        # Function that came back fully is a recovery; a symptom that came back is not.
        (
            "had foot drop after a disc herniation in 2020, strength came back fully after surgery",
            N,
        ),
        (
            "had numbness down there years ago that settled, but it came back this morning with "
            "back pain",
            E,
        ),
        # Doing something again is not a symptom returning.
        ("got knocked out sparring last season, all good since, cleared to spar again", N),
    ],
)
def test_history_and_reassurance_are_scoped_to_what_they_govern(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Red flags whose danger outlasts the symptom still count once it has settled...
        ("hit my head on the bar and was out cold for a bit, feel fine now", E),
        ("clashed heads at training and threw up twice, feeling better now", E),
        ("fainted at the end of my spin class, came round quickly, feel totally fine now", E),
        ("my face drooped on one side for ten minutes on my run, back to normal now", E),
        ("chest went tight on the treadmill and it eased once I stopped, I'm fine now", E),
        ("sudden worst headache of my life mid deadlift, it has mostly gone now", E),
        # ...but not when dated to the past.
        ("I was knocked out playing rugby at school, no problems since", N),
        ("had a mini stroke 6 years ago, fully recovered", N),
        ("fainted once at a concert in the heat, nothing to do with exercise", N),
        # An ordinary symptom that has settled stays settled.
        ("had sciatica years ago, fine now", N),
    ],
)
def test_transient_red_flags_count_even_when_they_have_passed(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A look-alike that is compared with, denied or guessed at does not explain the symptom.
        ("right calf is puffy, hot and sore, like a constant cramp, drove 10 hours on sunday", U),
        (
            "my undercarriage has gone numb like after hours on a bike seat, except I haven't "
            "been on a bike",
            E,
        ),
        (
            "lower leg is so tight the skin feels like it will burst and it hurts even lying "
            "still, just a bad cramp?",
            E,
        ),
        (
            "quads swollen after eccentrics and this is nothing like normal doms, can barely bend "
            "my knees",
            U,
        ),
        # One the member denies elsewhere, or has tried without effect, explains nothing...
        (
            "chest gets crushed tight whenever I run hills, my coach says it's asthma but I "
            "don't have asthma",
            E,
        ),
        ("my chest goes tight on every sprint and the inhaler didn't do anything", E),
        # ...and the same look-alike, asserted by the member, still does.
        ("my chest goes tight on every sprint, it's my asthma, the inhaler sorts it", N),
        # One set against the symptom by a contrast does not reach it...
        ("usual migraine sufferer, but this one came on like a thunderclap mid sprint", E),
        # ...but one that explains it afterwards does.
        ("numb down there, but I was on the bike for six hours so that will be it", N),
        ("my bum goes numb on long rides but only for a bit", N),
        ("calf cramped on my run, it's tight and a bit sore, no swelling", N),
    ],
)
def test_lookalike_exclusions_apply_only_when_asserted(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        (
            "if you had back pain and then got numbness around your bum, is that when you go to "
            "a&e?",
            N,
        ),
        (
            "would sudden breathlessness on the plane home be something to worry about? flying "
            "next week",
            N,
        ),
        ("would numbness in your groin be something to worry about after squats?", N),
        ("if someone has a seizure after a head knock is that an ambulance job?", N),
        # Asked about something happening now, the same frame is the member's own symptom.
        (
            "would chest tightness on my runs be something to worry about? been happening all week",
            E,
        ),
        ("my bum is numb since my back went, let me know if you have any tips", E),
    ],
)
def test_more_hypothetical_frames(checker: RedFlagChecker, text: str, level: Level) -> None:
    assert checker.check(text).level is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # The effort can be named in the next sentence when it is tied to the symptom...
        ("chest feels like someone is sitting on it. only happens when I push hard on the bike", E),
        # ...but not when an activity is only planned or the chest trouble has another cause.
        ("my chest feels tight after a cold. going for an easy run later, is that ok?", N),
        ("chest feels heavy when I'm sad. the gym helps", N),
        ("chest pressure comes on when I'm stressed at work, not when training", N),
        # Angina felt in the jaw, throat or arm, brought on by effort.
        (
            "on heavy squat sets I get an ache up into my jaw and down my left arm, settles with "
            "rest",
            E,
        ),
        ("tight ache in my throat whenever I row hard, stops when I ease off", E),
        ("jaw aches on heavy sets because I clench my teeth", N),
        ("left arm aches after heavy curls, goes after a rest", N),
    ],
)
def test_exertional_chest_pain_in_adjacent_sentences_and_away_from_the_chest(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


def test_a_reassurance_is_not_read_as_a_denial_of_the_symptom_before_it() -> None:
    text = NormalisedText("got kicked in the head and was out for a few seconds, feel fine now")
    context = MessageContext(text)
    start = text.text.index("out for")
    framed = context.classify(start, start + len("out for a few seconds"))
    assert not framed.negated
    assert framed.resolved and not framed.historical
    assert not framed.blocks(resolved_ok=True)
    assert framed.blocks()


def test_a_dated_event_is_history_not_a_recent_one_that_settled() -> None:
    text = NormalisedText("got knocked out in sparring last season, all good since")
    context = MessageContext(text)
    start = text.text.index("knocked out")
    framed = context.classify(start, start + len("knocked out"))
    assert framed.historical and not framed.resolved
    assert framed.blocks(resolved_ok=True)
    assert not framed.blocks(history_ok=True)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A repair some years ago is history...
        ("4 years post achilles rupture repair, full strength, can I start plyos?", N),
        # ...a what-if asked before starting something new is a question...
        (
            "would passing out in a workout always be serious? never happened to me, just "
            "asking since I'm starting HIIT",
            N,
        ),
        # ...and a professional's screening question is education.
        ("what screening questions pick up cord compression in the neck in older clients?", N),
    ],
)
def test_history_plans_and_screening_questions_raise_nothing(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # An age is not a date: "a client in her 40s" heard the snap today.
        ("client in her 40s heard a snap at the back of her ankle and can't tiptoe", U),
        ("ruptured my achilles in my twenties, fine for years, any calf raise plan?", N),
        # A start dated in the past is when a current pain began.
        ("had breast cancer years ago, all clear, but back pain started about a month ago", U),
        # A would-question asked out of curiosity is a question...
        (
            "would numbness down there with back pain be a reason to go to A&E? I don't have "
            "it, just curious",
            N,
        ),
        # ...and asking whether to stop an exercise does not blame the exercise.
        (
            "tingling in my left hand and fingers for a good month, spreading to my wrist. "
            "should I stop doing farmer's carries?",
            S,
        ),
    ],
)
def test_ages_starts_curiosity_and_questions_about_stopping(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level


def test_someone_described_through_what_they_said_to_me_is_someone_else(
    checker: RedFlagChecker,
) -> None:
    report = checker.check("a player I coach told me he has a plan to end it all this weekend")

    assert report.level is Level.EMERGENCY
    assert report.about_someone_else


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A look-alike set beyond, or described as it usually is, does not explain now.
        (
            "forearm rock hard after climbing, pain way beyond a pump and getting worse, "
            "a pump is normally gone in minutes",
            E,
        ),
        # A first-aider's question for the club is education.
        ("doing first aid for our football club, what's the return to play after concussion?", N),
        # Seasons ago is history; a parent's heart attack is why someone asks, not a symptom.
        ("concussed two seasons ago, cleared and fine since, scrum cap worth it?", N),
        (
            "my old man had a heart attack at 55, what should I know about chest pain when I "
            "train?",
            N,
        ),
    ],
)
def test_comparisons_usual_look_alikes_and_family_history(
    checker: RedFlagChecker, text: str, level: Level
) -> None:
    assert checker.check(text).level is level
