"""What moderators do to a scope's corpus, with no chat library in sight.

Every change names its actor and lands in the audit log (through AnswerRepository). The
Discord moderator commands are thin wrappers around these methods; all of them block,
so the bot runs them off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from bot.corpus.formats import (
    JSONL_SUFFIXES,
    MARKDOWN_SUFFIXES,
    CorpusProblems,
    check_import_size,
    duplicate_id_problems,
    parse_jsonl,
    parse_markdown,
    to_jsonl_line,
)
from bot.corpus.importer import ImportSummary, import_records
from bot.corpus.records import AnswerRecord, slugify
from bot.errors import CorpusError, TriagebotError
from bot.retrieval.builder import BuildManifest
from bot.retrieval.retriever import IndexMissingError, RetrievedAnswer, Retriever
from bot.store.answers import AnswerNotFound, AnswerRepository, Change, StoredAnswer
from bot.store.audit import record_action
from bot.store.database import Database
from bot.store.phrasings import REJECTED, ProposedPhrasing, confirmed_for
from bot.store.phrasings import decide as decide_phrasing
from bot.store.phrasings import proposed as proposed_phrasings
from bot.store.phrasings import record_confirmed as record_confirmed_phrasing
from bot.store.phrasings import tidy as tidy_phrasing
from bot.store.phrasings import waiting as waiting_phrasing
from bot.store.questions import (
    UnansweredQuestion,
    question_key,
    settle_queued,
    unanswered_questions,
    unanswered_text,
)
from bot.store.schema import ACTIVE

MAX_IMPORT_BYTES = 5_000_000
Progress = Callable[[int, int], None]
Rebuild = Callable[..., BuildManifest]


def finished(draft: AnswerRecord) -> AnswerRecord:
    """An answer as a moderator typed it, ready to save: trimmed, with a title and a body,
    and an id made from the title when none was given (`id=""`)."""
    title = draft.title.strip()
    body = draft.body.strip()
    if not title:
        raise TriagebotError("an answer needs a title")
    if not body:
        raise TriagebotError("an answer needs a body: the advice itself")
    return replace(
        draft,
        id=draft.id or slugify(title),
        title=title,
        body=body,
        author=draft.author.strip() or "unknown",
        question=(draft.question or "").strip() or None,
        source_url=(draft.source_url or "").strip() or None,
    )


def parse_also_asked(text: str | None) -> tuple[str, ...]:
    """One question per line, blank lines and repeats dropped."""
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return tuple(dict.fromkeys(line for line in lines if line))


def parse_tags(text: str | None) -> tuple[str, ...]:
    """'knees, squat  rehab' -> ('knees', 'squat', 'rehab')."""
    parts = (text or "").replace(",", " ").split()
    return tuple(dict.fromkeys(p.strip().lower() for p in parts if p.strip()))


class Curation:
    """Add, edit, retire, show, import, export and reindex one scope's answers."""

    def __init__(self, database: Database, retriever: Retriever, rebuild: Rebuild) -> None:
        self.database = database
        self.retriever = retriever
        self._rebuild = rebuild

    def nearest(self, scopes: Sequence[str], text: str, k: int = 3) -> list[RetrievedAnswer]:
        """The existing answers closest to `text`, so that a duplicate is not added blindly."""
        try:
            found = self.retriever.search(text, scopes, k=k, use_threshold=False)
        except IndexMissingError:
            return []
        return found.answers

    def add(self, scope: str, draft: AnswerRecord, actor: str) -> AnswerRecord:
        """A new answer; an id already used in the scope gets a numbered suffix."""
        record = finished(draft)
        with self.database.session() as session:
            repository = AnswerRepository(session)
            base, number = record.id, 2
            while repository.find(scope, record.id) is not None:
                record = replace(record, id=f"{base}-{number}")
                number += 1
            repository.save(record, scope, actor, "added from Discord")
        return record

    def edit(self, scope: str, answer_id: str, draft: AnswerRecord, actor: str) -> Change:
        record = finished(replace(draft, id=answer_id))
        with self.database.session() as session:
            repository = AnswerRepository(session)
            repository.get(scope, answer_id)  # raises AnswerNotFound with a clear message
            return repository.save(record, scope, actor, "edited from Discord")

    def retire(self, scope: str, answer_id: str, actor: str) -> bool:
        with self.database.session() as session:
            return AnswerRepository(session).retire(scope, answer_id, actor)

    def show(self, scopes: Sequence[str], answer_id: str) -> StoredAnswer:
        """The answer from the first of `scopes` that has it (a guild, then the starter
        corpus): moderators may read the shared answers but change only their own."""
        with self.database.session() as session:
            return AnswerRepository(session).get(self._owner(session, scopes, answer_id), answer_id)

    def history(
        self, scopes: Sequence[str], answer_id: str
    ) -> list[tuple[int, str, str | None, str]]:
        with self.database.session() as session:
            repository = AnswerRepository(session)
            return repository.revisions(self._owner(session, scopes, answer_id), answer_id)

    @staticmethod
    def _owner(session: Session, scopes: Sequence[str], answer_id: str) -> str:
        repository = AnswerRepository(session)
        return next((s for s in scopes if repository.find(s, answer_id)), scopes[0])

    def import_file(self, scope: str, filename: str, data: bytes, actor: str) -> ImportSummary:
        """An uploaded corpus file (.md or .jsonl): all of it or nothing, errors with line."""
        records = parse_upload(filename, data)
        return import_records(self.database, records, scope, actor, f"imported {filename}")

    def export_jsonl(self, scope: str, actor: str) -> tuple[bytes, int]:
        """The scope's active answers as a JSON Lines file (the interchange format)."""
        with self.database.session() as session:
            records = AnswerRepository(session).active_records(scope)
            record_action(session, actor, scope, "corpus.exported", None, {"answers": len(records)})
        ordered = sorted(records, key=lambda record: record.id)
        text = "".join(to_jsonl_line(record) + "\n" for record in ordered)
        return text.encode("utf-8"), len(records)

    def unanswered(self, scope: str, limit: int = 10) -> list[UnansweredQuestion]:
        with self.database.session() as session:
            return unanswered_questions(session, [scope], limit=limit)

    def queued_question(self, scope: str, key: str) -> str | None:
        with self.database.session() as session:
            return unanswered_text(session, scope, key)

    def add_phrasing(
        self, scopes: Sequence[str], answer_id: str, text: str, actor: str
    ) -> PhrasingAdded:
        """`text` as another way of asking answer `answer_id`, in the first of `scopes`.

        The scope's own answer gets it in its `also_asked` (a new revision); a shared answer
        (the starter corpus) gets it as an overlay that only this scope's index reads. Either
        way it takes effect at the scope's next incremental build.
        """
        with self.database.session() as session:
            return _add_phrasing(session, scopes, answer_id, text, actor)

    def phrasing_from_queue(
        self, scopes: Sequence[str], key: str, answer_id: str, actor: str
    ) -> PhrasingAdded:
        """A queued unanswered question turned into a phrasing of an existing answer; the
        question leaves the queue."""
        scope = scopes[0]
        with self.database.session() as session:
            text = unanswered_text(session, scope, key)
            if text is None:
                raise TriagebotError("that question is no longer in the queue (answered or purged)")
            added = _add_phrasing(session, scopes, answer_id, text, actor)
            settle_queued(session, scope, key)
            return added

    def proposed_phrasings(self, scope: str, limit: int = 10) -> list[ProposedPhrasing]:
        """Questions members marked helpful replies to, waiting to become phrasings."""
        with self.database.session() as session:
            return proposed_phrasings(session, scope, limit)

    def confirm_phrasing(self, scopes: Sequence[str], number: int, actor: str) -> PhrasingAdded:
        """A moderator confirms proposed phrasing `number` of the first of `scopes`."""
        with self.database.session() as session:
            row = waiting_phrasing(session, scopes[0], number)
            text, answer_id, answer_scope = row.text or "", row.answer_id, row.answer_scope
            # The proposal (which named its asker) gives way to the confirmed phrasing.
            session.delete(row)
            session.flush()
            searched = list(dict.fromkeys([scopes[0], answer_scope]))
            return _add_phrasing(session, searched, answer_id, text, actor)

    def reject_phrasing(self, scope: str, number: int, actor: str) -> None:
        """A moderator rejects proposed phrasing `number`: its text is not kept."""
        with self.database.session() as session:
            row = waiting_phrasing(session, scope, number)
            decide_phrasing(row, REJECTED, actor)
            row.text = None
            record_action(session, actor, scope, "phrasing.rejected", row.answer_id, {})

    def reindex(self, scope: str, actor: str, progress: Progress | None = None) -> BuildManifest:
        """The incremental rebuild of `scope`; the new build goes live when it is complete."""
        manifest = self._rebuild(scope, progress=progress)
        with self.database.session() as session:
            record_action(
                session, actor, scope, "index.rebuilt", manifest.build_id, dict(manifest.counts)
            )
        return manifest


@dataclass(frozen=True)
class PhrasingAdded:
    """Where a phrasing went: the answer it asks, and whether it was new."""

    answer_id: str
    answer_scope: str
    overlay: bool
    """A shared answer's phrasing, kept for this scope only."""
    added: bool
    """False when the answer already had that phrasing."""


def _add_phrasing(
    session: Session, scopes: Sequence[str], answer_id: str, text: str, actor: str
) -> PhrasingAdded:
    scope = scopes[0]
    line = tidy_phrasing(text)
    if not line:
        raise TriagebotError("a phrasing needs the words of a question")
    repository = AnswerRepository(session)
    found = (repository.find(s, answer_id) for s in scopes)
    stored = next((answer for answer in found if answer is not None), None)
    if stored is None:
        raise AnswerNotFound(scope, answer_id)
    owner = stored.scope
    if stored.status != ACTIVE:
        raise TriagebotError(f"answer '{answer_id}' is retired: a phrasing would never be read")
    asked = [stored.record.question or "", *stored.record.also_asked]
    if owner != scope:
        asked += [r.text or "" for r in confirmed_for(session, scope, answer_id)]
    # The same question in other case, spacing or punctuation is not a new phrasing.
    if question_key(line) in {question_key(q) for q in asked}:
        return PhrasingAdded(answer_id, owner, owner != scope, added=False)
    if owner == scope:
        record = replace(stored.record, also_asked=(*stored.record.also_asked, line))
        repository.save(record, scope, actor, "phrasing added")
    else:
        record_confirmed_phrasing(
            session, scope=scope, answer_scope=owner, answer_id=answer_id, text=line, actor=actor
        )
        record_action(session, actor, scope, "phrasing.added", answer_id, {"shared": owner})
    return PhrasingAdded(answer_id, owner, owner != scope, added=True)


def parse_upload(filename: str, data: bytes) -> list[AnswerRecord]:
    """Records from an uploaded file, validated like `triagebot corpus import`."""
    name = Path(filename).name or "upload"
    if len(data) > MAX_IMPORT_BYTES:
        raise CorpusError(f"{name} is larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CorpusError(f"{name}:1: not UTF-8 text") from None
    suffix = Path(name).suffix.lower()
    try:
        if suffix in MARKDOWN_SUFFIXES:
            records = [parse_markdown(text, name)]
        elif suffix in JSONL_SUFFIXES:
            records = list(parse_jsonl(text, name))
        else:
            raise CorpusError(f"{name}: attach a .md (with front matter) or a .jsonl file")
    except CorpusError as error:
        raise CorpusProblems([error]) from None
    problems = duplicate_id_problems(records)
    if problems:
        raise CorpusProblems(problems)
    if not records:
        raise CorpusError(f"{name} holds no answers")
    check_import_size(records, name)
    return records
