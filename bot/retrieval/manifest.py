"""Where index builds live on disk, what their manifest says, and which one is current.

    {index_root}/{scope}/CURRENT                  the current build's id (switched atomically)
    {index_root}/{scope}/builds/{build_id}/       one complete build
        manifest.json                             written last: a build without one is unfinished
        answers.jsonl, passages.jsonl     what search shows (titles, authors, passage text)
        dense.faiss, keyword/...          the FAISS and BM25 indexes

A scope is "global" (the shared starter corpus) or a Discord guild id.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bot.corpus.records import AnswerRecord
from bot.errors import TriagebotError

FORMAT_VERSION = 1
MANIFEST_FILE = "manifest.json"
CURRENT_FILE = "CURRENT"
BUILDS_DIR = "builds"
ANSWERS_FILE = "answers.jsonl"
PASSAGES_FILE = "passages.jsonl"
DENSE_FILE = "dense.faiss"
KEYWORD_DIR = "keyword"
REBUILD_HINT = "run `triagebot index rebuild --full`"

_SCOPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_LIBRARIES = ("faiss-cpu", "sentence-transformers", "bm25s", "numpy", "PyStemmer", "torch")


class IndexCorruptError(TriagebotError):
    """An index build is missing files, truncated, or altered since it was written."""


class IndexMismatchError(TriagebotError):
    """An index build was made with another model, dimension or format than configured."""


@dataclass(frozen=True)
class BuildManifest:
    """What a build contains and how it was made; checked whenever it is loaded."""

    build_id: str
    scope: str
    model: str
    dimension: int
    index_type: str
    created_at: str
    counts: dict[str, int]
    """answers, passages, embedded (new this build), reused (from the embedding cache),
    with_phrasings (answers with `also_asked` phrasings)."""
    corpus_checksum: str
    files: dict[str, str]
    """Relative path -> SHA-256 of every index file of the build."""
    versions: dict[str, str]
    full: bool = False
    duration_seconds: float = 0.0
    format_version: int = FORMAT_VERSION
    settings: dict[str, object] = field(default_factory=dict)
    decision: dict[str, object] = field(default_factory=dict)
    """The build's answer/decline cut-off and its off-topic probe check (decision.py);
    empty for an empty corpus and for builds made before builds recorded one."""

    @property
    def answer_count(self) -> int:
        return self.counts.get("answers", 0)

    @property
    def passage_count(self) -> int:
        return self.counts.get("passages", 0)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> BuildManifest:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})  # type: ignore[arg-type]


def check_scope(scope: str) -> str:
    """The scope, if it is safe to use as a folder name ("global" or a guild id)."""
    if not _SCOPE.match(scope):
        raise ValueError(f"invalid index scope {scope!r}: use 'global' or a guild id")
    return scope


def scope_dir(index_root: Path, scope: str) -> Path:
    return Path(index_root) / check_scope(scope)


def builds_dir(index_root: Path, scope: str) -> Path:
    return scope_dir(index_root, scope) / BUILDS_DIR


def build_dir(index_root: Path, scope: str, build_id: str) -> Path:
    return builds_dir(index_root, scope) / build_id


def new_build_id(now: datetime | None = None) -> str:
    """Sortable by time; the random tail keeps two builds in one microsecond apart."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"


def read_pointer(index_root: Path, scope: str) -> str | None:
    """The id CURRENT names, or None when the scope has never been built."""
    try:
        text = (scope_dir(index_root, scope) / CURRENT_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return text.strip() or None


def write_pointer(index_root: Path, scope: str, build_id: str) -> None:
    """Make `build_id` current: write a temporary file, then rename it over CURRENT.

    os.replace is atomic, so a reader sees the old id or the new one, never half of it,
    and a crash before the rename leaves the old build current.
    """
    folder = scope_dir(index_root, scope)
    temporary = folder / f".{CURRENT_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(build_id + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, folder / CURRENT_FILE)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    fsync_dir(folder)


def read_manifest(folder: Path) -> BuildManifest:
    """The manifest of the build in `folder`; IndexCorruptError when unreadable."""
    path = folder / MANIFEST_FILE
    try:
        return BuildManifest.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as error:
        raise IndexCorruptError(
            f"index build {folder.name} has no manifest: {REBUILD_HINT}"
        ) from error
    except (ValueError, TypeError) as error:
        raise IndexCorruptError(
            f"index build {folder.name} has an unreadable manifest: {REBUILD_HINT}"
        ) from error


def write_manifest(folder: Path, manifest: BuildManifest) -> None:
    path = folder / MANIFEST_FILE
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(manifest.to_json())
        handle.flush()
        os.fsync(handle.fileno())


def current_build(index_root: Path, scope: str) -> BuildManifest | None:
    """The manifest of the scope's current build, or None when it has never been built."""
    build_id = read_pointer(index_root, scope)
    if build_id is None:
        return None
    return read_manifest(build_dir(index_root, scope, build_id))


def list_builds(index_root: Path, scope: str) -> list[str]:
    """Ids of the scope's finished builds (those with a manifest), newest first."""
    folder = builds_dir(index_root, scope)
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.iterdir() if (p / MANIFEST_FILE).is_file()), reverse=True)


def built_scopes(index_root: Path) -> list[str]:
    """Scopes under `index_root` that have a current build."""
    root = Path(index_root)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / CURRENT_FILE).is_file())


def corpus_checksum(records: Iterable[AnswerRecord]) -> str:
    """One hash for a corpus: its answers' ids and content, in any order."""
    digest = hashlib.sha256()
    for answer_id, content in sorted((r.id, r.content_hash()) for r in records):
        digest.update(f"{answer_id}\0{content}\n".encode())
    return digest.hexdigest()


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def fsync_dir(folder: Path) -> None:
    """Persist a rename or new file in `folder` (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
