"""Is a matched symptom the member's own, current and actually present?

A pattern match on "numb down there" means nothing by itself: the member may be saying
they do NOT have it ("no numbness, no bladder issues"), asking about it ("what if my leg
goes numb?"), describing something long over ("had sciatica years ago, fine now") or
talking about someone else ("my dad can't pee"). This module answers those questions for
one matched span, with small hand-written rules tuned to how people write on a fitness
server. Off-the-shelf negation rules are not used on purpose: they read "can't feel it
when I wipe" and "no feeling down there" as negated, when both are the symptom itself.
Patterns include such negative-form symptoms in the match, and only cues *before* the
match (or a bare "no"/"none" right after it) negate it.

When in doubt the rules leave the match live: a needless referral is cheaper than a
missed emergency.

The rules are split by concern, each module with its word lists in a YAML file beside it:
`negation`, `hypothetical` (what-if and educational framing), `history` (past, resolved,
ongoing), `person` (someone else) and `lookalike` (a pattern's look-alike exclusions).
`MessageContext` puts them together for one message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.redflags.context import negation
from bot.redflags.context.history import History
from bot.redflags.context.hypothetical import Framing
from bot.redflags.context.lookalike import Lookalikes
from bot.redflags.context.person import People
from bot.redflags.text import NormalisedText, Sentence


@dataclass(frozen=True)
class MatchContext:
    """How one matched span is framed in its message."""

    negated: bool = False
    hypothetical: bool = False
    historical: bool = False
    third_person: bool = False
    # Settled, but recent and not dated to the past: "blacked out mid run, fine now".
    resolved: bool = False

    def blocks(self, *, history_ok: bool = False, resolved_ok: bool = False) -> bool:
        """True when the match should not count as a current symptom."""
        if self.negated or self.hypothetical:
            return True
        if self.historical:
            return not history_ok
        return self.resolved and not (history_ok or resolved_ok)


class MessageContext:
    """Context rules over one normalised message; per-sentence answers are cached."""

    def __init__(self, text: NormalisedText) -> None:
        self.text = text
        self._framing = Framing(text)
        self._history = History(text)
        self._people = People(text)
        self._lookalikes = Lookalikes(text)

    def classify(self, start: int, end: int, *, strict: bool = False) -> MatchContext:
        """How the match text[start:end] is framed. `strict` (the safety floor of emergency
        concerns): only a negation that governs the match itself sets it aside."""
        sentence = self.text.sentence_at(start)
        historical, resolved = self.history(sentence, start, end)
        return MatchContext(
            negated=self.is_negated(sentence, start, end, strict=strict),
            hypothetical=self.is_hypothetical(sentence, start, strict=strict),
            historical=historical,
            third_person=self.is_third_person(sentence),
            resolved=resolved,
        )

    def is_negated(self, sentence: Sentence, start: int, end: int, *, strict: bool = False) -> bool:
        return negation.is_negated(self.text, sentence, start, end, strict=strict)

    def lookalike_applies(
        self, exclusions: re.Pattern[str], sentence: Sentence, start: int | None = None
    ) -> bool:
        """A pattern's look-alike cue is asserted in the sentence and reaches the match.

        See `Lookalikes.applies`.
        """
        return self._lookalikes.applies(exclusions, sentence, start)

    def is_hypothetical(self, sentence: Sentence, start: int, *, strict: bool = False) -> bool:
        return self._framing.is_hypothetical(sentence, start, strict=strict)

    def history(self, sentence: Sentence, start: int, end: int) -> tuple[bool, bool]:
        """(dated past history, recently settled) for the match; both False when current.

        See `History.history`.
        """
        return self._history.history(sentence, start, end)

    @property
    def mentions_other_person(self) -> bool:
        return self._people.mentions_other_person

    def is_third_person(self, sentence: Sentence) -> bool:
        return self._people.is_third_person(sentence)

    def about_someone_else(self) -> bool:
        """The message as a whole is about another person, with no first-person symptoms."""
        return self._people.about_someone_else()


__all__ = ["MatchContext", "MessageContext"]
