"""Cutting answers into the passages that are embedded and keyword-indexed.

An answer gives one passage for its title, one for the question it answered (when
known) and for each other way it is asked (`also_asked`), one per paragraph-ish chunk
of its body, so that a long answer is found by the one paragraph that matches, and, when
the body has several chunks, one for the whole answer. Search ranks answers; passages
only say why.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.corpus.records import AnswerRecord

TITLE = "title"
QUESTION = "question"
BODY = "body"
WHOLE = "whole"

# MiniLM reads at most 256 word pieces (about 180 words); chunks stay well under that.
TARGET_WORDS = 90
MAX_WORDS = 150
MIN_WORDS = 25

_BLANK_LINE = re.compile(r"\n[ \t]*\n+")
_HEADING = re.compile(r"^#{1,6}\s+\S")
_WORD = re.compile(r"\S+")
# A sentence ends at . ! ? (and closing quotes/brackets) followed by a space and what
# looks like the start of the next sentence, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[*_]*[A-Z0-9])|\n+")
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "etc.", "approx.", "min.", "max.", "dr.", "mr.", "ms.")


@dataclass(frozen=True)
class Passage:
    """One indexed piece of an answer."""

    answer_id: str
    kind: str
    ordinal: int
    text: str
    """What a reader sees (for body passages, the chunk of the body)."""
    embed_text: str
    """What is embedded and keyword-indexed (body chunks carry their answer's title)."""

    @property
    def content_hash(self) -> str:
        """The embedding cache key: equal text embeds equally, whatever answer holds it."""
        return text_hash(self.embed_text)

    def to_dict(self) -> dict[str, object]:
        return {
            "answer_id": self.answer_id,
            "kind": self.kind,
            "ordinal": self.ordinal,
            "text": self.text,
            "embed_text": self.embed_text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Passage:
        return cls(
            answer_id=str(data["answer_id"]),
            kind=str(data["kind"]),
            ordinal=int(data["ordinal"]),  # type: ignore[call-overload]
            text=str(data["text"]),
            embed_text=str(data["embed_text"]),
        )


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def answer_passages(record: AnswerRecord) -> list[Passage]:
    """The passages of one answer: title, questions (if any), then body chunks in order."""
    title = _clean(record.title)
    pieces: list[tuple[str, str, str]] = [(TITLE, title, title)]
    for asked in (record.question, *record.also_asked):
        question = _clean(asked or "")
        if question:
            pieces.append((QUESTION, question, question))
    chunks = split_body(record.body)
    for chunk in chunks:
        # The title gives a paragraph the context it lacks on its own ("hold it for 30s").
        pieces.append((BODY, chunk, f"{title}\n{chunk}" if title else chunk))
    if len(chunks) > 1:
        # The whole answer once more: a question that names words from several paragraphs
        # matches it (BM25 reads it all; the encoder reads its first 256 word pieces).
        whole = _clean(record.body)
        pieces.append((WHOLE, whole, f"{title}\n{whole}" if title else whole))
    return [
        Passage(record.id, kind, ordinal, text, embed_text)
        for ordinal, (kind, text, embed_text) in enumerate(pieces)
        if text
    ]


def corpus_passages(records: Sequence[AnswerRecord]) -> list[Passage]:
    """Every passage of every answer, answers in the given order."""
    return [passage for record in records for passage in answer_passages(record)]


def split_body(
    body: str, *, target_words: int = TARGET_WORDS, max_words: int = MAX_WORDS
) -> list[str]:
    """Cut a Markdown body into paragraph-ish chunks of about `target_words` words.

    Short paragraphs (and headings) join the next ones; a paragraph longer than
    `max_words` is cut between sentences.
    """
    blocks: list[str] = []
    for block in _blocks(body):
        if _word_count(block) > max_words:
            blocks.extend(_sentence_groups(block, target_words))
        else:
            blocks.append(block)
    chunks: list[str] = []
    current: list[str] = []
    for block in blocks:
        words = sum(_word_count(b) for b in current)
        if current and not all(_HEADING.match(b) for b in current):
            if _HEADING.match(block):
                # A heading opens a new chunk (unless the current one is still tiny).
                flush = words >= MIN_WORDS
            else:
                grown = words + _word_count(block)
                flush = grown > target_words and (words >= MIN_WORDS or grown > max_words)
            if flush:
                chunks.append("\n\n".join(current))
                current = []
        current.append(block)
    if current:
        if chunks and sum(_word_count(b) for b in current) < MIN_WORDS:
            merged = chunks[-1] + "\n\n" + "\n\n".join(current)
            if _word_count(merged) <= max_words:
                chunks[-1] = merged
                current = []
        if current:
            chunks.append("\n\n".join(current))
    return chunks


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences (and list items) of `text`, blanks trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ends_with_abbreviation(text[start : match.start()]):
            continue
        spans.extend(_trimmed(text, start, match.start()))
        start = match.end()
    spans.extend(_trimmed(text, start, len(text)))
    return spans


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def _blocks(body: str) -> Iterator[str]:
    for block in _BLANK_LINE.split(body.replace("\r\n", "\n")):
        block = block.strip()
        if block:
            yield block


def _sentence_groups(block: str, target_words: int) -> list[str]:
    """Consecutive sentences of `block`, cut from the original text to keep its layout."""
    groups: list[str] = []
    group_start: int | None = None
    group_end = 0
    words = 0
    for start, end in sentence_spans(block):
        count = _word_count(block[start:end])
        if group_start is not None and words + count > target_words:
            groups.append(block[group_start:group_end])
            group_start, words = None, 0
        if group_start is None:
            group_start = start
        group_end = end
        words += count
    if group_start is not None:
        groups.append(block[group_start:group_end])
    return groups


def _ends_with_abbreviation(text: str) -> bool:
    tail = text.rstrip().lower()
    return tail.endswith(_ABBREVIATIONS)


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _clean(text: str) -> str:
    return " ".join(text.split())
