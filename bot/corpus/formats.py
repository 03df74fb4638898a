"""Reading and writing the corpus interchange formats of docs/contracts.md.

Markdown with YAML front matter (one answer per file, the body is the file's body) and
JSON Lines (one answer per line). Every problem is reported with its file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.corpus.records import (
    ALSO_ASKED_LIMIT,
    FIELD_LIMITS,
    ID_PATTERN,
    KNOWN_FIELDS,
    MAX_ALSO_ASKED,
    MAX_ANSWERS_PER_IMPORT,
    MAX_TAGS,
    REQUIRED_FIELDS,
    TAG_LIMIT,
    AnswerRecord,
    SourceLocation,
    is_web_url,
)
from bot.errors import CorpusError

MARKDOWN_SUFFIXES = (".md", ".markdown")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FRONT_MATTER_FENCE = "---"
MAX_SHOWN_PROBLEMS = 20


class CorpusProblems(CorpusError):
    """Every problem found in one import; nothing is written when there is any."""

    def __init__(self, problems: list[CorpusError]) -> None:
        self.problems = problems
        shown = [str(p) for p in problems[:MAX_SHOWN_PROBLEMS]]
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown)} more")
        noun = "problem" if len(problems) == 1 else "problems"
        summary = f"{len(problems)} {noun} in the corpus input, nothing was imported:"
        super().__init__("\n  ".join([summary, *shown]))


def record_from_fields(fields: Mapping[Any, object], where: SourceLocation) -> AnswerRecord:
    """Validate interchange fields and build a record; CorpusError names `where`."""
    odd = [repr(key) for key in fields if not isinstance(key, str)]
    if odd:
        raise CorpusError(f"field names must be text (found {', '.join(odd[:3])})", where)
    unknown = sorted(set(map(str, fields)) - KNOWN_FIELDS)
    if unknown:
        allowed = ", ".join(sorted(KNOWN_FIELDS))
        raise CorpusError(f"unknown field {', '.join(unknown)} (allowed: {allowed})", where)
    for name in REQUIRED_FIELDS:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            what = "empty body" if name == "body" else f"missing required field '{name}'"
            raise CorpusError(what, where)
    text: dict[str, str | None] = {}
    for name in ("id", "title", "body", "author", "question", "source_url"):
        value = fields.get(name)
        if value is not None and not isinstance(value, str | int | float):
            raise CorpusError(f"field '{name}' must be text", where)
        text[name] = str(value).strip() if value is not None else None
        _check_text(name, text[name] or "", FIELD_LIMITS.get(name, len(text[name] or "")), where)
    if text["source_url"] and not is_web_url(text["source_url"]):
        raise CorpusError(
            f"source_url {text['source_url'][:80]!r} is not a web address (http:// or https://)",
            where,
        )
    answer_id = text["id"] or ""
    if not ID_PATTERN.match(answer_id):
        raise CorpusError(
            f"id '{answer_id}' must be 2-120 lowercase letters, digits and dashes "
            "(e.g. 'hip-flexor-stretch')",
            where,
        )
    tags = fields.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise CorpusError("field 'tags' must be a list of words", where)
    also_asked = fields.get("also_asked") or []
    if isinstance(also_asked, str):
        also_asked = [also_asked]
    if not isinstance(also_asked, list) or not all(isinstance(q, str) for q in also_asked):
        raise CorpusError("field 'also_asked' must be a list of questions", where)
    for name, items, most, limit in (
        ("tags", tags, MAX_TAGS, TAG_LIMIT),
        ("also_asked", also_asked, MAX_ALSO_ASKED, ALSO_ASKED_LIMIT),
    ):
        if len(items) > most:
            raise CorpusError(f"field '{name}' has {len(items)} entries; at most {most}", where)
        for item in items:
            _check_text(name, item, limit, where)
    return AnswerRecord(
        id=answer_id,
        title=text["title"] or "",
        body=text["body"] or "",
        author=text["author"] or "",
        question=text["question"] or None,
        source_url=text["source_url"] or None,
        tags=tuple(t.strip() for t in tags if t.strip()),
        also_asked=tuple(dict.fromkeys(" ".join(q.split()) for q in also_asked if q.strip())),
        origin=where,
    )


def _check_text(name: str, value: str, limit: int, where: SourceLocation) -> None:
    """Refuse what the store or Discord cannot hold: too long, NUL, lone surrogates."""
    if len(value) > limit:
        raise CorpusError(
            f"field '{name}' is {len(value):,} characters long; at most {limit:,}", where
        )
    if "\x00" in value:
        raise CorpusError(f"field '{name}' contains a NUL character", where)
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise CorpusError(
            f"field '{name}' contains a lone surrogate (such as \\ud800), which is not text",
            where,
        )


def parse_markdown(text: str, path: str) -> AnswerRecord:
    """One answer from a Markdown file with YAML front matter."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise CorpusError(
            "missing YAML front matter (the file must start with '---')", SourceLocation(path, 1)
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise CorpusError(
            "front matter is not closed by a '---' line", SourceLocation(path, 1)
        ) from None
    try:
        fields = yaml.safe_load("\n".join(lines[1:end])) or {}
    except RecursionError:
        raise CorpusError("front matter is nested too deeply", SourceLocation(path, 2)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CorpusError(
            f"malformed YAML front matter: {problem}", SourceLocation(path, line)
        ) from None
    if not isinstance(fields, dict):
        raise CorpusError("front matter must be a mapping of fields", SourceLocation(path, 2))
    if "body" in fields:
        raise CorpusError(
            "'body' is the file's text after the front matter, not a field", SourceLocation(path, 2)
        )
    body = "\n".join(lines[end + 1 :]).strip()
    return record_from_fields({**fields, "body": body}, SourceLocation(path, 1))


def parse_jsonl(text: str, path: str) -> Iterator[AnswerRecord]:
    """Answers from JSON Lines, one per non-blank line."""
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        where = SourceLocation(path, number)
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"malformed JSON: {exc.msg} (column {exc.colno})", where) from None
        except RecursionError:
            raise CorpusError("JSON nested too deeply", where) from None
        if not isinstance(fields, dict):
            raise CorpusError("each line must be a JSON object", where)
        yield record_from_fields(fields, where)


def corpus_files(path: Path) -> list[Path]:
    """The corpus files at `path`: the file itself, or every corpus file below a folder."""
    if not path.exists():
        raise CorpusError(f"no such file or folder: {path}")
    if path.is_file():
        return [path]
    suffixes = MARKDOWN_SUFFIXES + JSONL_SUFFIXES
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def read_file(path: Path) -> list[AnswerRecord]:
    """The answers in one corpus file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CorpusError("not UTF-8 text", SourceLocation(str(path), 1)) from None
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return [parse_markdown(text, str(path))]
    if suffix in JSONL_SUFFIXES:
        return list(parse_jsonl(text, str(path)))
    raise CorpusError(
        "unsupported file type; use .md (front matter) or .jsonl", SourceLocation(str(path), 1)
    )


def read_corpus(path: Path) -> list[AnswerRecord]:
    """Every answer at `path`, validated as a whole: raises CorpusProblems listing all
    problems (with file and line) when any file is bad or an id appears twice."""
    problems: list[CorpusError] = []
    records: list[AnswerRecord] = []
    files = corpus_files(path)
    if not files:
        raise CorpusError(f"no .md or .jsonl corpus files in {path}")
    for file in files:
        try:
            records.extend(read_file(file))
        except CorpusError as exc:
            problems.append(exc)
    problems.extend(duplicate_id_problems(records))
    if problems:
        raise CorpusProblems(problems)
    check_import_size(records, str(path))
    return records


def check_import_size(records: Sequence[AnswerRecord], source: str) -> None:
    if len(records) > MAX_ANSWERS_PER_IMPORT:
        raise CorpusError(
            f"{source} holds {len(records):,} answers; import at most "
            f"{MAX_ANSWERS_PER_IMPORT:,} at a time (split it into several files)"
        )


def duplicate_id_problems(records: Iterable[AnswerRecord]) -> list[CorpusError]:
    first_seen: dict[str, AnswerRecord] = {}
    problems = []
    for record in records:
        if record.id in first_seen:
            problems.append(
                CorpusError(
                    f"duplicate id '{record.id}' (first used at {first_seen[record.id].origin})",
                    record.origin,
                )
            )
        else:
            first_seen[record.id] = record
    return problems


def to_markdown(record: AnswerRecord) -> str:
    """The Markdown file for one answer: front matter, then the body."""
    fields = record.to_dict()
    body = str(fields.pop("body"))
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=10_000)
    return f"{FRONT_MATTER_FENCE}\n{front}{FRONT_MATTER_FENCE}\n{body}\n"


def to_jsonl_line(record: AnswerRecord) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False)


def write_corpus(records: Iterable[AnswerRecord], path: Path, fmt: str) -> int:
    """Export: `md` writes one `<id>.md` per answer into the folder `path`; `jsonl` writes
    the file `path`. Returns the number of answers written."""
    ordered = sorted(records, key=lambda r: r.id)
    if fmt == "jsonl":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(to_jsonl_line(r) + "\n" for r in ordered), encoding="utf-8")
    elif fmt == "md":
        if path.exists() and not path.is_dir():
            raise CorpusError(f"{path} is a file; Markdown export writes a folder of .md files")
        path.mkdir(parents=True, exist_ok=True)
        for record in ordered:
            (path / f"{record.id}.md").write_text(to_markdown(record), encoding="utf-8")
    else:
        raise CorpusError(f"unknown export format '{fmt}' (use md or jsonl)")
    return len(ordered)
