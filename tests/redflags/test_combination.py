"""How the checker combines what its detectors found: refer, ask, or nothing.

The detectors' findings are given here directly, so each row of the checker's table is
tested on its own, without a model.
"""

from __future__ import annotations

from bot.redflags import Level, RedFlagChecker, RuleSet
from bot.redflags.checker import MAX_QUESTIONS
from bot.redflags.detectors import Certainty, Findings, Hit, Message
from bot.redflags.rules import SELF_HARM

TEXT = "Squats went fine. Then something odd happened. Anyway, what about deload weeks?"
DRILL = "Squats went fine. Coach brought back suicides again. Anyway, what about deload weeks?"


def hit(
    rules: RuleSet,
    rule_id: str,
    certainty: Certainty,
    detector: str,
    sentence: int = 1,
    last_sentence: int | None = None,
) -> Hit:
    return Hit(
        rule=rules.get(rule_id),
        evidence="something odd happened",
        third_person=False,
        certainty=certainty,
        detector=detector,
        sentence=sentence,
        last_sentence=last_sentence,
    )


def combine(checker: RedFlagChecker, *findings: Findings):  # type: ignore[no-untyped-def]
    return checker.combine(Message.of(TEXT), list(findings))


def test_a_sure_pattern_refers(checker: RedFlagChecker, rules: RuleSet) -> None:
    report = combine(checker, Findings((hit(rules, "stroke", Certainty.SURE, "patterns"),)))

    assert report.level is Level.EMERGENCY
    assert [flag.id for flag in report.flags] == ["stroke"]
    assert report.confirm == ()


def test_the_learned_detector_alone_refers_when_sure(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(checker, Findings((hit(rules, "stroke", Certainty.SURE, "learned"),)))

    assert report.level is Level.EMERGENCY
    assert report.flags[0].detector == "learned"
    assert report.flags[0].evidence == "something odd happened"


def test_partial_evidence_asks_one_question_and_keeps_the_level(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(checker, Findings((hit(rules, "cauda-equina", Certainty.PARTIAL, "learned"),)))

    assert report.level is Level.NONE
    assert report.message is None
    assert [(q.concern, q.level) for q in report.confirm] == [("cauda-equina", Level.EMERGENCY)]
    assert report.confirm[0].question == rules.get("cauda-equina").screening


def test_a_sure_learned_hit_the_context_rules_set_aside_becomes_a_question(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "stroke", Certainty.SET_ASIDE, "patterns"),)),
        Findings((hit(rules, "stroke", Certainty.SURE, "learned"),)),
    )

    assert report.level is Level.NONE
    assert [q.concern for q in report.confirm] == ["stroke"]


def test_below_emergency_a_sure_learned_hit_the_context_rules_set_aside_is_asked_about(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    # A wheelchair player's head hit the court; "not being sick" sets the patterns' reading
    # aside, while the model is sure of "headache that comes and goes, slow and foggy".
    report = combine(
        checker,
        Findings((hit(rules, "concussion", Certainty.SET_ASIDE, "patterns", sentence=1),)),
        Findings((hit(rules, "concussion", Certainty.SURE, "learned", sentence=2),)),
    )

    assert report.level is Level.NONE
    assert [(q.concern, q.level) for q in report.confirm] == [("concussion", Level.URGENT)]


def test_a_soon_concern_set_aside_by_one_detector_is_neither_referred_nor_asked(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "night-pain", Certainty.SET_ASIDE, "patterns"),)),
        Findings((hit(rules, "night-pain", Certainty.SURE, "learned"),)),
    )

    assert not report.raised and report.confirm == ()


def test_partial_evidence_the_context_rules_set_aside_raises_nothing(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "stroke", Certainty.SET_ASIDE, "patterns"),)),
        Findings((hit(rules, "stroke", Certainty.PARTIAL, "learned"),)),
    )

    assert report.level is Level.NONE
    assert report.confirm == ()


def test_words_set_aside_with_no_other_evidence_raise_nothing(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(checker, Findings((hit(rules, "stroke", Certainty.SET_ASIDE, "patterns"),)))

    assert not report.raised and report.confirm == ()


def test_a_pattern_on_a_sentence_the_model_reads_as_ordinary_becomes_a_question(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "concussion-red-flags", Certainty.SURE, "patterns", sentence=1),)),
        Findings(clear_sentences={Level.EMERGENCY: frozenset({1})}),
    )

    assert report.level is Level.NONE
    assert [q.concern for q in report.confirm] == ["concussion-red-flags"]


def test_below_emergency_a_pattern_on_a_sentence_the_model_reads_as_ordinary_raises_nothing(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    # "checked it: not swollen, not hot, not red" about a calf after netball: the patterns
    # see the calf words, the model reads the sentence as clear at the urgent level.
    for rule_id in ("dvt", "night-pain"):
        level = rules.get(rule_id).level
        report = combine(
            checker,
            Findings((hit(rules, rule_id, Certainty.SURE, "patterns", sentence=1),)),
            Findings(clear_sentences={level: frozenset({1})}),
        )

        assert report.level is Level.NONE, rule_id
        assert report.confirm == (), rule_id


def test_below_emergency_a_pattern_the_model_is_also_sure_of_elsewhere_still_refers(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "dvt", Certainty.SURE, "patterns", sentence=1),)),
        Findings(
            (hit(rules, "dvt", Certainty.SURE, "learned", sentence=2),),
            {Level.URGENT: frozenset({1})},
        ),
    )

    assert report.level is Level.URGENT
    assert [flag.id for flag in report.flags] == ["dvt"]


def test_below_emergency_a_pattern_the_model_reads_as_clear_on_another_level_still_refers(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "dvt", Certainty.SURE, "patterns", sentence=1),)),
        Findings(clear_sentences={Level.EMERGENCY: frozenset({1})}),
    )

    assert report.level is Level.URGENT


def test_a_clear_reading_at_a_lower_level_does_not_veto_an_emergency(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "concussion-red-flags", Certainty.SURE, "patterns", sentence=1),)),
        Findings(clear_sentences={Level.URGENT: frozenset()}),
    )

    assert report.level is Level.EMERGENCY


def test_a_clear_reading_of_another_sentence_changes_nothing(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "concussion-red-flags", Certainty.SURE, "patterns", sentence=1),)),
        Findings(clear_sentences={Level.EMERGENCY: frozenset({0, 2})}),
    )

    assert report.level is Level.EMERGENCY


def test_both_detectors_sure_of_one_concern_refer_even_when_the_pattern_sentence_reads_ordinary(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    # A long story: the patterns join "gym's ... goes off after" across the opening, which
    # the model reads as ordinary, while the model is sure of the same concern two sentences
    # on ("a tight band across my chest eight minutes into the treadmill"). Both agree.
    report = combine(
        checker,
        Findings((hit(rules, "exertional-chest-pain", Certainty.SURE, "patterns", sentence=0),)),
        Findings(
            (hit(rules, "exertional-chest-pain", Certainty.SURE, "learned", sentence=2),),
            {Level.EMERGENCY: frozenset({0})},
        ),
    )

    assert report.level is Level.EMERGENCY
    assert [(flag.id, flag.detector) for flag in report.flags] == [
        ("exertional-chest-pain", "learned")
    ]
    assert report.confirm == ()


def test_a_pattern_spanning_a_sentence_the_model_does_not_read_as_ordinary_refers(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    # "took a knee straight to my temple. Saw stars. ... This morning I've thrown up twice":
    # the knee is in a sentence the model reads as ordinary, the vomiting is not.
    report = combine(
        checker,
        Findings(
            (
                hit(
                    rules,
                    "concussion-red-flags",
                    Certainty.SURE,
                    "patterns",
                    sentence=0,
                    last_sentence=2,
                ),
            )
        ),
        Findings(clear_sentences={Level.EMERGENCY: frozenset({0, 1})}),
    )

    assert report.level is Level.EMERGENCY


def test_a_pattern_read_as_ordinary_leaves_the_models_own_partial_hit_to_be_asked(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    # The patterns' "head hit" sentence reads as ordinary, but the model half-sees a
    # concussion two sentences on: that question is asked, not left to the safety net.
    text = "Squats went fine. Took a knock to the head. Threw up twice since, is that normal?"
    report = checker.combine(
        Message.of(text),
        [
            Findings((hit(rules, "concussion", Certainty.SURE, "patterns", sentence=1),)),
            Findings(
                (hit(rules, "concussion", Certainty.PARTIAL, "learned", sentence=2),),
                {Level.URGENT: frozenset({0, 1})},
            ),
        ],
    )

    assert report.level is Level.NONE
    assert [q.concern for q in report.confirm] == ["concussion"]
    assert report.confirm[0].evidence == "something odd happened"


def test_two_sure_hits_both_on_sentences_read_as_ordinary_still_ask(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings(
            (
                hit(rules, "concussion-red-flags", Certainty.SURE, "patterns", sentence=0),
                hit(rules, "concussion-red-flags", Certainty.SURE, "patterns", sentence=2),
            )
        ),
        Findings(clear_sentences={Level.EMERGENCY: frozenset({0, 2})}),
    )

    assert report.level is Level.NONE
    assert [q.concern for q in report.confirm] == ["concussion-red-flags"]


class TestASafetyNetThatListsTheSignDoesTheAsking:
    """A pattern on a sentence the model reads as clearly free of emergencies (a figure of
    speech, a settled story, a list of signs to watch for): when the reply's safety net lists
    that concern's sign, the list asks, not a question of its own."""

    def combine_on(self, checker: RedFlagChecker, text: str, *findings: Findings):  # type: ignore[no-untyped-def]
        return checker.combine(Message.of(text), list(findings))

    def set_aside(self, rules: RuleSet, clear: frozenset[int]) -> tuple[Findings, Findings]:
        """Self-harm words in sentence 1 that the context rules set aside."""
        return (
            Findings((hit(rules, SELF_HARM, Certainty.SET_ASIDE, "patterns", sentence=1),)),
            Findings(clear_sentences={Level.EMERGENCY: clear}),
        )

    def read_as_ordinary(self, rules: RuleSet, rule_id: str) -> tuple[Findings, Findings]:
        return (
            Findings((hit(rules, rule_id, Certainty.SURE, "patterns", sentence=1),)),
            Findings(clear_sentences={Level.EMERGENCY: frozenset({1})}),
        )

    def test_the_head_list_replaces_the_head_injury_question(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        text = "Squats went fine. Took a knock to the head. Anyway, what about deload weeks?"
        report = self.combine_on(
            checker, text, *self.read_as_ordinary(rules, "concussion-red-flags")
        )

        assert report.level is Level.NONE
        assert report.confirm == ()
        head = [net for net in report.safety_net if net.topic == "head"]
        assert head and rules.get("concussion-red-flags").sign in head[0].signs

    def test_a_list_about_another_topic_does_not_replace_the_question(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        text = "Calves went fine. Something odd happened. Anyway, what about deload weeks?"
        report = self.combine_on(
            checker, text, *self.read_as_ordinary(rules, "concussion-red-flags")
        )

        assert [net.topic for net in report.safety_net] == ["calf-and-leg"]
        assert [q.concern for q in report.confirm] == ["concussion-red-flags"]

    def test_a_sure_pattern_the_model_does_not_read_as_ordinary_still_refers(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        text = "Squats went fine. Took a knock to the head. Anyway, what about deload weeks?"
        report = self.combine_on(
            checker,
            text,
            Findings((hit(rules, "concussion-red-flags", Certainty.SURE, "patterns", sentence=1),)),
            Findings(clear_sentences={Level.EMERGENCY: frozenset({0, 2})}),
        )

        assert report.level is Level.EMERGENCY

    def test_self_harm_is_still_asked_beside_the_mood_list(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        text = "Squats went fine. My mood has been low and I feel hopeless. Anyway, deload weeks?"
        report = self.combine_on(checker, text, *self.read_as_ordinary(rules, SELF_HARM))

        assert "mood" in [net.topic for net in report.safety_net]
        assert [q.concern for q in report.confirm] == [SELF_HARM]

    def test_self_harm_words_set_aside_and_read_as_ordinary_are_left_to_the_mood_list(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        # "coach brought back suicides at the end of every session": a drill, both readings agree.
        report = self.combine_on(checker, DRILL, *self.set_aside(rules, clear=frozenset({1})))

        assert report.confirm == ()
        mood = [net for net in report.safety_net if net.topic == "mood"]
        assert mood and rules.get(SELF_HARM).sign in mood[0].signs

    def test_self_harm_words_set_aside_are_asked_about_when_the_model_is_unsure(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        report = self.combine_on(checker, DRILL, *self.set_aside(rules, clear=frozenset({0, 2})))

        assert [q.concern for q in report.confirm] == [SELF_HARM]

    def test_self_harm_words_read_as_ordinary_are_asked_about_without_the_mood_list(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        report = combine(checker, *self.set_aside(rules, clear=frozenset({1})))

        assert report.safety_net == ()
        assert [q.concern for q in report.confirm] == [SELF_HARM]


class TestTheSelfHarmFloor:
    """On self-harm, a disagreement between a detector and the context rules refers; words
    the learned detector reads as ordinary are still asked about, never left alone."""

    def test_a_sure_hit_set_aside_by_the_context_rules_still_refers(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        report = combine(
            checker,
            Findings((hit(rules, SELF_HARM, Certainty.SET_ASIDE, "patterns"),)),
            Findings((hit(rules, SELF_HARM, Certainty.SURE, "learned"),)),
        )

        assert report.level is Level.EMERGENCY

    def test_a_pattern_on_a_sentence_the_model_reads_as_ordinary_is_asked_about(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        # "am I hurting myself doing this?" about a sore knee: a likely figure of speech.
        report = combine(
            checker,
            Findings((hit(rules, SELF_HARM, Certainty.SURE, "patterns", sentence=1),)),
            Findings(clear_sentences={Level.EMERGENCY: frozenset({1})}),
        )

        assert report.level is Level.NONE
        assert [q.concern for q in report.confirm] == [SELF_HARM]

    def test_words_set_aside_alone_are_asked_about(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        report = combine(
            checker, Findings((hit(rules, SELF_HARM, Certainty.SET_ASIDE, "patterns"),))
        )

        assert report.level is Level.NONE
        assert [q.concern for q in report.confirm] == [SELF_HARM]

    def test_its_question_is_kept_beside_another_emergency_and_comes_first(
        self, checker: RedFlagChecker, rules: RuleSet
    ) -> None:
        report = combine(
            checker,
            Findings((hit(rules, "exertional-chest-pain", Certainty.SURE, "patterns"),)),
            Findings(
                (
                    hit(rules, "dvt", Certainty.PARTIAL, "learned"),
                    hit(rules, SELF_HARM, Certainty.PARTIAL, "learned"),
                )
            ),
        )

        assert report.level is Level.EMERGENCY
        assert [q.concern for q in report.confirm] == [SELF_HARM]


def test_a_question_that_could_not_raise_the_level_is_dropped(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "exertional-chest-pain", Certainty.SURE, "patterns"),)),
        Findings((hit(rules, "dvt", Certainty.PARTIAL, "learned"),)),
    )

    assert report.confirm == ()


def test_a_question_about_a_concern_a_referral_supersedes_is_dropped(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    # concussion (urgent) is superseded by concussion-red-flags (emergency).
    report = combine(
        checker,
        Findings((hit(rules, "concussion-red-flags", Certainty.SURE, "patterns"),)),
        Findings((hit(rules, "concussion", Certainty.PARTIAL, "learned"),)),
    )

    assert [flag.id for flag in report.flags] == ["concussion-red-flags"]
    assert report.confirm == ()


def test_an_urgent_referral_can_still_ask_about_the_emergency_beyond_it(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(
        checker,
        Findings((hit(rules, "concussion", Certainty.SURE, "patterns"),)),
        Findings((hit(rules, "concussion-red-flags", Certainty.PARTIAL, "learned"),)),
    )

    assert report.level is Level.URGENT
    assert [q.concern for q in report.confirm] == ["concussion-red-flags"]


def test_at_most_two_questions_most_severe_first(checker: RedFlagChecker, rules: RuleSet) -> None:
    report = combine(
        checker,
        Findings(
            tuple(
                hit(rules, rule_id, Certainty.PARTIAL, "learned")
                for rule_id in ("dvt", "stroke", "cauda-equina", "foot-drop")
            )
        ),
    )

    assert len(report.confirm) == MAX_QUESTIONS
    assert all(q.level is Level.EMERGENCY for q in report.confirm)


def test_questions_about_someone_else_use_the_helpers_wording(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    about_him = Hit(
        rule=rules.get(SELF_HARM),
        evidence="he keeps saying everyone would be better off",
        third_person=True,
        certainty=Certainty.PARTIAL,
        detector="learned",
        sentence=0,
    )
    report = checker.combine(Message.of("my mate keeps saying that"), [Findings((about_him,))])

    assert report.confirm[0].question == rules.get(SELF_HARM).screening_other


def test_json_carries_the_questions_beside_level_and_flags(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    report = combine(checker, Findings((hit(rules, "dvt", Certainty.PARTIAL, "learned"),)))

    data = report.to_dict()

    assert data["level"] == "none" and data["flags"] == []
    assert data["confirm"] == [
        {
            "concern": "dvt",
            "question": rules.get("dvt").screening,
            "level": "urgent",
            "evidence": "something odd happened",
        }
    ]


def test_a_learned_lower_concern_on_the_words_of_a_higher_referral_is_dropped(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    # "won't be around after tonight" read as self-harm and, by the same model, as a weak arm.
    report = combine(
        checker,
        Findings((hit(rules, SELF_HARM, Certainty.SURE, "patterns"),)),
        Findings((hit(rules, "arm-nerve-symptoms", Certainty.SURE, "learned"),)),
    )

    assert [flag.id for flag in report.flags] == [SELF_HARM]


def test_a_lower_concern_elsewhere_or_found_by_the_patterns_is_kept(
    checker: RedFlagChecker, rules: RuleSet
) -> None:
    elsewhere = Hit(
        rule=rules.get("achilles-rupture"),
        evidence="felt a kick at the back of my heel on the jump and can't push off",
        third_person=False,
        certainty=Certainty.SURE,
        detector="learned",
        sentence=2,
    )
    report = combine(
        checker,
        Findings((hit(rules, "exertional-chest-pain", Certainty.SURE, "patterns"), elsewhere)),
    )
    by_patterns = combine(
        checker,
        Findings(
            (
                hit(rules, "exertional-chest-pain", Certainty.SURE, "patterns"),
                hit(rules, "achilles-rupture", Certainty.SURE, "patterns"),
            )
        ),
    )

    assert [flag.id for flag in report.flags] == ["exertional-chest-pain", "achilles-rupture"]
    assert [flag.id for flag in by_patterns.flags] == ["exertional-chest-pain", "achilles-rupture"]
