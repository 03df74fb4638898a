"""Detectors: each reads a message and says which catalogue concerns it sees, and how surely.

Every detector returns `Hit`s for concerns of the catalogue (`corpus/redflags/rules.yaml`).
The checker (`bot.redflags.checker`) only combines them: a sure hit refers, a partial one
asks the member a screening question, and a hit the context rules set aside counts only as
a disagreement to weigh (see the checker).

- `patterns.PatternDetector`: the catalogue's patterns with the context rules (negation,
  what-if, history, someone else, look-alikes). Short, high-precision, readable.
- `learned.LearnedDetector`: a small classifier over sentence embeddings, scoring every
  sentence, pair of sentences and word window of a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from bot.redflags.context import MessageContext
from bot.redflags.report import Level
from bot.redflags.rules import Rule
from bot.redflags.text import NormalisedText

# Messages of this many characters or more are long posts (stories with context); shorter
# ones are chat messages. The learned detector has thresholds for each, and the evaluation
# reports each (issue 11's targets differ by length).
LONG_MESSAGE = 300


class Certainty(str, Enum):  # noqa: UP042 - a str mixin, compared with strings in tests
    """How far a hit goes on its own."""

    SURE = "sure"
    """Enough to refer."""
    PARTIAL = "partial"
    """Enough to ask one screening question, not to refer."""
    SET_ASIDE = "set_aside"
    """The words are there, but the context rules read them as denied, a what-if, over, or
    a look-alike. On its own it raises nothing; beside another detector's hit it is a
    disagreement."""


@dataclass(frozen=True)
class Hit:
    """One concern a detector sees in a message, with the member's words it rests on."""

    rule: Rule
    evidence: str
    third_person: bool
    certainty: Certainty
    detector: str
    sentence: int | None = None
    """Index of the sentence the evidence starts in, when the detector knows it."""
    last_sentence: int | None = None
    """Index of the sentence the evidence ends in (None: the one it starts in)."""
    score: float | None = None

    @property
    def sentences(self) -> range:
        """The sentences the evidence spans ("knee to my temple ... thrown up twice" may
        join a sentence the model reads as ordinary to one it does not)."""
        if self.sentence is None:
            return range(0)
        last = self.last_sentence if self.last_sentence is not None else self.sentence
        return range(self.sentence, max(self.sentence, last) + 1)


@dataclass(frozen=True)
class Findings:
    """What one detector found in a message."""

    hits: tuple[Hit, ...] = ()
    clear_sentences: Mapping[Level, frozenset[int]] = field(default_factory=dict)
    """Per level, the sentences the detector read as clearly free of any concern at that
    level or above: another detector's hit at that level resting on one of them is a
    disagreement, and the checker asks instead of referring."""


@dataclass(frozen=True)
class Message:
    """A message as every detector reads it: normalised once, with its context rules."""

    normalised: NormalisedText
    context: MessageContext

    @classmethod
    def of(cls, text: str) -> Message:
        normalised = NormalisedText(text)
        return cls(normalised, MessageContext(normalised))

    @property
    def long(self) -> bool:
        return len(self.normalised.text) >= LONG_MESSAGE


class Detector(Protocol):
    name: str

    def detect(self, message: Message) -> Findings:
        """The concerns this detector sees in `message` (never raises on odd text)."""
        ...


__all__ = ["LONG_MESSAGE", "Certainty", "Detector", "Findings", "Hit", "Message"]
