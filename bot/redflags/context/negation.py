"""Is a matched symptom denied: "no numbness, no bladder issues", "calf not swollen or hot"?

Only cues *before* the match (within its clause, or a list it belongs to), a negation inside
it right before a symptom word, or a bare "no"/"none" right after it negate it. "can't feel
it when I wipe" and "no feeling down there" are the symptom itself: the patterns include
such negative forms in the match. Idioms that only look like denials ("no idea", "don't
know", "hasn't got any better") negate nothing. The word lists are in negation.yaml.
"""

from __future__ import annotations

import re

from bot.redflags.context.words import word_lists
from bot.redflags.text import NormalisedText, Sentence

_WORDS = word_lists("negation.yaml")

NEGATION_CUE = _WORDS.compile(r"\b(?:@cues)\b")
# Cue words that do not negate what follows them.
NOT_A_NEGATION = _WORDS.compile(
    r"\b(?:no|not) (?:@no_idioms)\b|"
    r"\b(?:@dont_forms) (?:@dont_idioms)\b|"
    r"\bwithout (?:@without_idioms)\b|"
    r"\bnever (?:had|felt|experienced|seen) (?:\w+ ){0,3}?(?:like (?:this|it|that)|before)\b|"
    r"\bnothing like (?:this|it) before\b|"
    r"\b(?:@not_changed_negators) (?:(?:@not_changed_fillers) ){0,3}(?:@not_changed)\b"
)
# Where a negation's reach ends inside a sentence.
SCOPE_BREAK = _WORDS.compile(r"\b(?:@scope_breaks|and (?=(?:@and_starts_clause)\b))\b|[:()\"]")
# After a comma a new clause has begun when the segment has its own subject or verb.
_CLAUSE_WORDS = _WORDS.compile(r"\b(?:@clause_words)\b")
# "happens when I'm stressed, not when training": a denied circumstance, which the scope
# break at "when" would otherwise hide.
_NEGATED_CIRCUMSTANCE = _WORDS.compile(
    r"\b(?:@circumstance_negators) (?:just |only |really |even )?(?:@circumstances) "
    r"(?:(?:i|im|i am|my|the|a|an|me|doing|it)\b ?){0,2}(?:\w+ ){0,1}$"
)
_LIST_JOIN = _WORDS.compile(r"\b(?:@list_joins)\b")
# Under the safety floor, a new subject or a connective between a cue and the symptom ends
# the cue's reach: "the pain never stops and honestly i want to end my life".
_NEW_CLAUSE = _WORDS.compile(r"\b(?:@new_clause)\b")
_NEGATIVE_FORM = _WORDS.compile(r"^(?:@negative_forms)\b")
# "calf not swollen or hot": a negation inside a match, right before a symptom word.
_INNER_NEGATION = _WORDS.compile(
    r"\b(?:@inner_negators)(?: (?:@inner_softeners))? (?:@inner_symptoms)\b"
)
_POST_NEGATION = _WORDS.compile(
    r"^[\s,:?=>]*(?:(?:@bare_denials)"
    r"(?=\s*(?:[.,;!?\n]|$|and\b|or\b|but\b|,))|(?:and (?:my |his |her |the )?\w+ )?"
    r"(?:@fine_verbs) (?:totally |completely |all |perfectly |both |absolutely )?(?:@fine)\b"
    # "out for a few seconds, feel fine now" is a reassurance about the present (see
    # history), not a denial of the symptom.
    r"(?! (?:@fine_when)\b))"
)


# How far (in words) a negation cue reaches forward to a symptom. Under the safety floor (an
# emergency concern) only a cue that governs the symptom phrase itself counts: "no saddle
# numbness", "not having any thoughts of harming myself", or a list it heads ("no numbness,
# tingling or weakness"); not "the pain never stops and honestly I want to end my life".
CUE_REACH = 8


def is_negated(
    text: NormalisedText, sentence: Sentence, start: int, end: int, *, strict: bool = False
) -> bool:
    """The match text[start:end] in `sentence` is denied.

    `strict`: only a cue that governs the match counts (see CUE_REACH).
    """
    if _INNER_NEGATION.search(text.text, start, end):
        return True
    before = text.text[sentence.start : start]
    if _negated_from_before(text, before, text.text[start:end], sentence, strict):
        return True
    after = text.text[end : min(len(text.text), end + 40)]
    return bool(_POST_NEGATION.match(after))


def _negated_from_before(
    text: NormalisedText, before: str, span: str, sentence: Sentence, strict: bool
) -> bool:
    if _NEGATED_CIRCUMSTANCE.search(before):
        return True
    breaks = list(SCOPE_BREAK.finditer(before))
    window = before[breaks[-1].end() :] if breaks else before
    cue = None
    for candidate in NEGATION_CUE.finditer(window):
        if not NOT_A_NEGATION.match(window, candidate.start()):
            cue = candidate
    if cue is None:
        return False
    between = window[cue.end() :]
    if len(between.split()) > CUE_REACH:
        return False
    segments = re.split(r",|\s-\s", between)
    if strict and _NEW_CLAUSE.search(between):
        return False
    if len(segments) > 1:
        # "no numbness, tingling or weakness" is one negated list; "no back pain,
        # my bum is numb" and "no numbness, cant pee" are not.
        if _NEGATIVE_FORM.match(span):
            return False
        if any(_CLAUSE_WORDS.search(segment) for segment in segments[1:]):
            return False
        rest = text.text[cue.start() + (len(before) - len(window)) + sentence.start : sentence.end]
        if not _LIST_JOIN.search(rest):
            return False
    return True


def denied_within(before: str, gap: int) -> bool:
    """A negation cue in the last clause of `before`, at most `gap` words from its end.

    For a single word rather than a matched symptom: "i havent been on a bike".
    """
    breaks = list(SCOPE_BREAK.finditer(before))
    window = before[breaks[-1].end() :] if breaks else before
    window = window.rsplit(",", 1)[-1]
    for cue in NEGATION_CUE.finditer(window):
        if NOT_A_NEGATION.match(window, cue.start()):
            continue
        if len(window[cue.end() :].split()) <= gap:
            return True
    return False
