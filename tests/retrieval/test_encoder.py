"""The embedding model is loaded from local files only; anything else is a clear error."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from bot.errors import ConfigurationError
from bot.retrieval import load_encoder


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the encoder tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.usefixtures("no_network")
def test_a_model_name_that_is_not_cached_fails_with_how_to_fix_it() -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_encoder("example-org/not-a-cached-model")

    message = str(raised.value)
    assert message.startswith(
        "embedding model 'example-org/not-a-cached-model' is not available offline"
    )
    assert "TRIAGEBOT_EMBEDDING_MODEL" in message
    assert "\n" not in message
    assert os.environ["HF_HUB_OFFLINE"] == "1"


@pytest.mark.usefixtures("no_network")
def test_a_folder_that_is_not_a_model_fails_with_how_to_fix_it(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model")

    with pytest.raises(ConfigurationError, match=r"could not be loaded.*TRIAGEBOT_EMBEDDING_MODEL"):
        load_encoder(str(tmp_path))


@pytest.mark.model
@pytest.mark.usefixtures("no_network")
def test_the_packaged_model_loads_offline_and_gives_unit_vectors() -> None:
    import numpy as np

    encoder = load_encoder(None)
    vectors = encoder.encode(["tight hamstrings", "hamstring stretch", "bike chain"])

    assert (encoder.name, encoder.dimension) == ("sentence-transformers/all-MiniLM-L6-v2", 384)
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert load_encoder("sentence-transformers/all-MiniLM-L6-v2").name == encoder.name
