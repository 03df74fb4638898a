"""The pattern detector: the catalogue's patterns, read with the context rules.

A pattern fires when each of its groups has a *live* match: one that is not negated, not
hypothetical or educational, and not resolved history (unless the group says past history
is itself the flag, as with "had breast cancer", or that a recent event counts even once it
has settled, as with "was out cold, feel fine now"). A pattern's look-alike exclusions
("after leg day", "cramp", "bike") apply only when the member asserts the look-alike: not
when it is denied ("i havent been on a bike"), a comparison ("like a constant cramp") or a
hopeful guess ("just a bad cramp?").

A rule whose patterns match only once the context rules are ignored is reported as set
aside: the words are there, and the checker weighs that against the other detectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.redflags.context import MatchContext, MessageContext
from bot.redflags.detectors import Certainty, Findings, Hit, Message
from bot.redflags.report import Level
from bot.redflags.rules import Pattern, Rule, RuleSet
from bot.redflags.text import NormalisedText, Sentence

# Enough to find a live match of a common word in a very long message, bounded so that a
# long paste stays fast.
_MAX_MATCHES_PER_GROUP = 40
_MAX_EVIDENCE = 160


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    sentence: Sentence
    context: MatchContext


class PatternDetector:
    """Runs every rule's patterns over a message; safe to share between threads."""

    name = "patterns"

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules

    def detect(self, message: Message) -> Findings:
        if not message.normalised.text:
            return Findings()
        hits = []
        blind: _ContextBlind | None = None
        for rule in self.rules:
            hit = self._match_rule(rule, message.normalised, message.context, Certainty.SURE)
            if hit is None and rule.level >= Level.URGENT:
                blind = blind or _ContextBlind(message.normalised)
                hit = self._match_rule(rule, message.normalised, blind, Certainty.SET_ASIDE)
            if hit is not None:
                hits.append(hit)
        return Findings(tuple(hits))

    def _match_rule(
        self,
        rule: Rule,
        normalised: NormalisedText,
        context: MessageContext,
        certainty: Certainty,
    ) -> Hit | None:
        # The safety floor: an emergency is set aside only by a cue that governs its words.
        strict = rule.level is Level.EMERGENCY
        for pattern in rule.patterns:
            spans = _match_pattern(pattern, normalised, context, strict)
            if spans is not None:
                return Hit(
                    rule=rule,
                    evidence=_evidence(normalised, spans),
                    third_person=all(span.context.third_person for span in spans),
                    certainty=certainty,
                    detector=self.name,
                    sentence=min(span.sentence.index for span in spans),
                    last_sentence=max(span.sentence.index for span in spans),
                )
        return None


def _match_pattern(
    pattern: Pattern, normalised: NormalisedText, context: MessageContext, strict: bool
) -> list[_Span] | None:
    live_per_group: list[list[_Span]] = []
    for group in pattern.groups:
        live: list[_Span] = []
        for count, match in enumerate(group.regex.finditer(normalised.text)):
            if count >= _MAX_MATCHES_PER_GROUP:
                break
            if match.end() == match.start():
                continue
            sentence = normalised.sentence_at(match.start())
            if pattern.exclusions is not None and context.lookalike_applies(
                pattern.exclusions, sentence, match.start()
            ):
                continue
            span_context = context.classify(match.start(), match.end(), strict=strict)
            if span_context.blocks(history_ok=group.history_ok, resolved_ok=group.resolved_ok):
                continue
            live.append(_Span(match.start(), match.end(), sentence, span_context))
            if not (pattern.same_sentence or pattern.nearby):
                break
        if not live:
            return None
        live_per_group.append(live)
    if pattern.nearby:
        return _nearby(live_per_group)
    if not pattern.same_sentence:
        return [spans[0] for spans in live_per_group]
    shared = set.intersection(*({s.sentence.index for s in spans} for spans in live_per_group))
    if not shared:
        return None
    first = min(shared)
    return [next(s for s in spans if s.sentence.index == first) for spans in live_per_group]


class _ContextBlind(MessageContext):
    """Every match counts: no negation, what-if, history or look-alike sets one aside."""

    def classify(self, start: int, end: int, *, strict: bool = False) -> MatchContext:
        return MatchContext(third_person=self.is_third_person(self.text.sentence_at(start)))

    def lookalike_applies(self, *args: object, **kwargs: object) -> bool:
        return False


def _nearby(live_per_group: list[list[_Span]]) -> list[_Span] | None:
    """One span per group, all in one sentence or in it and the sentence right after it."""
    indices = sorted({span.sentence.index for spans in live_per_group for span in spans})
    for first in indices:
        chosen = []
        for spans in live_per_group:
            span = next((s for s in spans if first <= s.sentence.index <= first + 1), None)
            if span is None:
                break
            chosen.append(span)
        else:
            return chosen
    return None


def _evidence(normalised: NormalisedText, spans: list[_Span]) -> str:
    """The member's own words behind the matched spans, in reading order."""
    pieces: list[str] = []
    covered: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: s.start):
        if any(start <= span.start and span.end <= end for start, end in covered):
            continue
        covered.append((span.start, span.end))
        end = span.end
        while end < len(normalised.text) and normalised.text[end].isalnum():
            end += 1  # finish the word: "wipe" -> "wipes"
        piece = normalised.original_span(span.start, end)
        if len(piece) > 80:
            piece = piece[:77].rstrip() + "..."
        pieces.append(piece)
    return " ... ".join(pieces)[:_MAX_EVIDENCE]
