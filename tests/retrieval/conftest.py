"""Small answer sets and an index folder for the retrieval plumbing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.records import AnswerRecord
from bot.retrieval import IndexBuilder, MemoryEmbeddingCache, RetrievalConfig, Retriever
from tests.support.fake_encoder import FakeEncoder

# The fake encoder's scores are not the real model's: tests that are not about the
# threshold show every answer found.
OPEN_CONFIG = RetrievalConfig(min_score=0.0, related_margin=1.0, reload_interval=0.0)


def answer(answer_id: str, title: str, body: str, **fields: object) -> AnswerRecord:
    return AnswerRecord(id=answer_id, title=title, body=body, author="coach", **fields)  # type: ignore[arg-type]


SQUAT_WARMUP = answer(
    "squat-warmup",
    "Warm-up for a tight lower back before squats",
    "Start with cat-camel and bird dogs for two minutes.\n\n"
    "Then do goblet squats: two sets of ten, holding the bottom position for a breath.",
    question="My lower back is tight when I squat, what warm-up should I do?",
    tags=("squat", "warm-up"),
    source_url="https://forum.example/t/101",
)
PROTEIN = answer(
    "protein-intake",
    "How much protein per day",
    "Aim for about 1.6 g of protein per kg of body weight per day. Spread it over "
    "three or four meals.",
    tags=("nutrition",),
)
DEADLIFT = answer(
    "deadlift-spine",
    "Deadlift with a neutral spine",
    "Brace before you pull and keep the bar close to your shins.\n\n"
    "- Push the floor away\n- Lock out with the glutes, not the lower back",
    tags=("deadlift",),
)
SHIN_SPLINTS = answer(
    "shin-splints",
    "Shin splints when starting to run",
    "Cut the weekly distance, run on softer ground and build up by ten percent a week. "
    "Calf raises help.",
    tags=("running",),
)
STARTER_RECORDS = (SQUAT_WARMUP, PROTEIN, DEADLIFT, SHIN_SPLINTS)


@pytest.fixture
def encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def cache() -> MemoryEmbeddingCache:
    return MemoryEmbeddingCache()


@pytest.fixture
def index_root(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def builder(index_root: Path, encoder: FakeEncoder, cache: MemoryEmbeddingCache) -> IndexBuilder:
    return IndexBuilder(index_root, encoder, cache, keep_builds=3)


@pytest.fixture
def retriever(index_root: Path, encoder: FakeEncoder) -> Retriever:
    return Retriever(index_root, encoder, config=OPEN_CONFIG)
