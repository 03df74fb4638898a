"""The excerpt shown with an answer: its best passage, with the matching sentences in bold.

A sentence matches when it shares the question's words (stemmed, weighted by how rare
they are in the corpus). When no sentence shares a word with the question (the dense
search found the passage by meaning), an optional sentence scorer picks the sentence
closest in meaning instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.retrieval.keyword import KeywordIndex
from bot.retrieval.passages import sentence_spans

MAX_MARKED = 2
ELLIPSIS = "…"
# The leading Markdown of a line (list bullet, number, heading, quote) stays outside the bold.
_LINE_PREFIX = re.compile(r"^(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+|>\s*)+")
SentenceScorer = Callable[[Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class Excerpt:
    text: str
    highlights: tuple[str, ...]


def make_excerpt(
    passage: str,
    question: str,
    keyword: KeywordIndex,
    *,
    max_chars: int = 600,
    sentence_scorer: SentenceScorer | None = None,
    min_semantic_score: float = 0.3,
) -> Excerpt:
    """`passage` cut to about `max_chars`, the sentences matching `question` in **bold**."""
    return make_excerpts(
        [(passage, keyword)],
        question,
        max_chars=max_chars,
        sentence_scorer=sentence_scorer,
        min_semantic_score=min_semantic_score,
    )[0]


def make_excerpts(
    passages: Sequence[tuple[str, KeywordIndex]],
    question: str,
    *,
    max_chars: int = 600,
    sentence_scorer: SentenceScorer | None = None,
    min_semantic_score: float = 0.3,
) -> list[Excerpt]:
    """Excerpts of several passages (each with its scope's keyword index) for one question.

    The sentence scorer, when needed at all, is called once for every passage together.
    """
    spans = [sentence_spans(passage) for passage, _ in passages]
    texts = [[p[a:b] for a, b in s] for (p, _), s in zip(passages, spans, strict=True)]
    marked = [
        _lexical_matches(t, question, keyword) if t else set()
        for t, (_, keyword) in zip(texts, passages, strict=True)
    ]
    unmatched = [n for n, t in enumerate(texts) if t and not marked[n]]
    if unmatched and sentence_scorer is not None:
        batch = [sentence for n in unmatched for sentence in texts[n]]
        scores = list(sentence_scorer(batch))
        offset = 0
        for n in unmatched:
            own = scores[offset : offset + len(texts[n])]
            offset += len(texts[n])
            best = max(range(len(own)), key=own.__getitem__)
            marked[n] = {best} if own[best] >= min_semantic_score else set()
    return [
        _render(passage, s, t, m, max_chars)
        for (passage, _), s, t, m in zip(passages, spans, texts, marked, strict=True)
    ]


def _render(
    passage: str,
    spans: Sequence[tuple[int, int]],
    texts: Sequence[str],
    marked: set[int],
    max_chars: int,
) -> Excerpt:
    if not spans:
        return Excerpt("", ())
    first, last = _window(texts, marked, max_chars)
    parts: list[str] = []
    for number in range(first, last + 1):
        start, end = spans[number]
        if number > first:
            parts.append(_separator(passage[spans[number - 1][1] : start]))
        sentence = passage[start:end]
        if len(sentence) > max_chars:
            sentence = _cut(sentence, max_chars)
        parts.append(_bold(sentence) if number in marked else sentence)
    text = "".join(parts)
    if first > 0:
        text = ELLIPSIS + " " + text
    if last < len(spans) - 1:
        text = text + " " + ELLIPSIS
    highlights = tuple(_plain(texts[n]) for n in sorted(marked) if first <= n <= last)
    return Excerpt(text, highlights)


def _lexical_matches(texts: Sequence[str], question: str, keyword: KeywordIndex) -> set[int]:
    wanted = set(keyword.query_terms(question))
    if not wanted:
        return set()
    weights = []
    for text in texts:
        shared = wanted & set(keyword.analyzer.terms(text))
        weights.append(sum(keyword.idf(term) for term in shared))
    best = max(weights)
    if best <= 0:
        return set()
    # Keep sentences carrying at least half the best sentence's weight, at most MAX_MARKED.
    ranked = sorted(
        (n for n, w in enumerate(weights) if w >= 0.5 * best), key=lambda n: (-weights[n], n)
    )
    return set(ranked[:MAX_MARKED])


def _window(texts: Sequence[str], marked: set[int], max_chars: int) -> tuple[int, int]:
    """The run of sentences to show: all when they fit, else from the first match on."""
    if sum(len(t) + 1 for t in texts) <= max_chars:
        return 0, len(texts) - 1
    first = min(marked) if marked else 0
    # One sentence of context before a match when it is short.
    if first > 0 and len(texts[first - 1]) + len(texts[first]) < max_chars // 2:
        first -= 1
    last = first
    used = len(texts[first])
    while last + 1 < len(texts) and used + len(texts[last + 1]) + 1 <= max_chars:
        last += 1
        used += len(texts[last]) + 1
    while first > 0 and used + len(texts[first - 1]) + 1 <= max_chars:
        first -= 1
        used += len(texts[first]) + 1
    return first, last


def _bold(sentence: str) -> str:
    prefix = _LINE_PREFIX.match(sentence)
    head = prefix.group(0) if prefix else ""
    body = sentence[len(head) :].replace("**", "").strip()
    return f"{head}**{body}**" if body else sentence


def _plain(sentence: str) -> str:
    return _LINE_PREFIX.sub("", sentence).replace("**", "").strip()


def _separator(between: str) -> str:
    newlines = between.count("\n")
    return "\n\n" if newlines > 1 else "\n" if newlines else " "


def _cut(sentence: str, max_chars: int) -> str:
    cut = sentence[:max_chars].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " " + ELLIPSIS
