"""RedFlagChecker: runs the detectors over one message and combines what they found.

The checker knows no phrasing. Each detector (`bot.redflags.detectors`) returns hits for
catalogue concerns, each sure, partial or set aside by the context rules; the checker
decides, per concern:

| patterns           | learned detector                    | outcome                      |
|--------------------|-------------------------------------|------------------------------|
| sure               | sure, partial or nothing            | refer                        |
| sure               | reads every sentence the evidence   | its own partial hit: ask;    |
|                    | spans as clearly free of concerns   | else self-harm: ask;         |
|                    | at that level                       | emergency: ask unless the    |
|                    |                                     | reply's safety net lists its |
|                    |                                     | sign; urgent or soon: nothing|
| set aside          | sure                                | ask (self-harm: refer; soon: |
|                    |                                     | nothing)                     |
| set aside          | partial or nothing                  | nothing (self-harm: ask,     |
|                    |                                     | unless the model reads the   |
|                    |                                     | sentence as clear and the    |
|                    |                                     | safety net lists the sign)   |
| nothing            | sure                                | refer                        |
| nothing            | partial                             | ask                          |

"Ask" is one yes/no screening question (the concern's `screening` in the catalogue); the
reply keeps its advice, and the level is the one that stands without an answer. A referred
concern drops the concerns it supersedes and any question that could not raise the level
(a question about self-harm is always kept: its help is not the same as any other's).

When the patterns' evidence for an emergency concern rests only on sentences the model reads
as clearly free of emergencies (a figure of speech, a story long settled, a list of signs to
watch for) -- sure hits for an emergency concern, or self-harm words the context rules set
aside -- both readings say "not now". Then the reply's safety net does the asking if it lists
that concern's sign: "get help now if ..." with, in Discord, a button that escalates.
Otherwise the member is asked the concern's own question. On every labelled set (first-sight
sets after their measurement, and the tuned ones) these questions fell on ordinary posts
only: leaving the covered ones to the safety net cost no serious message a referral or a
question (see docs/redflags.md for the figures).

Messages are capped before any detector reads them (`capped`): the head and the tail of a
very long paste are checked, so a 100 kB message costs about what a long post costs.
"""

from __future__ import annotations

import threading
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.redflags.detectors import Certainty, Detector, Findings, Hit, Message
from bot.redflags.detectors.learned import LearnedDetector
from bot.redflags.detectors.patterns import PatternDetector
from bot.redflags.referral import compose_message, referral_text
from bot.redflags.report import (
    Level,
    RaisedFlag,
    RedFlagReport,
    SafetyNetList,
    ScreeningQuestion,
)
from bot.redflags.rules import SELF_HARM, Rule, RuleSet, default_rules_path, load_rules
from bot.redflags.text import NormalisedText

# The head and the tail of a longer message are checked; a red flag is told near the start
# of a post, or added at its end ("edit: ...").
MAX_CHECKED_HEAD = 3000
MAX_CHECKED_TAIL = 1000
MAX_QUESTIONS = 2


def capped(text: str) -> str:
    """At most MAX_CHECKED_HEAD + MAX_CHECKED_TAIL characters: the head and the tail."""
    if len(text) <= MAX_CHECKED_HEAD + MAX_CHECKED_TAIL:
        return text
    return text[:MAX_CHECKED_HEAD] + "\n" + text[-MAX_CHECKED_TAIL:]


@dataclass(frozen=True)
class _Decision:
    rule: Rule
    refer: bool
    hit: Hit
    read_clear: bool = False
    """The patterns' evidence rests only on sentences the model reads as clearly free of
    concerns at this level: the safety net may ask instead (see the module)."""


class RedFlagChecker:
    """Checks messages with a list of detectors; safe to share between threads."""

    _default_lock = threading.Lock()
    _default: tuple[Path, float, RedFlagChecker] | None = None

    def __init__(self, rules: RuleSet, detectors: Sequence[Detector] | None = None) -> None:
        self.rules = rules
        self.detectors: tuple[Detector, ...] = tuple(
            detectors if detectors is not None else (PatternDetector(rules),)
        )

    def with_detector(self, detector: Detector) -> RedFlagChecker:
        """This checker's detectors, and one more."""
        return RedFlagChecker(self.rules, (*self.detectors, detector))

    @classmethod
    def default(cls) -> RedFlagChecker:
        """The shipped catalogue's patterns alone, compiled once and cached."""
        path = default_rules_path()
        mtime = path.stat().st_mtime if path.exists() else 0.0
        with cls._default_lock:
            cached = cls._default
            if cached is None or cached[0] != path or cached[1] != mtime:
                cached = (path, mtime, cls(load_rules(path)))
                cls._default = cached
            return cached[2]

    def check(
        self,
        text: str,
        emergency_number: str | None = None,
        *,
        tags: Iterable[str] = (),
    ) -> RedFlagReport:
        """The red-flag report for one message (never raises on odd input).

        `tags` are the tags of answers the reply cites: they add safety-net topics.
        """
        message = Message.of(capped(text if isinstance(text, str) else str(text)))
        findings = [detector.detect(message) for detector in self.detectors]
        return self.combine(message, findings, emergency_number, tags=tags)

    def combine(
        self,
        message: Message,
        findings: Sequence[Findings],
        emergency_number: str | None = None,
        *,
        tags: Iterable[str] = (),
        safety_net: tuple[SafetyNetList, ...] | None = None,
    ) -> RedFlagReport:
        """The report for what the detectors found (a pure function of it: calibration
        replays it, passing the message's `safety_net` once computed)."""
        hits = [hit for found in findings for hit in found.hits]
        clear: dict[Level, set[int]] = {}
        for found in findings:
            for level, sentences in found.clear_sentences.items():
                clear.setdefault(level, set()).update(sentences)
        decisions = _decide(hits, clear)
        referred = {d.rule.id: d for d in decisions if d.refer}
        referred = {
            rule_id: d
            for rule_id, d in referred.items()
            if not any(other in referred for other in d.rule.superseded_by)
        }
        referred = {
            rule_id: d for rule_id, d in referred.items() if not _read_twice(d, referred.values())
        }
        top_level = max((d.rule.level for d in referred.values()), default=Level.NONE)
        if safety_net is None:
            safety_net = self._safety_net(message.normalised.text, tags)
        listed = self._listed_signs(safety_net)
        asked = [
            d
            for d in decisions
            if not d.refer
            and d.rule.id not in referred
            and not any(other in referred for other in d.rule.superseded_by)
            and (d.rule.level > top_level or d.rule.id == SELF_HARM)
            and not (d.read_clear and d.rule.id in listed)
        ]
        asked.sort(key=lambda d: (d.rule.id != SELF_HARM, -d.rule.level.rank))
        about_someone_else = message.context.about_someone_else()
        questions = tuple(
            ScreeningQuestion(
                concern=d.rule.id,
                question=d.rule.screening_question(about_someone_else=d.hit.third_person)
                or d.rule.title,
                level=d.rule.level,
                evidence=d.hit.evidence,
            )
            for d in asked[:MAX_QUESTIONS]
        )
        if not referred:
            return RedFlagReport(
                Level.NONE,
                (),
                None,
                about_someone_else=about_someone_else,
                confirm=questions,
                safety_net=safety_net,
            )
        ordered = sorted(referred.values(), key=lambda d: -d.rule.level.rank)
        helper = all(d.hit.third_person for d in ordered if d.rule.level is top_level)
        flags = tuple(
            RaisedFlag(
                id=d.rule.id,
                level=d.rule.level,
                title=d.rule.title,
                evidence=d.hit.evidence,
                referral=referral_text(d.rule, emergency_number, for_helper=helper),
                detector=d.hit.detector,
            )
            for d in ordered
        )
        text = compose_message([d.rule for d in ordered], emergency_number, for_helper=helper)
        return RedFlagReport(
            top_level,
            flags,
            text,
            about_someone_else=helper,
            confirm=questions,
            safety_net=safety_net,
        )

    def safety_net(self, text: str, tags: Iterable[str] = ()) -> tuple[SafetyNetList, ...]:
        """The "get help now if..." lists of every topic `text` or the tags touch."""
        return self._safety_net(NormalisedText(capped(text)).text, tags)

    def _listed_signs(self, safety_net: Iterable[SafetyNetList]) -> set[str]:
        """The concerns whose signs the reply's safety-net lists show."""
        topics = {listed.topic for listed in safety_net}
        return {
            rule.id for topic in self.rules.safety_net if topic.id in topics for rule in topic.signs
        }

    def _safety_net(self, normalised: str, tags: Iterable[str]) -> tuple[SafetyNetList, ...]:
        tagged = set(tags)
        return tuple(
            SafetyNetList(topic.id, topic.title, tuple(rule.sign or "" for rule in topic.signs))
            for topic in self.rules.safety_net
            if topic.tags & tagged or topic.words.search(normalised)
        )


def _read_twice(decision: _Decision, referred: Iterable[_Decision]) -> bool:
    """Whether a learned-only referral rests on the sentence of a higher-level referral of
    another concern: the model read the same words twice ("won't be around after tonight"
    as self-harm, and as a weak arm), and one reading of a sentence names one concern."""
    hit = decision.hit
    if hit.detector != LearnedDetector.name:
        return False
    return any(
        other.rule.level > decision.rule.level and _same_words(hit, other.hit) for other in referred
    )


def _same_words(learned: Hit, other: Hit) -> bool:
    """The learned hit starts on the other's sentence, or its unit holds the other's words."""
    if learned.sentence is not None and learned.sentence == other.sentence:
        return True
    unit = _bare(learned.evidence)
    pieces = [_bare(piece) for piece in other.evidence.split("...")]
    return all(piece and piece in unit for piece in pieces)


def _bare(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _decide(hits: Iterable[Hit], clear: Mapping[Level, set[int]]) -> list[_Decision]:
    """Per concern: refer, ask, or nothing, from what the detectors saw (see the module).

    Each hit is judged on its own sentences. A sure hit refers unless another detector
    disagrees: its context rules set the same concern aside (then the member is asked;
    self-harm still refers), or it read every sentence the hit spans as clearly free of
    concerns at that level (a likely figure of speech, or a story already settled). A sure
    hit read so stands aside for any other evidence of the concern in the story (a partial
    hit elsewhere is still asked about); with none, an emergency or self-harm is asked about
    and, below emergency, the clear reading stands (the topic's safety net lists the sign).
    """
    by_rule: dict[str, dict[Certainty, list[Hit]]] = {}
    for hit in hits:
        by_rule.setdefault(hit.rule.id, {}).setdefault(hit.certainty, []).append(hit)
    decisions = []
    for seen in by_rule.values():
        rule = next(iter(seen.values()))[0].rule
        clear_sentences = clear.get(rule.level, set())
        sure_hits = seen.get(Certainty.SURE, [])
        standing = [h for h in sure_hits if not _all_read_clear(h, clear_sentences)]
        partial = next(iter(seen.get(Certainty.PARTIAL, [])), None)
        aside = next(iter(seen.get(Certainty.SET_ASIDE, [])), None)
        self_harm = rule.id == SELF_HARM
        if standing:
            refer = aside is None or self_harm
            if refer or rule.level >= Level.URGENT:
                # Set aside by one detector, sure to another: ask ("soon" is never asked).
                decisions.append(_Decision(rule, refer, standing[0]))
        elif partial is not None and (aside is None or self_harm):
            decisions.append(_Decision(rule, False, partial))
        elif sure_hits and (self_harm or rule.level is Level.EMERGENCY):
            decisions.append(_Decision(rule, False, sure_hits[0], read_clear=not self_harm))
            # Below emergency, the model's clear reading of every sentence the patterns rest
            # on stands: such posts are denied, asked in advance or long past far more often
            # than not, and the topic's safety net still lists the sign.
        elif aside is not None and self_harm:
            # Self-harm words the context rules set aside ("suicide sprints", "years ago I
            # wanted to end it"): asked about, unless the model also reads every sentence
            # they are in as clearly free of emergencies; then both readings agree.
            set_aside = seen[Certainty.SET_ASIDE]
            agreed = all(_all_read_clear(h, clear_sentences) for h in set_aside)
            decisions.append(_Decision(rule, False, aside, agreed))
    return decisions


def _all_read_clear(hit: Hit, clear: Container[int]) -> bool:
    """Whether another detector read every sentence the hit spans as clearly ordinary."""
    spanned = hit.sentences
    return bool(spanned) and all(index in clear for index in spanned)


__all__ = ["RedFlagChecker", "capped"]
