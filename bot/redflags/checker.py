"""RedFlagChecker: runs the rules over one message and builds the report.

A pattern fires when each of its groups has a *live* match: one that is not negated,
not hypothetical or educational, and not resolved history (unless the group says past
history is itself the flag, as with "had breast cancer", or that a recent event counts even
once it has settled, as with "was out cold, feel fine now"). A pattern's look-alike
exclusions ("after leg day", "cramp", "bike") apply only when the member asserts the
look-alike: not when it is denied ("i havent been on a bike"), a comparison ("like a
constant cramp") or a hopeful guess ("just a bad cramp?"). An optional semantic matcher
adds flags for paraphrases the patterns miss, under the same context rules. An optional
learned check (`bot.redflags.learned`) may lift a message above what the patterns found,
unless the patterns saw that concern and their context rules set it aside.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.redflags.context import MatchContext, MessageContext
from bot.redflags.learned import DEFAULT_THRESHOLD
from bot.redflags.referral import compose_message, referral_text
from bot.redflags.report import Level, RaisedFlag, RedFlagReport
from bot.redflags.rules import Pattern, Rule, RuleSet, default_rules_path, load_rules
from bot.redflags.text import NormalisedText, Sentence

if TYPE_CHECKING:
    from bot.redflags.learned import LearnedCheck
    from bot.redflags.semantic import SemanticMatcher

# Enough to find a live match of a common word in a very long message, bounded so that a
# 100 kB paste stays fast.
_MAX_MATCHES_PER_GROUP = 40
_MAX_EVIDENCE = 160


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    sentence: Sentence
    context: MatchContext


@dataclass(frozen=True)
class Hit:
    """A rule that fired on a message, with the spans that made it fire."""

    rule: Rule
    evidence: str
    third_person: bool
    semantic: bool = False


class RedFlagChecker:
    """Checks messages against a rule set; safe to share between threads."""

    _default_lock = threading.Lock()
    _default: tuple[Path, float, RedFlagChecker] | None = None

    def __init__(
        self,
        rules: RuleSet,
        semantic: SemanticMatcher | None = None,
        learned: LearnedCheck | None = None,
        learned_threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.rules = rules
        self.semantic = semantic
        self.learned = learned
        self.learned_threshold = learned_threshold
        self._by_id = {rule.id: rule for rule in rules}

    def with_learned(self, learned: LearnedCheck, threshold: float) -> RedFlagChecker:
        """This checker's rules, with the learned check beside them."""
        return RedFlagChecker(self.rules, self.semantic, learned, threshold)

    @classmethod
    def default(cls) -> RedFlagChecker:
        """The shipped rules (``corpus/redflags/rules.yaml``), compiled once and cached."""
        path = default_rules_path()
        mtime = path.stat().st_mtime if path.exists() else 0.0
        with cls._default_lock:
            cached = cls._default
            if cached is None or cached[0] != path or cached[1] != mtime:
                cached = (path, mtime, cls(load_rules(path)))
                cls._default = cached
            return cached[2]

    def check(self, text: str, emergency_number: str | None = None) -> RedFlagReport:
        """The red-flag report for one message (never raises on odd input)."""
        normalised = NormalisedText(text if isinstance(text, str) else str(text))
        context = MessageContext(normalised)
        hits = list(self.hits(normalised, context))
        if not hits:
            return RedFlagReport.clear(context.about_someone_else())
        hits.sort(key=lambda hit: -hit.rule.level.rank)
        top_level = hits[0].rule.level
        helper = all(hit.third_person for hit in hits if hit.rule.level is top_level)
        flags = tuple(
            RaisedFlag(
                id=hit.rule.id,
                level=hit.rule.level,
                title=hit.rule.title,
                evidence=hit.evidence,
                referral=referral_text(hit.rule, emergency_number, for_helper=helper),
            )
            for hit in hits
        )
        message = compose_message([hit.rule for hit in hits], emergency_number, for_helper=helper)
        return RedFlagReport(top_level, flags, message, about_someone_else=helper)

    def hits(self, normalised: NormalisedText, context: MessageContext) -> Iterator[Hit]:
        """Every rule that fires, in rules-file order, after superseding."""
        found: dict[str, Hit] = {}
        if normalised.text:
            for rule in self.rules:
                hit = self._match_rule(rule, normalised, context)
                if hit is not None:
                    found[rule.id] = hit
            if self.semantic is not None:
                for hit in self.semantic.hits(normalised, context, exclude=set(found)):
                    found.setdefault(hit.rule.id, hit)
            if self.learned is not None:
                learned = self._learned_hit(normalised, context, found)
                if learned is not None:
                    found.setdefault(learned.rule.id, learned)
        for hit in found.values():
            if not any(other in found for other in hit.rule.superseded_by):
                yield hit

    def _learned_hit(
        self, normalised: NormalisedText, context: MessageContext, found: dict[str, Hit]
    ) -> Hit | None:
        """The learned check's flag, when it is surer of a higher level than the patterns."""
        assert self.learned is not None
        current = max((hit.rule.level for hit in found.values()), default=Level.NONE)
        if current is Level.EMERGENCY:
            return None
        if all(context.is_hypothetical(s, s.end) for s in normalised.sentences):
            return None  # a what-if or a general question from start to end
        verdict = self.learned.verdict(normalised.original)
        level = verdict.level(self.learned_threshold)
        if level <= current or self._set_aside(normalised, above=current):
            return None
        rule_id = verdict.likeliest_rule(rule.id for rule in self.rules if rule.level is level)
        if rule_id is None:
            return None
        sentences = [normalised.original_span(s.start, s.end) for s in normalised.sentences]
        evidence = self.learned.likeliest_sentence(sentences) or normalised.original.strip()
        return Hit(
            rule=self._by_id[rule_id],
            evidence=evidence[:_MAX_EVIDENCE],
            third_person=context.about_someone_else(),
            semantic=True,
        )

    def _set_aside(self, normalised: NormalisedText, above: Level) -> bool:
        """The patterns saw a concern at urgent or more, above `above`, and let it go.

        "clashed heads, no headache, no dizziness, feel fine" matches the head-injury
        patterns and is cleared by negation; the learned check must not overrule that.
        """
        blind = _ContextBlind(normalised)
        return any(
            rule.level >= Level.URGENT
            and rule.level > above
            and self._match_rule(rule, normalised, blind) is not None
            for rule in self.rules
        )

    def _match_rule(
        self, rule: Rule, normalised: NormalisedText, context: MessageContext
    ) -> Hit | None:
        for pattern in rule.patterns:
            spans = self._match_pattern(pattern, normalised, context)
            if spans is not None:
                return Hit(
                    rule=rule,
                    evidence=_evidence(normalised, spans),
                    third_person=all(span.context.third_person for span in spans),
                )
        return None

    def _match_pattern(
        self, pattern: Pattern, normalised: NormalisedText, context: MessageContext
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
                span_context = context.classify(match.start(), match.end())
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

    def classify(self, start: int, end: int) -> MatchContext:
        return MatchContext(third_person=super().classify(start, end).third_person)

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
    evidence = " ... ".join(pieces)
    return evidence[:_MAX_EVIDENCE]


__all__ = ["Hit", "RedFlagChecker", "load_rules"]
