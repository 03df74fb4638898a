"""Is a matched symptom someone else's: "my dad can't pee", "he collapsed at training"?

A sentence is about someone else when it names another person ("my dad", "a lad at
parkrun") or uses a third-person pronoun, and has no first person of its own beyond asking
what to do or being told ("what should I do", "he told me"). A fragment with no person of
its own continues the sentence before it. A message that opens with "he" or "she" is about
someone else from the start. The referral then speaks to a helper, not a patient. The word
lists are in person.yaml.
"""

from __future__ import annotations

from functools import cached_property

from bot.redflags.context.hypothetical import OWN_EXPERIENCE, PERSONAL_MARKER
from bot.redflags.context.words import word_lists
from bot.redflags.text import NormalisedText, Sentence

_WORDS = word_lists("person.yaml")

_OTHER_PERSON = _WORDS.compile(
    r"(?:\b(?:my|our|a|his|her) (?:@relations)s?\b(?! and i\b)|\b(?:@someone))"
    r"(?: (?:in|at|from|of) (?:my|our|the) \w+(?: \w+)?)?"
)
_THIRD_PRONOUN = _WORDS.compile(r"\b(?:@third_pronouns)\b")
_FIRST_PERSON = _WORDS.compile(r"\b(?:@first_person)\b")
_THIRD_SUBJECT = _WORDS.compile(r"(?:@third_subjects|(?:@bare_relations)s?)\b")
_GENERIC_FIRST = _WORDS.compile(r"\b(?:@generic_first)\b")


class People:
    """Who the sentences of one message are about; per-sentence answers are cached."""

    def __init__(self, text: NormalisedText) -> None:
        self.text = text
        self._third_person: list[bool] = []

    @cached_property
    def mentions_other_person(self) -> bool:
        # A named person ("my dad", "a lad at parkrun"), or a message that opens about "he" or
        # "she" ("he's had a bad back for a week and ..."; not "Physio says I'm fine. He ...").
        return bool(_OTHER_PERSON.search(self.text.text)) or bool(
            _THIRD_SUBJECT.match(self.text.text)
        )

    def is_third_person(self, sentence: Sentence) -> bool:
        """The sentence is about someone other than the member."""
        if not self.mentions_other_person:
            return False
        for current in range(len(self._third_person), sentence.index + 1):
            self._third_person.append(self._sentence_is_third_person(current))
        return self._third_person[sentence.index]

    def _sentence_is_third_person(self, index: int) -> bool:
        text = self.text.sentences[index].text
        stripped = _GENERIC_FIRST.sub(" ", _OTHER_PERSON.sub(" ", text))
        if _FIRST_PERSON.search(stripped):
            return False
        if _OTHER_PERSON.search(text) or _THIRD_PRONOUN.search(text):
            return True
        if index == 0 and _THIRD_SUBJECT.match(text.strip()):
            return True
        # A fragment after "my dad is 70." with no person of its own is still about him.
        return index > 0 and not PERSONAL_MARKER.search(text) and self._third_person[index - 1]

    def about_someone_else(self) -> bool:
        """The message as a whole is about another person, with no first-person symptoms."""
        if not self.mentions_other_person:
            return False
        return all(
            self.is_third_person(s) or not OWN_EXPERIENCE.search(s.text)
            for s in self.text.sentences
        ) and any(self.is_third_person(s) for s in self.text.sentences)
