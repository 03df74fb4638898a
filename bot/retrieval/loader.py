"""Loading an index build: check it was made for this model, verify its files, read it.

A build whose files do not match their checksums (truncated by a full disk, altered by
hand) is skipped with a warning and the newest older build that verifies is served
instead. A build made with another model or dimension is refused outright: serving it
would silently compare vectors from two different models.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.corpus.records import Citation
from bot.retrieval.decision import Decision
from bot.retrieval.dense import DenseIndex
from bot.retrieval.keyword import KeywordIndex
from bot.retrieval.manifest import (
    ANSWERS_FILE,
    DENSE_FILE,
    FORMAT_VERSION,
    KEYWORD_DIR,
    PASSAGES_FILE,
    REBUILD_HINT,
    BuildManifest,
    IndexCorruptError,
    IndexMismatchError,
    build_dir,
    file_checksum,
    list_builds,
    read_manifest,
    read_pointer,
)
from bot.retrieval.passages import Passage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexedAnswer(Citation):
    """What search shows of an answer (its citation); its passages are `first_passage`
    onwards."""

    content_hash: str
    first_passage: int
    passage_count: int

    def to_dict(self) -> dict[str, object]:
        return {
            **self.citation_json(),
            "content_hash": self.content_hash,
            "first_passage": self.first_passage,
            "passage_count": self.passage_count,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> IndexedAnswer:
        return cls(
            **Citation.fields_from_json(data),
            content_hash=str(data["content_hash"]),
            first_passage=int(data["first_passage"]),  # type: ignore[call-overload]
            passage_count=int(data["passage_count"]),  # type: ignore[call-overload]
        )


@dataclass(frozen=True, eq=False)
class LoadedBuild:
    """One scope's build, fully in memory and never modified: safe to share between threads."""

    manifest: BuildManifest
    answers: tuple[IndexedAnswer, ...]
    passages: tuple[Passage, ...]
    passage_answer: np.ndarray
    """For each passage, the position of its answer in `answers`."""
    dense: DenseIndex
    keyword: KeywordIndex

    @property
    def build_id(self) -> str:
        return self.manifest.build_id

    @property
    def scope(self) -> str:
        return self.manifest.scope

    @classmethod
    def of(
        cls,
        manifest: BuildManifest,
        answers: tuple[IndexedAnswer, ...],
        passages: tuple[Passage, ...],
        dense: DenseIndex,
        keyword: KeywordIndex,
    ) -> LoadedBuild:
        """A build from its parts (the passage-to-answer map is derived)."""
        passage_answer = np.zeros(len(passages), dtype=np.int64)
        for number, answer in enumerate(answers):
            passage_answer[answer.first_passage : answer.first_passage + answer.passage_count] = (
                number
            )
        return cls(manifest, answers, passages, passage_answer, dense, keyword)

    @cached_property
    def decision(self) -> Decision | None:
        """The build's own answer/decline cut-off (None for builds made before they had one);
        read from the manifest once, as every search asks for it."""
        return Decision.from_dict(self.manifest.decision)

    @cached_property
    def answer_ids(self) -> frozenset[str]:
        """The ids of the build's answers (a search shadows them in later scopes)."""
        return frozenset(answer.id for answer in self.answers)

    def answer_passages(self, answer_number: int) -> range:
        answer = self.answers[answer_number]
        return range(answer.first_passage, answer.first_passage + answer.passage_count)


def load_current_build(
    index_root: Path, scope: str, *, model: str, dimension: int
) -> LoadedBuild | None:
    """The scope's current build, or the newest older one that verifies; None if never built.

    Raises IndexMismatchError when the current build was made for another model, and
    IndexCorruptError when no build of the scope can be used.
    """
    build_id = read_pointer(index_root, scope)
    if build_id is None:
        return None
    try:
        return open_build(build_dir(index_root, scope, build_id), model=model, dimension=dimension)
    except IndexCorruptError as error:
        log.warning("index build %s of scope %s is unusable: %s", build_id, scope, error)
    for older_id in list_builds(index_root, scope):
        if older_id >= build_id:
            continue
        folder = build_dir(index_root, scope, older_id)
        try:
            build = open_build(folder, model=model, dimension=dimension)
        except (IndexCorruptError, IndexMismatchError) as error:
            log.warning("older build %s of scope %s is unusable too: %s", older_id, scope, error)
            continue
        log.warning(
            "serving older index build %s of scope %s instead of %s; %s",
            older_id,
            scope,
            build_id,
            REBUILD_HINT,
        )
        return build
    raise IndexCorruptError(
        f"the index of scope '{scope}' is damaged and no older build is usable: {REBUILD_HINT}"
    )


def check_compatible(manifest: BuildManifest, *, model: str, dimension: int) -> None:
    """Refuse a build made for another model, dimension or file format."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"the index of scope '{manifest.scope}' has format {manifest.format_version}, "
            f"this version of triagebot reads format {FORMAT_VERSION}: {REBUILD_HINT}"
        )
    if manifest.model != model or manifest.dimension != dimension:
        raise IndexMismatchError(
            f"the index of scope '{manifest.scope}' was built with {manifest.model} "
            f"({manifest.dimension} dimensions) but the configured model is {model} "
            f"({dimension} dimensions): {REBUILD_HINT}"
        )


def verify_files(folder: Path, manifest: BuildManifest) -> None:
    """Check every index file against the checksum the manifest recorded."""
    for relative, expected in sorted(manifest.files.items()):
        path = folder / relative
        try:
            actual = file_checksum(path)
        except OSError as error:
            raise IndexCorruptError(
                f"index build {manifest.build_id} is missing {relative}: {REBUILD_HINT}"
            ) from error
        if actual != expected:
            raise IndexCorruptError(
                f"index build {manifest.build_id} has a damaged {relative} "
                f"(checksum mismatch): {REBUILD_HINT}"
            )


def open_build(folder: Path, *, model: str, dimension: int) -> LoadedBuild:
    """Read and verify the build in `folder`."""
    manifest = read_manifest(folder)
    check_compatible(manifest, model=model, dimension=dimension)
    verify_files(folder, manifest)
    try:
        answers = tuple(IndexedAnswer.from_dict(d) for d in _read_jsonl(folder / ANSWERS_FILE))
        passages = tuple(Passage.from_dict(d) for d in _read_jsonl(folder / PASSAGES_FILE))
        dense = DenseIndex.load(folder / DENSE_FILE, manifest.index_type)
        keyword = KeywordIndex.load(folder / KEYWORD_DIR)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexCorruptError(
            f"index build {manifest.build_id} could not be read ({type(error).__name__}): "
            f"{REBUILD_HINT}"
        ) from error
    if dense.size != len(passages) or keyword.n_docs != len(passages):
        raise IndexCorruptError(
            f"index build {manifest.build_id} is inconsistent (passage counts differ): "
            f"{REBUILD_HINT}"
        )
    return LoadedBuild.of(manifest, answers, passages, dense, keyword)


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
