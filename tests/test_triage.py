"""The triage service: the red-flag report travels with the answers, and the safety net
covers what the cited answers are about as well as the question."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.formats import read_corpus
from bot.paths import starter_answers_dir
from bot.redflags import Level, RedFlagChecker
from bot.retrieval import IndexBuilder, MemoryEmbeddingCache, RetrievalConfig, Retriever
from bot.triage import TriageService
from tests.retrieval.conftest import STARTER_RECORDS
from tests.support.fake_encoder import FakeEncoder


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> TriageService:
    root: Path = tmp_path_factory.mktemp("index")
    encoder = FakeEncoder()
    IndexBuilder(root, encoder, MemoryEmbeddingCache()).build("global", list(STARTER_RECORDS))
    retriever = Retriever(root, encoder, config=RetrievalConfig(min_score=0.3))
    return TriageService(RedFlagChecker.default(), retriever)


def test_ask_json_carries_confirm_and_safety_net_under_red_flags(service: TriageService) -> None:
    reply = service.answer("my lower back is tight after deadlifts, what warm-up?").to_dict()

    assert set(reply["red_flags"]) == {"level", "flags", "message", "confirm", "safety_net"}
    assert "lower-back" in [topic["topic"] for topic in reply["red_flags"]["safety_net"]]


def test_the_cited_answers_tags_add_their_topics(tmp_path: Path) -> None:
    neck_answer = next(
        record for record in read_corpus(starter_answers_dir()) if "neck" in record.tags
    )
    encoder = FakeEncoder()
    IndexBuilder(tmp_path, encoder, MemoryEmbeddingCache()).build("global", [neck_answer])
    service = TriageService(RedFlagChecker.default(), Retriever(tmp_path, encoder))

    result = service.answer("what mobility drills for a desk job?", use_threshold=False)

    assert [answer.id for answer in result.answers] == [neck_answer.id]
    assert RedFlagChecker.default().check("what mobility drills for a desk job?").safety_net == ()
    assert "neck" in [topic.topic for topic in result.red_flags.safety_net]


def test_an_emergency_replaces_the_advice(service: TriageService) -> None:
    result = service.answer("my back went and now I can't feel it when I wipe and can't pee")

    assert result.red_flags.level is Level.EMERGENCY
    assert result.advice_withheld and result.answers == []
