"""A build that dies half-way leaves the previous build current and serving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.retrieval import IndexBuilder, Retriever, current_build, list_builds
from bot.retrieval import builder as builder_module
from bot.retrieval.manifest import builds_dir
from tests.retrieval.conftest import OPEN_CONFIG, PROTEIN, STARTER_RECORDS, answer
from tests.support.fake_encoder import FakeEncoder

REPOSITORY = Path(__file__).resolve().parents[2]
NEW_ANSWER = answer("kettlebell-swing", "Kettlebell swing basics", "Hinge, do not squat.")


def test_an_error_after_half_the_files_leaves_the_previous_build_serving(
    builder: IndexBuilder, index_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = builder.build("global", STARTER_RECORDS)

    def write_half(folder: Path, *args: object) -> None:
        (folder / "answers.jsonl").write_text('{"id": "half"')
        raise OSError("No space left on device")

    monkeypatch.setattr(builder_module, "_write_files", write_half)
    with pytest.raises(OSError, match="No space"):
        builder.build("global", [*STARTER_RECORDS, NEW_ANSWER])

    assert current_build(index_root, "global") == good
    result = Retriever(index_root, FakeEncoder(), config=OPEN_CONFIG).search(
        "how much protein", ["global"]
    )
    assert result.build_ids == {"global": good.build_id}
    assert result.answers[0].id == PROTEIN.id


def test_the_next_build_removes_what_a_failed_build_left_behind(
    builder: IndexBuilder, index_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder.build("global", STARTER_RECORDS)
    with monkeypatch.context() as patch:
        patch.setattr(builder_module, "_write_files", _raise_disk_full)
        with pytest.raises(OSError):
            builder.build("global", STARTER_RECORDS)
    assert len(list(builds_dir(index_root, "global").iterdir())) == 2

    latest = builder.build("global", STARTER_RECORDS)

    folders = sorted(p.name for p in builds_dir(index_root, "global").iterdir())
    assert folders == list_builds(index_root, "global")[::-1]
    assert latest.build_id in folders


def test_killing_a_build_process_mid_write_leaves_the_previous_build_serving(
    builder: IndexBuilder, index_root: Path
) -> None:
    good = builder.build("global", STARTER_RECORDS)
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from bot.retrieval import IndexBuilder, MemoryEmbeddingCache
        from bot.retrieval import builder as builder_module
        from tests.retrieval.test_crash_safety import NEW_ANSWER, STARTER_RECORDS
        from tests.support.fake_encoder import FakeEncoder

        def write_half_then_hang(folder, *args):
            (folder / "answers.jsonl").write_text('{{"id": "half"')
            print("half-written", flush=True)
            time.sleep(60)

        builder_module._write_files = write_half_then_hang
        IndexBuilder(Path({str(index_root)!r}), FakeEncoder(), MemoryEmbeddingCache()).build(
            "global", [*STARTER_RECORDS, NEW_ANSWER]
        )
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "half-written"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)

    assert current_build(index_root, "global") == good
    result = Retriever(index_root, FakeEncoder(), config=OPEN_CONFIG).search(
        "kettlebell swing", ["global"]
    )
    assert result.build_ids == {"global": good.build_id}
    assert "kettlebell-swing" not in [a.id for a in result.answers]


def _raise_disk_full(*args: object) -> None:
    raise OSError("No space left on device")
