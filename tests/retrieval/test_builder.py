"""Builds embed only what changed, record what they are, and replace each other safely."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.errors import CorpusError
from bot.retrieval import IndexBuilder, MemoryEmbeddingCache, current_build, list_builds
from bot.retrieval.decision import probe_questions
from bot.retrieval.manifest import (
    CURRENT_FILE,
    MANIFEST_FILE,
    build_dir,
    builds_dir,
    corpus_checksum,
    file_checksum,
)
from bot.retrieval.passages import corpus_passages
from tests.retrieval.conftest import DEADLIFT, PROTEIN, STARTER_RECORDS, answer
from tests.support.fake_encoder import FakeEncoder


def passage_texts(encoder: FakeEncoder) -> list[str]:
    """What the encoder embedded for passages (the off-topic probes aside)."""
    probes = set(probe_questions())
    return [text for text in encoder.encoded_texts if text not in probes]


def test_a_first_build_embeds_every_passage_and_becomes_current(
    builder: IndexBuilder, encoder: FakeEncoder, index_root: Path
) -> None:
    manifest = builder.build("global", STARTER_RECORDS)

    passages = corpus_passages(STARTER_RECORDS)
    assert len(passage_texts(encoder)) == len(passages)
    assert manifest.counts == {
        "answers": 4,
        "passages": len(passages),
        "embedded": len(passages),
        "reused": 0,
        "with_phrasings": 0,
    }
    assert current_build(index_root, "global") == manifest
    assert (index_root / "global" / CURRENT_FILE).read_text().strip() == manifest.build_id


def test_the_manifest_records_model_versions_corpus_and_file_checksums(
    builder: IndexBuilder, index_root: Path
) -> None:
    manifest = builder.build("global", STARTER_RECORDS)
    folder = build_dir(index_root, "global", manifest.build_id)
    on_disk = json.loads((folder / MANIFEST_FILE).read_text())

    assert on_disk["model"] == "fake-trigrams-64"
    assert on_disk["dimension"] == 64
    assert on_disk["index_type"] == "flat"
    assert on_disk["corpus_checksum"] == corpus_checksum(STARTER_RECORDS)
    assert set(on_disk["versions"]) >= {"faiss-cpu", "sentence-transformers", "bm25s", "numpy"}
    assert on_disk["created_at"].endswith("+00:00")
    assert {"dense.faiss", "answers.jsonl", "passages.jsonl"} <= set(on_disk["files"])
    assert any(name.startswith("keyword/") for name in on_disk["files"])
    for name, checksum in on_disk["files"].items():
        assert file_checksum(folder / name) == checksum


def test_a_rebuild_embeds_only_new_or_changed_text(
    builder: IndexBuilder, encoder: FakeEncoder
) -> None:
    builder.build("global", STARTER_RECORDS)
    encoder.reset_counts()
    edited = replace(PROTEIN, body="Eat protein at every meal; 1.6 g per kg per day is plenty.")
    added = answer("sleep-recovery", "Sleep and recovery", "Sleep eight hours before heavy days.")
    records = [r for r in STARTER_RECORDS if r.id != PROTEIN.id] + [edited, added]

    manifest = builder.build("global", records)

    assert sorted(encoder.encoded_texts) == sorted(
        [
            f"{PROTEIN.title}\n{edited.body}",
            added.title,
            f"{added.title}\n{added.body}",
        ]
    )
    assert manifest.counts["embedded"] == 3
    assert manifest.counts["reused"] == manifest.counts["passages"] - 3


def test_a_rebuild_of_an_unchanged_corpus_embeds_nothing(
    builder: IndexBuilder, encoder: FakeEncoder
) -> None:
    first = builder.build("global", STARTER_RECORDS)
    encoder.reset_counts()

    second = builder.build("global", STARTER_RECORDS)

    assert encoder.calls == 0
    assert second.build_id != first.build_id
    assert second.corpus_checksum == first.corpus_checksum


def test_a_full_rebuild_embeds_everything_again(
    builder: IndexBuilder, encoder: FakeEncoder
) -> None:
    builder.build("global", STARTER_RECORDS)
    encoder.reset_counts()

    manifest = builder.build("global", STARTER_RECORDS, full=True)

    assert len(encoder.encoded_texts) == manifest.counts["passages"]
    assert manifest.full is True
    assert manifest.counts["reused"] == 0


def test_the_cache_is_per_model(index_root: Path, cache: MemoryEmbeddingCache) -> None:
    IndexBuilder(index_root, FakeEncoder(64), cache).build("global", STARTER_RECORDS)
    other_model = FakeEncoder(32)

    IndexBuilder(index_root, other_model, cache).build("global", STARTER_RECORDS)

    assert len(passage_texts(other_model)) == len(corpus_passages(STARTER_RECORDS))


def test_progress_counts_up_to_every_passage_text(builder: IndexBuilder) -> None:
    seen: list[tuple[int, int]] = []

    builder.build(
        "global", STARTER_RECORDS, progress=lambda done, total: seen.append((done, total))
    )

    total = len({p.content_hash for p in corpus_passages(STARTER_RECORDS)})
    assert seen[0] == (0, total)
    assert seen[-1] == (total, total)


def test_old_builds_are_pruned_keeping_the_newest_few(
    builder: IndexBuilder, index_root: Path
) -> None:
    ids = [builder.build("global", STARTER_RECORDS).build_id for _ in range(5)]

    assert list_builds(index_root, "global") == ids[:1:-1]
    assert sorted(p.name for p in builds_dir(index_root, "global").iterdir()) == ids[2:]


def test_an_empty_scope_builds_and_searches_to_nothing(
    builder: IndexBuilder, index_root: Path
) -> None:
    from bot.retrieval import Retriever
    from tests.retrieval.conftest import OPEN_CONFIG

    manifest = builder.build("123456789", [])
    result = Retriever(index_root, FakeEncoder(), config=OPEN_CONFIG).search(
        "anything", ["123456789"]
    )

    assert manifest.counts["passages"] == 0
    assert result.answers == []
    assert result.build_ids == {"123456789": manifest.build_id}


def test_two_answers_with_one_id_in_a_scope_are_refused(builder: IndexBuilder) -> None:
    with pytest.raises(CorpusError, match="deadlift-spine"):
        builder.build("global", [DEADLIFT, replace(DEADLIFT, title="Another")])


def test_a_scope_must_be_global_or_a_guild_id(builder: IndexBuilder) -> None:
    with pytest.raises(ValueError, match="scope"):
        builder.build("../elsewhere", STARTER_RECORDS)
