"""Loading and validating the red-flag rules file (``corpus/redflags/rules.yaml``).

The file is data that clinicians and moderators review, so every mistake in it is
reported as one line naming the file and the rule. Its shape::

    version: 1
    reviewed: 2025-01-31
    terms:                      # named regex alternatives, used as @name in patterns
      pee: ['pee', 'wee', 'urinate']
    rules:
      - id: cauda-equina
        level: emergency        # emergency | urgent | soon
        title: Possible cauda equina syndrome
        referral: Go to an emergency department now or call {emergency_number} ...
        referral_other: Get them to ...       # optional: wording for a helper
        guidance: [NICE NG59 ...]             # what the rule rests on, by name
        superseded_by: [other-rule]           # optional: drop this flag when that one fires
        screening: Since this started, is there ...?   # one yes/no question (urgent, emergency)
        screening_other: Is the person you describe ...?  # optional: asked about someone else
        sign: numbness around the bottom ...  # optional: one line for safety-net lists
        patterns:
          - any: ['@saddle numb']             # one group: any alternative matches
          - all: ['@incontinence', ['@back_pain', '@sciatica']]   # every group must match
            except: ['@effort_leak']          # not when this is in a matched sentence
            within: sentence                  # all groups in one sentence (default: message)
          - all:
              - {any: ['@cancer_history'], history_ok: true}    # past history is the flag
              - '@back_pain'
          - all: ['@head_knock', '@knocked_out']
            resolved_ok: true                 # "was out cold, feel fine now" still counts
            within: nearby                    # groups in one sentence or the next one
        must_catch: [...]                     # lay phrasings the rule must raise
        third_person: [...]                   # the same, about someone else
        must_not_catch:                       # phrasings it must not raise, by kind
          - {text: 'no numbness at all', kind: negated}
    safety_net:                 # "get help now if..." lists, by topic
      - topic: lower-back
        title: Back pain
        words: ['@back_pain', 'lumbar']       # the question mentions the topic
        tags: [lower-back, sciatica]          # or a cited answer is tagged with it
        signs: [cauda-equina, bilateral-leg-weakness]   # rules whose `sign` is listed

Patterns run over normalised text (see `bot.redflags.text`): lower case, no apostrophes,
hyphens as spaces.

`history_ok` lets any past history count (a cancer diagnosis years ago). `resolved_ok` is
narrower: a recent event that has settled still counts ("blacked out mid run, fine now",
"face drooped for ten minutes, back to normal"), while one dated to the past ("knocked out
at school", "chest pain in 2019, tests clear") does not. It suits red flags whose danger
does not end when the symptom does: a loss of consciousness, a fit, a transient stroke sign,
exertional chest pain that rest relieves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.errors import TriagebotError
from bot.paths import corpus_dir
from bot.redflags.report import Level

EXAMPLE_KINDS = (
    "negated",
    "hypothetical",
    "educational",
    "historical",
    "lookalike",
    "benign",
    "third_person",
)
# The catalogue concern whose disagreements always refer (see bot.redflags.checker).
SELF_HARM = "suicide-self-harm"
MIN_MUST_CATCH = 5
MIN_MUST_NOT_CATCH = 3
_RULE_KEYS = {
    "id",
    "level",
    "title",
    "referral",
    "referral_other",
    "guidance",
    "superseded_by",
    "patterns",
    "must_catch",
    "third_person",
    "must_not_catch",
    "screening",
    "screening_other",
    "sign",
}
_TOPIC_KEYS = {"topic", "title", "words", "tags", "signs"}
_PATTERN_KEYS = {"any", "all", "except", "within", "history_ok", "resolved_ok"}
WITHIN = ("message", "sentence", "nearby")
_TERM_REFERENCE = re.compile(r"@([a-z][a-z0-9_]*)")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RulesError(TriagebotError):
    """The red-flag rules file is invalid; the message names the file and the rule."""


def default_rules_path() -> Path:
    return corpus_dir() / "redflags" / "rules.yaml"


@dataclass(frozen=True)
class TermGroup:
    """Alternatives of which one must match.

    `history_ok`: past history counts. `resolved_ok`: a recent event counts even when it has
    settled, but not one dated to the past.
    """

    regex: re.Pattern[str]
    history_ok: bool = False
    resolved_ok: bool = False


@dataclass(frozen=True)
class Pattern:
    groups: tuple[TermGroup, ...]
    exclusions: re.Pattern[str] | None = None
    same_sentence: bool = False
    # "nearby": every group in one sentence or the sentence right after it ("chest goes tight.
    # only when I run uphill").
    nearby: bool = False


@dataclass(frozen=True)
class Example:
    text: str
    kind: str


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    title: str
    referral: str
    referral_other: str | None
    guidance: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    must_catch: tuple[str, ...]
    third_person: tuple[str, ...]
    must_not_catch: tuple[Example, ...]
    superseded_by: tuple[str, ...] = ()
    screening: str | None = None
    """One yes/no question that settles the concern when the evidence is partial."""
    screening_other: str | None = None
    sign: str | None = None
    """The concern in one plain line, for "get help now if..." lists."""

    def screening_question(self, *, about_someone_else: bool = False) -> str | None:
        if about_someone_else and self.screening_other:
            return self.screening_other
        return self.screening

    def render_referral(self, emergency_number: str | None, *, for_helper: bool = False) -> str:
        template = self.referral_other if for_helper and self.referral_other else self.referral
        return template.replace("{emergency_number}", emergency_number_words(emergency_number))


@dataclass(frozen=True)
class SafetyNetTopic:
    """A region or topic with known red flags, and the signs to list when a reply touches it."""

    id: str
    title: str
    words: re.Pattern[str]
    tags: frozenset[str]
    signs: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    version: str
    reviewed: str
    rules: tuple[Rule, ...]
    path: Path | None = None
    safety_net: tuple[SafetyNetTopic, ...] = ()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def emergency_number_words(number: str | None) -> str:
    """The configured emergency number, or region-neutral words when there is none."""
    number = (number or "").strip()
    return number if number else "your local emergency number"


# libyaml's parser where PyYAML was built with it: it reads the catalogue about ten times
# faster, which a new process pays for before its first answer.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc]
    """A safe loader that refuses a key given twice in one mapping.

    Plain YAML keeps the last of two equal keys, so a second ``except:`` added to a pattern
    would silently replace the first, and its exclusions would stop working unnoticed.
    """


def _construct_unique_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:
            continue  # an unhashable key; the constructor reports it
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (YAML would drop the first)",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def load_rules(path: Path | str | None = None) -> RuleSet:
    """Read and validate a rules file (default: ``corpus/redflags/rules.yaml``)."""
    source = Path(path) if path is not None else default_rules_path()
    try:
        raw = yaml.load(source.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except FileNotFoundError:
        raise RulesError(f"{source}: red-flag rules file not found") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise RulesError(f"{source}{where}: {problem}; fix the YAML syntax") from None
    return parse_rules(raw, source)


def parse_rules(raw: Any, source: Path | str = "<rules>") -> RuleSet:
    """Validate an already-parsed rules document."""
    return _Parser(raw, Path(source)).parse()


class _Parser:
    def __init__(self, raw: Any, source: Path) -> None:
        self.raw = raw
        self.source = source
        self.terms: dict[str, list[str]] = {}
        self._expanded: dict[str, str] = {}
        self._rule_id = ""

    def fail(self, message: str) -> RulesError:
        where = f"rule '{self._rule_id}': " if self._rule_id else ""
        return RulesError(f"{self.source}: {where}{message}")

    def parse(self) -> RuleSet:
        if not isinstance(self.raw, Mapping):
            raise self.fail("expected a mapping with 'version', 'reviewed', 'terms' and 'rules'")
        for key in ("version", "reviewed", "rules"):
            if key not in self.raw:
                raise self.fail(f"missing top-level '{key}'")
        reviewed = self.raw["reviewed"]
        if not isinstance(reviewed, date | str):
            raise self.fail("'reviewed' must be a date such as 2025-01-31")
        terms = self.raw.get("terms") or {}
        if not isinstance(terms, Mapping):
            raise self.fail("'terms' must map names to lists of regular expressions")
        for name, alternatives in terms.items():
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise self.fail(f"term name {name!r} must be lower_snake_case")
            self.terms[name] = self._string_list(alternatives, f"term '{name}'")
        for name in self.terms:
            self._compile(self._expand_term(name, ()), f"term '{name}'")
        rules_raw = self.raw["rules"]
        if not isinstance(rules_raw, list) or not rules_raw:
            raise self.fail("'rules' must be a non-empty list")
        rules = [self._rule(entry, index) for index, entry in enumerate(rules_raw, start=1)]
        self._rule_id = ""
        self._check_ids(rules)
        topics = self._safety_net(self.raw.get("safety_net") or [], rules)
        return RuleSet(
            str(self.raw["version"]), str(reviewed), tuple(rules), self.source, tuple(topics)
        )

    def _safety_net(self, raw: Any, rules: list[Rule]) -> list[SafetyNetTopic]:
        if not isinstance(raw, list):
            raise self.fail("'safety_net' must be a list of topics")
        by_id = {rule.id: rule for rule in rules}
        topics: list[SafetyNetTopic] = []
        for number, entry in enumerate(raw, start=1):
            if not isinstance(entry, Mapping):
                raise self.fail(f"safety_net topic {number} must be a mapping")
            topic_id = entry.get("topic")
            if not isinstance(topic_id, str) or not _ID.match(topic_id):
                raise self.fail(f"safety_net topic {number}: 'topic' must be a slug")
            label = f"safety_net topic '{topic_id}'"
            unknown = set(entry) - _TOPIC_KEYS
            if unknown:
                raise self.fail(
                    f"{label} has unknown key(s): {', '.join(sorted(map(str, unknown)))}"
                )
            if any(topic.id == topic_id for topic in topics):
                raise self.fail(f"{label} is listed twice")
            words = self._string_list(entry.get("words") or [], f"{label} 'words'")
            if not words:
                raise self.fail(f"{label} needs 'words'")
            signs = []
            for rule_id in self._string_list(entry.get("signs") or [], f"{label} 'signs'"):
                rule = by_id.get(rule_id)
                if rule is None:
                    raise self.fail(f"{label} lists unknown rule '{rule_id}'")
                if not rule.sign:
                    raise self.fail(f"{label} lists rule '{rule_id}', which has no 'sign'")
                signs.append(rule)
            if not signs:
                raise self.fail(f"{label} needs 'signs'")
            topics.append(
                SafetyNetTopic(
                    id=topic_id,
                    title=self._text(entry.get("title"), f"{label} title"),
                    words=self._compile(self._join(words, whole=True), f"{label} 'words'"),
                    tags=frozenset(self._string_list(entry.get("tags") or [], f"{label} 'tags'")),
                    signs=tuple(signs),
                )
            )
        return topics

    def _check_ids(self, rules: list[Rule]) -> None:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                self._rule_id = rule.id
                raise self.fail("duplicate rule id")
            seen.add(rule.id)
        for rule in rules:
            for other in rule.superseded_by:
                if other not in seen:
                    self._rule_id = rule.id
                    raise self.fail(f"superseded_by names unknown rule '{other}'")

    def _rule(self, entry: Any, index: int) -> Rule:
        self._rule_id = f"#{index}"
        if not isinstance(entry, Mapping):
            raise self.fail("each rule must be a mapping")
        rule_id = entry.get("id")
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            raise self.fail("'id' must be a lower-case slug such as 'cauda-equina'")
        self._rule_id = rule_id
        unknown = set(entry) - _RULE_KEYS
        if unknown:
            raise self.fail(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
        for key in ("level", "title", "referral", "patterns", "must_catch", "must_not_catch"):
            if key not in entry:
                raise self.fail(f"missing '{key}'")
        try:
            level = Level.parse(str(entry["level"]))
        except ValueError as error:
            raise self.fail(str(error)) from None
        if level is Level.NONE:
            raise self.fail("a rule's level must be soon, urgent or emergency")
        title = self._text(entry["title"], "title")
        referral = self._referral(entry["referral"], "referral")
        referral_other = (
            self._referral(entry["referral_other"], "referral_other")
            if entry.get("referral_other") is not None
            else None
        )
        patterns_raw = entry["patterns"]
        if not isinstance(patterns_raw, list) or not patterns_raw:
            raise self.fail("'patterns' must be a non-empty list")
        patterns = tuple(self._pattern(p, number) for number, p in enumerate(patterns_raw, start=1))
        must_catch = self._string_list(entry["must_catch"], "must_catch")
        if len(must_catch) < MIN_MUST_CATCH:
            raise self.fail(f"needs at least {MIN_MUST_CATCH} must_catch examples")
        third_person = self._string_list(entry.get("third_person") or [], "third_person")
        must_not_catch = self._examples(entry["must_not_catch"])
        if len(must_not_catch) < MIN_MUST_NOT_CATCH:
            raise self.fail(f"needs at least {MIN_MUST_NOT_CATCH} must_not_catch examples")
        guidance = self._string_list(entry.get("guidance") or [], "guidance")
        if not guidance:
            raise self.fail("'guidance' must name what the rule rests on")
        superseded = self._string_list(entry.get("superseded_by") or [], "superseded_by")
        screening = self._optional_text(entry, "screening")
        if screening is None and level >= Level.URGENT:
            raise self.fail("an urgent or emergency rule needs 'screening': one yes/no question")
        return Rule(
            id=rule_id,
            level=level,
            title=title,
            referral=referral,
            referral_other=referral_other,
            guidance=tuple(guidance),
            patterns=patterns,
            must_catch=tuple(must_catch),
            third_person=tuple(third_person),
            must_not_catch=tuple(must_not_catch),
            superseded_by=tuple(superseded),
            screening=screening,
            screening_other=self._optional_text(entry, "screening_other"),
            sign=self._optional_text(entry, "sign"),
        )

    def _optional_text(self, entry: Mapping[str, Any], key: str) -> str | None:
        value = entry.get(key)
        return None if value is None else self._text(value, key)

    def _pattern(self, raw: Any, number: int) -> Pattern:
        label = f"pattern {number}"
        if not isinstance(raw, Mapping):
            raise self.fail(f"{label} must be a mapping with 'any' or 'all'")
        unknown = set(raw) - _PATTERN_KEYS
        if unknown:
            raise self.fail(f"{label} has unknown key(s): {', '.join(sorted(map(str, unknown)))}")
        if ("any" in raw) == ("all" in raw):
            raise self.fail(f"{label} needs exactly one of 'any' or 'all'")
        resolved = raw.get("resolved_ok", False)
        if not isinstance(resolved, bool):
            raise self.fail(f"{label}: 'resolved_ok' must be true or false")
        if "any" in raw:
            groups = [
                self._group(
                    raw,
                    f"{label}",
                    default_history=bool(raw.get("history_ok")),
                    default_resolved=resolved,
                )
            ]
        else:
            items = raw["all"]
            if not isinstance(items, list) or len(items) < 2:
                raise self.fail(f"{label}: 'all' needs at least two groups")
            groups = [
                self._group(
                    item, f"{label} group {i}", default_history=False, default_resolved=resolved
                )
                for i, item in enumerate(items, start=1)
            ]
        exclusions = None
        if raw.get("except"):
            alternatives = self._string_list(raw["except"], f"{label} 'except'")
            exclusions = self._compile(self._join(alternatives), f"{label} 'except'")
        within = raw.get("within", "message")
        if within not in WITHIN:
            raise self.fail(f"{label}: 'within' must be 'message', 'sentence' or 'nearby'")
        if within == "nearby" and len(groups) < 2:
            raise self.fail(f"{label}: 'within: nearby' needs an 'all' with two or more groups")
        return Pattern(
            tuple(groups),
            exclusions,
            same_sentence=within == "sentence",
            nearby=within == "nearby",
        )

    def _group(
        self, item: Any, label: str, *, default_history: bool, default_resolved: bool = False
    ) -> TermGroup:
        history_ok = default_history
        resolved_ok = default_resolved
        if isinstance(item, Mapping):
            if "any" not in item:
                raise self.fail(f"{label} must have 'any'")
            history_ok = bool(item.get("history_ok", default_history))
            resolved_ok = bool(item.get("resolved_ok", default_resolved))
            item = item["any"]
        alternatives = [item] if isinstance(item, str) else self._string_list(item, label)
        if not alternatives:
            raise self.fail(f"{label} is empty")
        return TermGroup(self._compile(self._join(alternatives), label), history_ok, resolved_ok)

    def _join(self, alternatives: list[str], *, whole: bool = False) -> str:
        # Every alternative starts at the start of a word: "ping" is not in "stepping", nor
        # "urge" in "surgery". (Where a word must also end, the pattern says so: "dead\b".)
        # `whole`: it ends at the end of a word too ("wee" is not in "week").
        end = r"(?!\w)" if whole else ""
        return "|".join(rf"(?<!\w)(?:{self._expand(a, ())}){end}" for a in alternatives)

    def _expand(self, expression: str, stack: tuple[str, ...]) -> str:
        def replace(match: re.Match[str]) -> str:
            return f"(?:{self._expand_term(match.group(1), stack)})"

        return _TERM_REFERENCE.sub(replace, expression)

    def _expand_term(self, name: str, stack: tuple[str, ...]) -> str:
        if name in stack:
            raise self.fail(f"term '@{name}' refers to itself ({' -> '.join((*stack, name))})")
        if name not in self.terms:
            raise self.fail(f"unknown term '@{name}'")
        if name not in self._expanded:
            self._expanded[name] = "|".join(
                f"(?:{self._expand(alt, (*stack, name))})" for alt in self.terms[name]
            )
        return self._expanded[name]

    def _compile(self, expression: str, label: str) -> re.Pattern[str]:
        try:
            return re.compile(expression)
        except re.error as error:
            raise self.fail(f"{label} is not a valid regular expression ({error})") from None

    def _text(self, value: Any, label: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{label}' must be non-empty text")
        return " ".join(value.split())

    def _referral(self, value: Any, label: str) -> str:
        text = self._text(value, label)
        for placeholder in _PLACEHOLDER.findall(text):
            if placeholder != "emergency_number":
                raise self.fail(
                    f"'{label}' uses {{{placeholder}}}; only {{emergency_number}} is filled in"
                )
        return text

    def _string_list(self, value: Any, label: str) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f"{label} must be a list of non-empty strings")
        return list(value)

    def _examples(self, value: Any) -> list[Example]:
        if not isinstance(value, list):
            raise self.fail("must_not_catch must be a list")
        examples = []
        for item in value:
            if isinstance(item, str):
                examples.append(Example(item, "lookalike"))
                continue
            if not isinstance(item, Mapping) or not isinstance(item.get("text"), str):
                raise self.fail("each must_not_catch entry needs 'text' (and 'kind')")
            kind = item.get("kind", "lookalike")
            if kind not in EXAMPLE_KINDS:
                raise self.fail(
                    f"must_not_catch kind {kind!r} is not one of {', '.join(EXAMPLE_KINDS)}"
                )
            examples.append(Example(item["text"], kind))
        return examples
