"""The pieces of a message the learned detector scores: sentences, pairs and word windows.

Real posts are long stories with the warning sign buried in one sentence, so a whole-message
score dilutes it. Each sentence is scored on its own, and so is each pair of neighbouring
sentences (a sign told across two: "back went on Saturday. now I can't feel the loo roll").
A run-on sentence (a paste with no full stops) is cut into overlapping word windows. A short
message is also scored whole, as the short labelled messages were learned whole.

The number of units is bounded, so a 100 kB paste costs about what a long post costs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from bot.redflags.text import NormalisedText

# A sentence longer than this is a run-on: cut into windows of WINDOW_WORDS words.
MAX_SENTENCE_WORDS = 45
WINDOW_WORDS = 30
WINDOW_STRIDE = 15
# A message this short is also scored whole.
WHOLE_MESSAGE_WORDS = 60
# Pairs are scored only when both sentences together stay this short.
MAX_PAIR_WORDS = 60
MIN_UNIT_WORDS = 2
MAX_UNITS = 72

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Unit:
    """A span of the normalised text, with the member's own words for the encoder."""

    start: int
    end: int
    text: str
    sentence: int
    """The index of the first sentence it covers: where its evidence is framed."""
    whole: bool = False


def split_units(normalised: NormalisedText, max_units: int = MAX_UNITS) -> list[Unit]:
    """Sentences (or windows of run-on ones), then neighbouring pairs, then the whole."""
    pieces: list[Unit] = []
    for sentence in normalised.sentences:
        words = list(_WORD.finditer(normalised.text, sentence.start, sentence.end))
        if len(words) < MIN_UNIT_WORDS:
            continue
        if len(words) <= MAX_SENTENCE_WORDS:
            pieces.append(_unit(normalised, words[0].start(), words[-1].end(), sentence.index))
            continue
        for first in range(0, max(1, len(words) - WINDOW_STRIDE), WINDOW_STRIDE):
            window = words[first : first + WINDOW_WORDS]
            pieces.append(_unit(normalised, window[0].start(), window[-1].end(), sentence.index))
            if len(pieces) >= max_units:
                break
        if len(pieces) >= max_units:
            break
    pieces = pieces[:max_units]
    units = list(pieces)
    for left, right in pairwise(pieces):
        if len(units) >= max_units:
            break
        if left.sentence == right.sentence:
            continue  # windows of one run-on sentence already overlap
        if _words(left) + _words(right) <= MAX_PAIR_WORDS:
            units.append(_unit(normalised, left.start, right.end, left.sentence))
    total_words = len(_WORD.findall(normalised.text))
    if len(pieces) > 1 and total_words <= WHOLE_MESSAGE_WORDS and len(units) < max_units:
        units.append(_unit(normalised, 0, len(normalised.text), 0, whole=True))
    if not pieces and normalised.text.strip():
        units.append(_unit(normalised, 0, len(normalised.text), 0, whole=True))
    return units


def _unit(
    normalised: NormalisedText, start: int, end: int, sentence: int, whole: bool = False
) -> Unit:
    return Unit(start, end, normalised.original_span(start, end), sentence, whole)


def _words(unit: Unit) -> int:
    return len(unit.text.split())
