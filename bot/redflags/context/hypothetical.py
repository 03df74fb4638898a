"""Is a matched symptom a what-if or a general question, not something happening now?

"what if my leg goes numb?" and "PSA for lifters: numbness between your legs with back pain
means same day A&E" name red-flag symptoms that nobody has. A sentence is framed as a
what-if by a cue such as "what if", "in case" or "scared of getting", and as educational by
a question about symptoms in general or study ("signs of", "for my exam"), unless it names a
specific person. A fragment with no person of its own ("night pain, weight loss?") inherits
the frame of the sentence before it. "would X be something to worry about?" is a what-if
only when the message plans ahead, disclaims having it or asks about a generic person. The
word lists are in hypothetical.yaml.
"""

from __future__ import annotations

import re
from functools import cached_property

from bot.redflags.context.words import word_lists
from bot.redflags.text import NormalisedText, Sentence

_WORDS = word_lists("hypothetical.yaml")

_HYPOTHETICAL_CUE = _WORDS.compile(r"\b(?:@what_if)\b")
# A what-if after the match governs it only within its clause: "numb legs - what if that
# happens?", not "stiff for ages, and ... gets better if i get up".
_AFTER_CUE_BREAK = re.compile(r"\b(?:but|and now|now)\b|[,;]")
# A what-if before the match does not reach past a "but" or "now" in between.
_CUE_CANCELLED = re.compile(r"\b(?:but|however|now|and now|anyway)\b")
# "would sudden breathlessness on the plane be something to worry about?" is a what-if only
# when the message plans ahead ("flying back next week"); asked about something happening
# now, it is the member's own symptom.
_WOULD_WORRY = _WORDS.compile(
    r"\bwould (?:\w+ ){0,12}?(?:be|count as|mean) (?:\w+ )?(?:@worry_words)\b"
)
# "would numbness in your groin be something to worry about": a generic person.
_GENERIC_PERSON = _WORDS.compile(r"\b(?:@generic_people)\b")
_FUTURE_PLAN = _WORDS.compile(r"\b(?:@future_plans)\b")
# "I don't have it, I just read about it": a would-question asked out of curiosity.
_DISCLAIMER = _WORDS.compile(r"\b(?:@disclaimers)")
_EDUCATIONAL_CUE = _WORDS.compile(
    r"\b(?:@educational)\b|"
    r"\b(?:is it|its|is that) (?:\w+ )?(?:@normal_words) for (?:@groups_of_people)\b"
)
# A sentence in which the member describes their own (or someone's) current experience.
OWN_EXPERIENCE = _WORDS.compile(r"\b(?:@own_experience)\b")
# Personal words that do not make an educational question about the member's own body.
_EDUCATIONAL_PERSONAL_OK = _WORDS.compile(r"\b(?:@educational_personal_ok)\b")
_SPECIFIC_PERSON = _WORDS.compile(r"\b(?:@specific_person)\b")
PERSONAL_MARKER = _WORDS.compile(r"\b(?:@personal_markers)\b")


# A comma, then the member speaking of themself in the present: a clause of its own.
_OWN_CLAUSE = re.compile(
    r",\s*(?:and |but |cos |because )?(?:i|im|ive|my)\b(?! (?:was|were|would|could|might|should)\b)"
)


class Framing:
    """What-if and educational framing over one message; per-sentence answers are cached."""

    def __init__(self, text: NormalisedText) -> None:
        self.text = text
        self._sentence_frames: dict[int, tuple[bool, bool]] = {}

    def is_hypothetical(self, sentence: Sentence, start: int, *, strict: bool = False) -> bool:
        """The match starting at `start` in `sentence` is a what-if or a general question.

        `strict` (the safety floor): a what-if does not reach past a clause in which the member
        says what is happening to them ("what if it gets worse, i already cant feel my bum").
        """
        hypothetical, educational = self.frame(sentence.index)
        if educational:
            return True
        if not hypothetical:
            return False
        before = self.text.text[sentence.start : start]
        cues = list(_HYPOTHETICAL_CUE.finditer(sentence.text))
        if self._plans_ahead or self._disclaims or _GENERIC_PERSON.search(sentence.text):
            cues += list(_WOULD_WORRY.finditer(sentence.text))
        if not cues:
            return True  # inherited from the sentence before
        # The cue must come before the match (or be in the same clause after it, as in
        # "numb legs - what if that happens?"), with no "but now" in between.
        for cue in cues:
            cue_start = sentence.start + cue.start()
            if cue_start <= start:
                gap = self.text.text[cue_start:start]
                if not _CUE_CANCELLED.search(gap) and not (strict and _OWN_CLAUSE.search(gap)):
                    return True
            elif not _AFTER_CUE_BREAK.search(self.text.text[start:cue_start]):
                return not bool(OWN_EXPERIENCE.search(before))
        return False

    def frame(self, index: int) -> tuple[bool, bool]:
        """(hypothetical, educational) for sentence `index`, inheriting into fragments."""
        # Filled in order (not recursively): a 100 kB message may have thousands of fragments.
        for current in range(len(self._sentence_frames), index + 1):
            sentence = self.text.sentences[current].text
            hypothetical = bool(_HYPOTHETICAL_CUE.search(sentence)) or (
                bool(_WOULD_WORRY.search(sentence))
                and (self._plans_ahead or self._disclaims or bool(_GENERIC_PERSON.search(sentence)))
            )
            educational = bool(_EDUCATIONAL_CUE.search(sentence)) and not _SPECIFIC_PERSON.search(
                _EDUCATIONAL_PERSONAL_OK.sub(" ", sentence)
            )
            inherits = current > 0 and not PERSONAL_MARKER.search(sentence)
            if not (hypothetical or educational) and inherits:
                # "What counts as a red flag? night pain, weight loss?" - the fragment
                # continues the question before it.
                hypothetical, educational = self._sentence_frames[current - 1]
            self._sentence_frames[current] = (hypothetical, educational)
        return self._sentence_frames[index]

    @cached_property
    def _plans_ahead(self) -> bool:
        return bool(_FUTURE_PLAN.search(self.text.text))

    @cached_property
    def _disclaims(self) -> bool:
        return bool(_DISCLAIMER.search(self.text.text))
