"""Importing corpus files into the store: validated whole before anything is written,
idempotent, with revisions; written in batches so that the bot keeps answering."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.formats import read_corpus
from bot.corpus.records import AnswerRecord
from bot.errors import CorpusError
from bot.store.answers import Change, save_all
from bot.store.database import Database

IMPORT_BATCH = 500
"""Answers written per transaction. SQLite has one writer at a time: a batch holds the write
lock for well under a second, so a question asked during a large import waits that long at
most (one 35,000-answer transaction held it for 52 s, past the 30 s busy timeout)."""

BATCH_PAUSE_S = 0.15
"""Pause after each batch on SQLite. A writer waiting for the lock polls every 100 ms at
most (SQLite's busy handler); without a pause the importer takes the lock again first, and
a question waits for the whole import."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def describe(self) -> str:
        return (
            f"{self.total} answers: {self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def is_discourse_file(path: Path) -> bool:
    """A .json file is taken as a Discourse topic (`/t/<id>.json`)."""
    return path.is_file() and path.suffix.lower() == ".json"


def read_import_source(
    path: Path, *, forum_url: str | None = None, posts: Collection[int] | None = None
) -> list[AnswerRecord]:
    """The records at `path`: corpus files (.md/.jsonl, a file or a folder) or a Discourse
    topic .json file (which needs the forum's address for the source links)."""
    if is_discourse_file(path):
        from bot.corpus.discourse import load_discourse_topic, records_from_discourse_topic

        if not forum_url:
            raise CorpusError(
                f"{path} is a Discourse topic; pass --forum-url https://your.forum "
                "so that each answer links to its post"
            )
        topic = load_discourse_topic(path)
        return records_from_discourse_topic(
            topic, forum_url=forum_url, posts=posts, source=str(path)
        )
    if posts:
        raise CorpusError("--posts only applies to a Discourse topic .json file")
    return read_corpus(path)


def import_records(
    database: Database,
    records: Sequence[AnswerRecord],
    scope: str,
    actor: str,
    note: str,
    *,
    batch_size: int = IMPORT_BATCH,
    progress: Progress | None = None,
) -> ImportSummary:
    """Write `records` into `scope`, `batch_size` to a transaction.

    An import of one batch is all or nothing. A larger one commits batch by batch, so that
    questions are answered meanwhile; the records were all validated before (`read_corpus`),
    and if the process stops part-way, importing the same files again finishes the job (what
    was written counts as unchanged). `progress(done, total)` follows each committed batch.
    """
    counts: Counter[Change] = Counter()
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        with database.session() as session:
            counts.update(save_all(session, batch, scope, actor, note))
        if progress is not None:
            progress(start + len(batch), len(records))
        if start + batch_size < len(records) and database.engine.dialect.name == "sqlite":
            time.sleep(BATCH_PAUSE_S)
    return ImportSummary(
        created=counts[Change.CREATED],
        updated=counts[Change.UPDATED],
        unchanged=counts[Change.UNCHANGED],
    )


def parse_post_numbers(text: str | None) -> set[int] | None:
    """'2,5' -> {2, 5}; None stays None."""
    if text is None:
        return None
    try:
        numbers = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise CorpusError(f"--posts takes post numbers like 2,5 (got '{text}')") from None
    if not numbers:
        raise CorpusError("--posts needs at least one post number, like 2,5")
    return numbers
