"""Does a pattern's look-alike explain the match away: is the look-alike asserted?

A pattern in rules.yaml may name look-alikes (`except`): a bike seat for a numb groin, a
cramp for a hot calf. "my undercarriage is numb like after 6 hrs on a bike seat, except i
havent been on a bike" mentions a bike twice and asserts it neither time; "right calf is
puffy, hot and achey, like a constant cramp" compares, and "just a bad cramp?" guesses. A
look-alike counts unless it is denied, compared with, guessed at, tried and found wanting
or said to be usually over by now. The word lists are in lookalike.yaml.
"""

from __future__ import annotations

import re

from bot.redflags.context.negation import denied_within
from bot.redflags.context.words import word_lists
from bot.redflags.text import NormalisedText, Sentence

_WORDS = word_lists("lookalike.yaml")

# "like after 6 hrs on a bike seat", "like a constant cramp", "as if ive been on the bike":
# the look-alike is a comparison, not what happened.
_SIMILE_BEFORE = _WORDS.compile(
    r"\b(?:@similes)(?: (?:@simile_leads))(?: (?!(?:@simile_stops)\b)\w+){0,4} ?$"
)
# "way worse than shin splints", "nothing like doms", "unlike a pump": set apart from it.
_COMPARED_BEFORE = _WORDS.compile(r"\b(?:@compared)(?: (?:@compared_fillers))* ?$")
# A look-alike tried and found wanting explains nothing: "the inhaler didnt do anything",
# "gaviscon does nothing for it".
_FAILED_AFTER = _WORDS.compile(
    r"\W*(?:\w+ ){0,2}?(?:(?:@failed_negators) (?:@failed)|(?:does|did|do) nothing)"
)
# What the look-alike is usually like, set against now: "pump is normally gone in 20 min".
_USUAL_AFTER = _WORDS.compile(
    r"\W*(?:is |s |are |goes |fades )?(?:@usually) (?:\w+ )?(?:@usually_over)"
)
# "just a bad cramp?", "is it just doms?": the member's hopeful guess, which the red flag
# should not be talked out of; so is "should I stop doing farmer's carries?".
_GUESS_BEFORE = _WORDS.compile(r"\b(?:@guesses)(?: (?:@guess_fillers))* ?$")
_CUE_NEGATION_GAP = 3
# A contrast that sets what follows against what came before.
_CONTRAST = _WORDS.compile(r"\b(?:@contrasts)\b")


class Lookalikes:
    """Look-alike exclusions over one message; answers are cached per pattern and sentence."""

    def __init__(self, text: NormalisedText) -> None:
        self.text = text
        self._asserted: dict[tuple[int, int], list[int]] = {}
        self._denied: dict[tuple[int, int], set[str]] = {}

    def applies(
        self, exclusions: re.Pattern[str], sentence: Sentence, start: int | None = None
    ) -> bool:
        """A pattern's look-alike cue is asserted in the sentence and reaches the match.

        "my undercarriage is numb like after 6 hrs on a bike seat, except i havent been on a
        bike" mentions a bike twice and asserts it neither time; "right calf is puffy, hot and
        achey, like a constant cramp" compares, and "just a bad cramp?" guesses. A cue counts
        unless it is denied, compared with or guessed at. A cue set against the match by a
        contrast ("usual migraine sufferer, but this one came on like a thunderclap") does not
        reach it; one that explains it afterwards ("numb, but I was on the bike") does. A cue the
        member denies anywhere in the message does not count where someone else offers it:
        "coach says its asthma but i dont have asthma".
        """
        key = (id(exclusions), sentence.index)
        asserted = self._asserted.get(key)
        if asserted is None:
            denied = self._denied_cues(exclusions)
            asserted = [
                found.end()
                for found in exclusions.finditer(sentence.text)
                if found.end() > found.start()
                and found.group(0) not in denied
                and self._cue_asserted(sentence, found)
            ]
            self._asserted[key] = asserted
        if start is None:
            return bool(asserted)
        offset = start - sentence.start
        return any(
            cue_end >= offset or not _CONTRAST.search(sentence.text, cue_end, offset)
            for cue_end in asserted
        )

    def _denied_cues(self, exclusions: re.Pattern[str]) -> set[str]:
        """The look-alike words the member denies somewhere in the message."""
        key = (id(exclusions), -1)
        cached = self._denied.get(key)
        if cached is None:
            cached = {
                found.group(0)
                for sentence in self.text.sentences
                for found in exclusions.finditer(sentence.text)
                if found.end() > found.start() and _cue_negated(sentence, found)
            }
            self._denied[key] = cached
        return cached

    def _cue_asserted(self, sentence: Sentence, found: re.Match[str]) -> bool:
        before = sentence.text[: found.start()]
        if _SIMILE_BEFORE.search(before) or _COMPARED_BEFORE.search(before):
            return False
        if _GUESS_BEFORE.search(before) and "?" in sentence.text[found.end() : found.end() + 40]:
            return False
        if _FAILED_AFTER.match(sentence.text, found.end()) or _USUAL_AFTER.match(
            sentence.text, found.end()
        ):
            return False
        return not _cue_negated(sentence, found)


def _cue_negated(sentence: Sentence, found: re.Match[str]) -> bool:
    """The look-alike word is denied: "i havent been on a bike"."""
    return denied_within(sentence.text[: found.start()], _CUE_NEGATION_GAP)
