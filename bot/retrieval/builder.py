"""Building a scope's index: embed what changed, write a new build, switch to it, prune.

A build is written into its own folder next to the previous ones; its manifest is
written last and the CURRENT pointer is switched only after that, atomically. Until
then readers keep using the previous build, and a build killed half-way leaves an
unfinished folder (no manifest) that the next build of the scope removes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bot.corpus.records import AnswerRecord, Citation
from bot.errors import CorpusError
from bot.retrieval.cache import EmbeddingCache
from bot.retrieval.config import RetrievalConfig
from bot.retrieval.decision import (
    KEYWORD_WEIGHT,
    Decision,
    decision_score,
    probe_questions,
    threshold_for,
)
from bot.retrieval.dense import (
    HNSW,
    HNSW_EF_CONSTRUCTION,
    HNSW_M,
    HNSW_THRESHOLD,
    IVF,
    IVF_NPROBE,
    IVF_THRESHOLD,
    IVF_VECTORS_PER_LIST,
    DenseIndex,
)
from bot.retrieval.encoder import Encoder
from bot.retrieval.fusion import QueryScores, score_build
from bot.retrieval.keyword import K1, B, KeywordIndex
from bot.retrieval.loader import IndexedAnswer, LoadedBuild
from bot.retrieval.manifest import (
    ANSWERS_FILE,
    DENSE_FILE,
    KEYWORD_DIR,
    MANIFEST_FILE,
    PASSAGES_FILE,
    BuildManifest,
    build_dir,
    builds_dir,
    check_scope,
    corpus_checksum,
    file_checksum,
    fsync_dir,
    library_versions,
    list_builds,
    new_build_id,
    read_pointer,
    scope_dir,
    write_manifest,
    write_pointer,
)
from bot.retrieval.passages import MAX_WORDS, TARGET_WORDS, Passage, answer_passages, text_hash

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
EMBED_CHUNK = 256
"""Texts embedded (and cached) per step: a killed build keeps what it already embedded."""
EMBED_BATCH = 64
"""Texts per encode call within a step."""


class IndexBuilder:
    """Builds the index of one scope at a time from its answer records."""

    def __init__(
        self,
        index_root: Path,
        encoder: Encoder,
        cache: EmbeddingCache,
        keep_builds: int = 3,
        *,
        hnsw_threshold: int = HNSW_THRESHOLD,
        batch_size: int = EMBED_BATCH,
    ) -> None:
        if keep_builds < 1:
            raise ValueError("keep_builds must be at least 1")
        self.index_root = Path(index_root)
        self.encoder = encoder
        self.cache = cache
        self.keep_builds = keep_builds
        self.hnsw_threshold = hnsw_threshold
        self.batch_size = batch_size

    def build(
        self,
        scope: str,
        records: Sequence[AnswerRecord],
        *,
        full: bool = False,
        progress: Progress | None = None,
    ) -> BuildManifest:
        """Index `records` as the new current build of `scope` and return its manifest.

        Incremental by default: passages whose text is in the embedding cache are not
        embedded again. `full=True` embeds everything again (and refreshes the cache).
        `progress(done, total)` follows the embedding, in passages.
        """
        check_scope(scope)
        _check_unique_ids(scope, records)
        started = time.monotonic()
        scope_dir(self.index_root, scope).mkdir(parents=True, exist_ok=True)
        with _scope_lock(scope_dir(self.index_root, scope)):
            answers, passages = _layout(records)
            vectors, embedded = self._embed(passages, full=full, progress=progress)
            build_id = new_build_id()
            folder = build_dir(self.index_root, scope, build_id)
            folder.mkdir(parents=True)
            dense = DenseIndex.build(vectors, hnsw_threshold=self.hnsw_threshold)
            keyword = KeywordIndex.build([p.embed_text for p in passages])
            _write_files(folder, answers, passages, dense, keyword)
            manifest = BuildManifest(
                build_id=build_id,
                scope=scope,
                model=self.encoder.name,
                dimension=self.encoder.dimension,
                index_type=dense.index_type,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                counts={
                    "answers": len(answers),
                    "passages": len(passages),
                    "embedded": embedded,
                    "reused": len({p.content_hash for p in passages}) - embedded,
                    "with_phrasings": sum(1 for r in records if r.also_asked),
                },
                corpus_checksum=corpus_checksum(records),
                files=_checksums(folder),
                versions=library_versions(),
                full=full,
                duration_seconds=round(time.monotonic() - started, 3),
                settings=_build_settings(dense.index_type, self.hnsw_threshold),
            )
            built = LoadedBuild.of(manifest, tuple(answers), tuple(passages), dense, keyword)
            manifest = replace(manifest, decision=self._decision(built))
            write_manifest(folder, manifest)
            fsync_dir(folder)
            fsync_dir(folder.parent)
            write_pointer(self.index_root, scope, build_id)
            log.info(
                "scope %s: build %s is current (%d answers, %d passages, %d embedded)",
                scope,
                build_id,
                len(answers),
                len(passages),
                embedded,
            )
            self._prune(scope)
        return manifest

    def prune(self, scope: str) -> list[str]:
        """Remove builds beyond the newest `keep_builds` and unfinished ones; returns their ids."""
        folder = scope_dir(self.index_root, scope)
        if not folder.is_dir():
            return []
        with _scope_lock(folder):
            return self._prune(scope)

    def _prune(self, scope: str) -> list[str]:
        # Called with the scope lock held, so no build of this scope is being written.
        current = read_pointer(self.index_root, scope)
        finished = list_builds(self.index_root, scope)
        keep = set(finished[: self.keep_builds]) | {current}
        removed = []
        for path in sorted(builds_dir(self.index_root, scope).iterdir()):
            if path.name in keep or not path.is_dir():
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
        if removed:
            log.info("scope %s: pruned builds %s", scope, ", ".join(removed))
        return removed

    def _decision(self, build: LoadedBuild) -> dict[str, object]:
        """The build's cut-off and how many off-topic probes it declines (decision.py);
        nothing for an empty corpus, which answers nothing."""
        if not build.passages:
            return {}
        config = RetrievalConfig()
        threshold = threshold_for(config, None)
        texts = {text_hash(q): q for q in probe_questions()}
        vectors, _ = self._embed_texts(texts, full=False, progress=None)
        declined = 0
        for content_hash, question in texts.items():
            scores = QueryScores.compute(build, question, vectors[content_hash])
            matches = score_build(scores, config)
            if not matches:
                declined += 1
                continue
            if decision_score(matches[0], config.mode) < threshold:
                declined += 1
        return Decision(
            threshold=threshold,
            keyword_weight=KEYWORD_WEIGHT,
            probes=len(texts),
            probes_declined=round(declined / len(texts), 4),
        ).to_dict()

    def _embed(
        self, passages: Sequence[Passage], *, full: bool, progress: Progress | None
    ) -> tuple[np.ndarray, int]:
        """Vectors for every passage, and how many distinct texts had to be embedded."""
        texts = {p.content_hash: p.embed_text for p in passages}
        known, embedded = self._embed_texts(texts, full=full, progress=progress)
        matrix = np.zeros((len(passages), self.encoder.dimension), dtype=np.float32)
        for row, passage in enumerate(passages):
            matrix[row] = known[passage.content_hash]
        return matrix, embedded

    def _embed_texts(
        self, texts: dict[str, str], *, full: bool, progress: Progress | None
    ) -> tuple[dict[str, np.ndarray], int]:
        """A vector for each text (by hash), and how many had to be embedded."""
        model = self.encoder.name
        known = {} if full else self.cache.get_many(model, list(texts))
        known = {h: v for h, v in known.items() if np.shape(v) == (self.encoder.dimension,)}
        # Similar lengths together: sentence-transformers pads each batch to its longest
        # text and sorts by length only within one encode call (measured: ~25% faster).
        missing = sorted((h for h in texts if h not in known), key=lambda h: len(texts[h]))
        total = len(texts)
        done = total - len(missing)
        if progress:
            progress(done, total)
        for start in range(0, len(missing), EMBED_CHUNK):
            chunk = missing[start : start + EMBED_CHUNK]
            vectors = self.encoder.encode(
                [texts[h] for h in chunk], batch_size=self.batch_size, show_progress=False
            )
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.shape != (len(chunk), self.encoder.dimension):
                raise RuntimeError(
                    f"encoder {model} returned shape {vectors.shape} for {len(chunk)} texts"
                )
            fresh = dict(zip(chunk, vectors, strict=True))
            self.cache.put_many(model, fresh)
            known.update(fresh)
            done += len(chunk)
            if progress:
                progress(done, total)
        return known, len(missing)


def _write_files(
    folder: Path,
    answers: Sequence[IndexedAnswer],
    passages: Sequence[Passage],
    dense: DenseIndex,
    keyword: KeywordIndex,
) -> None:
    _write_jsonl(folder / ANSWERS_FILE, (a.to_dict() for a in answers))
    _write_jsonl(folder / PASSAGES_FILE, (p.to_dict() for p in passages))
    dense.save(folder / DENSE_FILE)
    keyword.save(folder / KEYWORD_DIR)


def _layout(records: Sequence[AnswerRecord]) -> tuple[list[IndexedAnswer], list[Passage]]:
    """Answers in order, each with its passages stored contiguously."""
    answers: list[IndexedAnswer] = []
    passages: list[Passage] = []
    for record in records:
        own = answer_passages(record)
        answers.append(
            IndexedAnswer(
                **Citation.fields_of(record),
                content_hash=record.content_hash(),
                first_passage=len(passages),
                passage_count=len(own),
            )
        )
        passages.extend(own)
    return answers, passages


def _build_settings(index_type: str, hnsw_threshold: int) -> dict[str, object]:
    """How the build cut and indexed text, so two builds can be told apart."""
    settings: dict[str, object] = {
        "passages": {"target_words": TARGET_WORDS, "max_words": MAX_WORDS},
        "keyword": {"method": "lucene", "k1": K1, "b": B, "stemmer": "english"},
        "hnsw_threshold": hnsw_threshold,
    }
    if index_type == HNSW:
        settings["hnsw"] = {"m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION}
    elif index_type == IVF:
        settings["ivf"] = {
            "threshold": IVF_THRESHOLD,
            "vectors_per_list": IVF_VECTORS_PER_LIST,
            "nprobe": IVF_NPROBE,
        }
    return settings


def _check_unique_ids(scope: str, records: Sequence[AnswerRecord]) -> None:
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise CorpusError(f"answer id '{record.id}' appears twice in scope '{scope}'")
        seen.add(record.id)


def _write_jsonl(path: Path, rows: Iterator[dict[str, object]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def _checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file of the build, each flushed to disk before the manifest."""
    checksums = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name == MANIFEST_FILE:
            continue
        checksums[path.relative_to(folder).as_posix()] = file_checksum(path)
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    return checksums


@contextlib.contextmanager
def _scope_lock(folder: Path) -> Iterator[None]:
    """Serialise builds and pruning of one scope across processes (where flock exists)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: builds are not run concurrently there
        yield
        return
    with open(folder / ".lock", "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
