"""Normalising a member's message for pattern matching, and splitting it into sentences.

Patterns are written against one canonical form: lower case, NFKC, no apostrophes
("can't" and "cant" both become "cant"), hyphens as spaces, one space between words,
invisible and control characters gone. Every character of the normalised text remembers
where it came from, so evidence can be quoted from the member's own words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

_APOSTROPHES = frozenset("'’‘ʼ`´′")
# "my back's killing me" must read "my back is killing me", not "my backs killing me".
# Limited to words that are rarely plural, so "my dad's calf" keeps its possessive.
_IS_CONTRACTION = re.compile(
    r"\b(back|chest|neck|head|bum|butt|pee|wee|urine|speech|face|heart|bladder|groin|spine|"
    r"calf|knee|ankle|wrist|elbow|shoulder|hip|leg|arm|hand|foot|pain|it|he|she|that|there|"
    r"what|who|headache|vision|pulse|breathing|mouth|smile|shin|forearm|thigh|stomach|belly|"
    r"tummy|achilles|bicep|biceps)'s\b( been\b)?"
)
_HYPHENS = frozenset("-‐‑‒–—―−_/")
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n+|(?<=\w)[.!?]+(?=[a-z])")


@lru_cache(maxsize=4096)
def _canonical(char: str) -> str:
    """What one original character becomes: '' (dropped), ' ', '\\n' or folded text."""
    if char in _APOSTROPHES:
        return "'"
    if char in "\n\r\u2028\u2029\x85":
        return "\n"
    if char in _HYPHENS:
        return " "
    category = unicodedata.category(char)
    if category == "Cf" or category == "Mn":
        # Zero-width joiners, direction marks, variation selectors, combining accents.
        return ""
    if category in ("Cc", "Cs", "Co", "Cn") or category.startswith("Z"):
        return " "
    folded = unicodedata.normalize("NFKC", char).casefold()
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    if folded == "&":
        return " and "
    return folded


@dataclass(frozen=True)
class Sentence:
    """One sentence of the normalised text: [start, end) offsets into it."""

    index: int
    start: int
    end: int
    text: str


class NormalisedText:
    """A message in canonical form, with a map back to the original characters."""

    def __init__(self, original: str) -> None:
        self.original = original
        chars: list[str] = []
        origins: list[int] = []
        for index, char in enumerate(original):
            for piece in _canonical(char):
                if piece in " \n" and chars and chars[-1] in " \n":
                    if piece == "\n":
                        chars[-1] = "\n"
                    continue
                if piece in " \n" and not chars:
                    continue
                chars.append(piece)
                origins.append(index)
        while chars and chars[-1] in " \n":
            chars.pop()
            origins.pop()
        text = "".join(chars)
        if "'" in text:
            text, origins = _rewrite(text, origins, _IS_CONTRACTION, _expand_contraction)
            text, origins = _rewrite(text, origins, _APOSTROPHE_RUN, lambda m: "")
        self.text = text
        self._origins = origins
        self._sentences: tuple[Sentence, ...] | None = None

    def __len__(self) -> int:
        return len(self.text)

    def original_span(self, start: int, end: int) -> str:
        """The member's own characters behind normalised text[start:end]."""
        if not self._origins or start >= end:
            return ""
        first = self._origins[min(start, len(self._origins) - 1)]
        last = self._origins[min(end, len(self._origins)) - 1]
        return " ".join(self.original[first : last + 1].split())

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        """The [first, last) offsets in the original text behind normalised text[start:end]."""
        if not self._origins or start >= end:
            return (0, 0)
        first = self._origins[min(start, len(self._origins) - 1)]
        last = self._origins[min(end, len(self._origins)) - 1]
        return first, last + 1

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        if self._sentences is None:
            self._sentences = tuple(_split_sentences(self.text))
        return self._sentences

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence containing `offset` (the last one when past the end)."""
        sentences = self.sentences
        low, high = 0, len(sentences) - 1
        while low < high:
            middle = (low + high) // 2
            if sentences[middle].end <= offset:
                low = middle + 1
            else:
                high = middle
        return sentences[low]


_APOSTROPHE_RUN = re.compile("'+")


def _expand_contraction(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(1)} has been"
    return f"{match.group(1)} is"


def _rewrite(
    text: str, origins: list[int], pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> tuple[str, list[int]]:
    """Substitute `pattern` in text, keeping each new character's origin in the original."""
    pieces: list[str] = []
    new_origins: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(text[last : match.start()])
        new_origins.extend(origins[last : match.start()])
        replacement = replace(match)
        pieces.append(replacement)
        anchor = origins[match.start()] if match.start() < len(origins) else origins[-1]
        new_origins.extend([anchor] * len(replacement))
        last = match.end()
    pieces.append(text[last:])
    new_origins.extend(origins[last:])
    return "".join(pieces), new_origins


def _split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        end = boundary.end()
        if text[start:end].strip(" \n.!?;"):
            sentences.append(Sentence(len(sentences), start, end, text[start:end]))
            start = end
    if start < len(text) or not sentences:
        sentences.append(Sentence(len(sentences), start, len(text), text[start:]))
    return sentences
