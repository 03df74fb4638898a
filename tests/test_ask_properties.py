"""Asking never crashes, whatever is typed: empty, huge, control characters, mixed scripts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.redflags import RedFlagChecker
from bot.retrieval import IndexBuilder, MemoryEmbeddingCache, RetrievalConfig, Retriever
from bot.triage import TriageService
from tests.retrieval.conftest import STARTER_RECORDS
from tests.support.fake_encoder import FakeEncoder

ODD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u200b\u200d",
        "\u202e",
        "@everyone",
        "<@1>",
        "**",
        "é",
        "背中が痛い",
        "ظهري",
        "🔥" * 50,
        "\n" * 20,
        "a" * 5000,
    ]
)
QUESTION = st.one_of(
    st.lists(st.one_of(ODD, st.text(max_size=80)), max_size=12).map("".join),
    st.integers(1_000, 100_000).map(lambda n: ("my back hurts " * n)[:n]),
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> TriageService:
    root: Path = tmp_path_factory.mktemp("index")
    encoder = FakeEncoder()
    IndexBuilder(root, encoder, MemoryEmbeddingCache()).build("global", list(STARTER_RECORDS))
    retriever = Retriever(root, encoder, config=RetrievalConfig(min_score=0.3))
    return TriageService(RedFlagChecker.default(), retriever)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=QUESTION)
def test_any_question_gets_a_well_formed_reply(service: TriageService, question: str) -> None:
    result = service.answer(question)

    reply = result.to_dict()
    assert reply["no_answer"] == (reply["answers"] == [])
    assert reply["red_flags"]["level"] in {"emergency", "urgent", "soon", "none"}
    assert len(reply["answers"]) <= 3
