"""The answer record as it travels between files, the store and the retriever."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}[a-z0-9]$")
REQUIRED_FIELDS = ("id", "title", "body", "author")
OPTIONAL_FIELDS = ("question", "also_asked", "source_url", "tags")
KNOWN_FIELDS = frozenset(REQUIRED_FIELDS + OPTIONAL_FIELDS)

# The longest each field may be, in characters: the store's columns (title 300, author 200)
# and, for the unbounded ones, far beyond any real answer, so that a runaway file is refused
# with its line instead of filling the store or breaking Discord's embeds.
FIELD_LIMITS = {
    "title": 300,
    "author": 200,
    "question": 2_000,
    "source_url": 2_000,
    "body": 60_000,
}
MAX_TAGS = 30
TAG_LIMIT = 60
MAX_ALSO_ASKED = 60
ALSO_ASKED_LIMIT = 500
MAX_ANSWERS_PER_IMPORT = 50_000
"""Beyond this an import is refused (split the file): it is read whole into memory."""


@dataclass(frozen=True)
class SourceLocation:
    """Where a record came from, so that errors can name the file and line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Citation:
    """What a reply shows to credit an answer: its id, title, author, link and tags. The
    index keeps this much of each answer, and search returns it with its scores (both
    extend this class); `fields_of` takes it from any of them, so no field is copied by hand."""

    id: str
    title: str
    author: str
    source_url: str | None
    tags: tuple[str, ...]

    @staticmethod
    def fields_of(source: AnswerRecord | Citation) -> dict[str, Any]:
        """The citation's fields as `source` holds them (a record or another citation)."""
        return {f.name: getattr(source, f.name) for f in fields(Citation)}

    def citation_json(self) -> dict[str, object]:
        """The citation's fields in JSON form (an index manifest keeps them so)."""
        return {**Citation.fields_of(self), "tags": list(self.tags)}

    @staticmethod
    def fields_from_json(data: Mapping[str, object]) -> dict[str, Any]:
        """The citation's fields from their JSON form (`citation_json`)."""
        source_url = data.get("source_url")
        tags = data.get("tags") or []
        return {
            "id": str(data["id"]),
            "title": str(data["title"]),
            "author": str(data["author"]),
            "source_url": str(source_url) if source_url else None,
            "tags": tuple(str(t) for t in tags) if isinstance(tags, list) else (),
        }


@dataclass(frozen=True)
class AnswerRecord:
    """One curated answer in the interchange format of docs/contracts.md."""

    id: str
    title: str
    body: str
    author: str
    question: str | None = None
    source_url: str | None = None
    tags: tuple[str, ...] = ()
    also_asked: tuple[str, ...] = ()
    """Other ways members ask what this answer answers; matched like `question`."""
    origin: SourceLocation | None = field(default=None, compare=False)

    def content_hash(self) -> str:
        """A stable hash of everything a reader sees; equal records hash equally."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, object]:
        """The record as interchange fields, optional ones left out when empty."""
        data: dict[str, object] = {"id": self.id, "title": self.title}
        if self.question:
            data["question"] = self.question
        if self.also_asked:
            data["also_asked"] = list(self.also_asked)
        data["author"] = self.author
        if self.source_url:
            data["source_url"] = self.source_url
        data["tags"] = list(self.tags)
        data["body"] = self.body
        return data


def is_web_url(text: str) -> bool:
    """An http(s) address with a host and no spaces or control characters: what Discord
    accepts as a link (anything else makes it refuse the whole reply that cites it)."""
    if any(char.isspace() or not char.isprintable() for char in text):
        return False
    parts = urlsplit(text)
    try:
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(host)


def slugify(text: str, max_length: int = 80) -> str:
    """Turn a title into an id-shaped slug ("Tight L3?" -> "tight-l3")."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "answer"
