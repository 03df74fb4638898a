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


# The onnx-int8 backend: an int8-quantized ONNX export, made once in <data_dir>/models/.

ONNX_EXTRA_MISSING = (
    "the 'onnx' extra is not installed (pip install -e '.[onnx]'): "
    "the onnx-int8 encoder backend cannot be tested"
)


@pytest.fixture(scope="module")
def onnx_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("onnxruntime", reason=ONNX_EXTRA_MISSING)
    pytest.importorskip("onnx", reason=ONNX_EXTRA_MISSING)
    return tmp_path_factory.mktemp("onnx-data")


@pytest.mark.model
@pytest.mark.usefixtures("no_network")
def test_the_onnx_export_is_made_once_and_reused(
    onnx_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.retrieval import encoder as encoder_module

    first = load_encoder(None, backend="onnx-int8", data_dir=onnx_data_dir)
    export_dir = encoder_module.onnx_export_folder(
        onnx_data_dir / "models", first.name.removesuffix("+onnx-int8")
    )
    exported = sorted(p.name for p in export_dir.iterdir())

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was exported again")

    monkeypatch.setattr(encoder_module, "_export_onnx_int8", refuse)
    second = load_encoder(None, backend="onnx-int8", data_dir=onnx_data_dir)

    assert first.name == second.name == "sentence-transformers/all-MiniLM-L6-v2+onnx-int8"
    assert export_dir.name == "sentence-transformers-all-minilm-l6-v2-onnx-int8"
    assert any(name.endswith(".onnx") for name in exported)
    assert sorted(p.name for p in export_dir.iterdir()) == exported
    assert [p.name for p in export_dir.parent.iterdir()] == [export_dir.name]  # no temp left


@pytest.mark.model
@pytest.mark.usefixtures("no_network")
def test_the_onnx_encoder_gives_nearly_the_torch_models_vectors(onnx_data_dir: Path) -> None:
    import numpy as np

    sentences = [
        "tight hamstrings",
        "how long should I rest a sprained ankle before running again?",
        "bike chain",
        "my lower back hurts after deadlifts " * 20,  # longer than the model's 256 tokens
    ]
    torch_encoder = load_encoder(None)
    onnx_encoder = load_encoder(None, backend="onnx-int8", data_dir=onnx_data_dir)

    expected = torch_encoder.encode(sentences)
    got = onnx_encoder.encode(sentences, batch_size=3)
    one_by_one = np.vstack([onnx_encoder.encode([s]) for s in sentences])

    assert onnx_encoder.dimension == torch_encoder.dimension == 384
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, rtol=1e-5)
    assert min((got * expected).sum(axis=1)) > 0.95
    # Dynamic quantization scales activations per batch, so batching moves vectors a little.
    assert min((got * one_by_one).sum(axis=1)) > 0.98
    assert onnx_encoder.encode([]).shape == (0, 384)


def test_the_onnx_backend_without_its_extra_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # makes the import fail

    with pytest.raises(ConfigurationError) as raised:
        load_encoder(None, backend="onnx-int8", data_dir=tmp_path)

    message = str(raised.value)
    assert message.startswith("TRIAGEBOT_ENCODER_BACKEND=onnx-int8 needs the 'onnx' extra")
    assert "\n" not in message
    assert not (tmp_path / "models").exists()


def test_an_unknown_encoder_backend_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"unknown encoder backend 'tpu'.*onnx-int8"):
        load_encoder(None, backend="tpu")
