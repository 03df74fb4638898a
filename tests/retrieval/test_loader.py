"""Loading refuses builds of another model and steps over damaged ones."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.errors import TriagebotError
from bot.retrieval import IndexBuilder, IndexCorruptError, IndexMismatchError, Retriever
from bot.retrieval.loader import load_current_build
from bot.retrieval.manifest import DENSE_FILE, build_dir
from tests.retrieval.conftest import OPEN_CONFIG, STARTER_RECORDS, answer
from tests.support.fake_encoder import FakeEncoder

NEW_ANSWER = answer("kettlebell-swing", "Kettlebell swing basics", "Hinge, do not squat.")


def test_a_build_of_another_model_is_refused_with_what_to_run(
    builder: IndexBuilder, index_root: Path
) -> None:
    builder.build("global", STARTER_RECORDS)
    other = Retriever(index_root, FakeEncoder(64, name="another-model"), config=OPEN_CONFIG)

    with pytest.raises(IndexMismatchError) as raised:
        other.search("protein", ["global"])

    assert isinstance(raised.value, TriagebotError)
    assert "another-model" in str(raised.value)
    assert "triagebot index rebuild --full" in str(raised.value)


def test_a_build_of_another_dimension_is_refused(builder: IndexBuilder, index_root: Path) -> None:
    builder.build("global", STARTER_RECORDS)

    with pytest.raises(IndexMismatchError, match=r"64 dimensions.*32 dimensions"):
        load_current_build(index_root, "global", model="fake-trigrams-64", dimension=32)


def test_a_truncated_index_file_falls_back_to_the_previous_build_with_a_warning(
    builder: IndexBuilder, index_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = builder.build("global", STARTER_RECORDS)
    damaged = builder.build("global", [*STARTER_RECORDS, NEW_ANSWER])
    _truncate(build_dir(index_root, "global", damaged.build_id) / DENSE_FILE)

    with caplog.at_level(logging.WARNING, logger="bot.retrieval"):
        build = load_current_build(index_root, "global", model="fake-trigrams-64", dimension=64)

    assert build is not None
    assert build.build_id == good.build_id
    assert any(
        damaged.build_id in r.getMessage() and "checksum" in r.getMessage() for r in caplog.records
    )
    assert any("serving older index build" in r.getMessage() for r in caplog.records)


def test_a_missing_index_file_is_detected_too(builder: IndexBuilder, index_root: Path) -> None:
    good = builder.build("global", STARTER_RECORDS)
    damaged = builder.build("global", STARTER_RECORDS)
    (build_dir(index_root, "global", damaged.build_id) / "keyword" / "terms.json").unlink()

    build = load_current_build(index_root, "global", model="fake-trigrams-64", dimension=64)

    assert build is not None and build.build_id == good.build_id


def test_when_no_build_verifies_loading_fails_with_what_to_run(
    builder: IndexBuilder, index_root: Path
) -> None:
    only = builder.build("global", STARTER_RECORDS)
    _truncate(build_dir(index_root, "global", only.build_id) / "passages.jsonl")

    with pytest.raises(IndexCorruptError, match="triagebot index rebuild --full"):
        load_current_build(index_root, "global", model="fake-trigrams-64", dimension=64)


def test_a_running_retriever_keeps_its_build_when_the_new_one_is_damaged(
    builder: IndexBuilder, index_root: Path, retriever: Retriever
) -> None:
    good = builder.build("global", STARTER_RECORDS)
    assert retriever.search("protein", ["global"]).build_ids == {"global": good.build_id}
    builder.keep_builds = 1
    damaged = builder.build("global", [*STARTER_RECORDS, NEW_ANSWER])
    _truncate(build_dir(index_root, "global", damaged.build_id) / DENSE_FILE)

    result = retriever.search("protein", ["global"])

    assert result.build_ids == {"global": good.build_id}


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
