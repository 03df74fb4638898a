"""The embedding model is loaded from local files only; anything else is a clear error."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import paths
from bot.cli import cli
from bot.errors import ConfigurationError
from bot.retrieval import load_encoder, onnx_encoder
from tests.support.fresh_process import cli_calls, run_fresh


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
def test_the_packaged_model_loads_offline_with_torch_and_gives_unit_vectors() -> None:
    import numpy as np

    encoder = load_encoder(None, backend="torch")
    vectors = encoder.encode(["tight hamstrings", "hamstring stretch", "bike chain"])

    assert (encoder.name, encoder.dimension) == ("sentence-transformers/all-MiniLM-L6-v2", 384)
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert load_encoder("sentence-transformers/all-MiniLM-L6-v2", backend="torch").name == (
        encoder.name
    )


# The onnx-int8 backend (the default): an int8 ONNX export made once for the environment
# (`triagebot model export`, run by `make install`), or else once in <data_dir>/models/.


@pytest.fixture(scope="module")
def onnx_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose models/ holds the packaged model's export, made there on first
    use because the environment's models folder (an empty one here) had none."""
    data_dir = tmp_path_factory.mktemp("onnx-data")
    nothing_installed = tmp_path_factory.mktemp("no-installed-models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paths, "installed_models_dir", lambda: nothing_installed)
        load_encoder(None, backend="onnx-int8", data_dir=data_dir)
    return data_dir


def refuse_to_export(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was exported again")

    monkeypatch.setattr(onnx_encoder, "_export", refuse)


@pytest.mark.model
@pytest.mark.usefixtures("no_network")
def test_without_the_environments_export_the_model_is_exported_once_into_the_data_folder(
    onnx_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "installed_models_dir", lambda: tmp_path / "nothing-here")
    export_dir = onnx_encoder.onnx_export_folder(
        onnx_data_dir / "models", "sentence-transformers/all-MiniLM-L6-v2"
    )
    exported = sorted(p.name for p in export_dir.iterdir())
    refuse_to_export(monkeypatch)

    again = load_encoder(None, backend="onnx-int8", data_dir=onnx_data_dir)

    assert again.name == "sentence-transformers/all-MiniLM-L6-v2+onnx-int8"
    assert export_dir.name == "sentence-transformers-all-minilm-l6-v2-onnx-int8"
    assert any(name.endswith(".onnx") for name in exported)
    assert "tokenizer.json" in exported and "triagebot-onnx.json" in exported
    assert sorted(p.name for p in export_dir.iterdir()) == exported
    assert [p.name for p in export_dir.parent.iterdir()] == [export_dir.name]  # no temp left


@pytest.mark.model
@pytest.mark.usefixtures("no_network")
def test_the_environments_export_is_used_and_nothing_is_written_to_the_data_folder(
    onnx_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "installed_models_dir", lambda: onnx_data_dir / "models")
    refuse_to_export(monkeypatch)

    encoder = load_encoder(None, data_dir=tmp_path / "data")  # the default backend

    assert encoder.name == "sentence-transformers/all-MiniLM-L6-v2+onnx-int8"
    assert encoder.encode(["tight hamstrings"]).shape == (1, 384)
    assert not (tmp_path / "data").exists()


@pytest.mark.model
@pytest.mark.usefixtures("no_network")
def test_model_export_keeps_a_complete_export_and_says_where_it_is(
    onnx_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_to_export(monkeypatch)
    models = onnx_data_dir / "models"

    result = CliRunner().invoke(cli, ["model", "export", "--into", str(models)])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "sentence-transformers/all-MiniLM-L6-v2: int8 ONNX export in "
        f"{models / 'sentence-transformers-all-minilm-l6-v2-onnx-int8'}"
    )


@pytest.mark.model
def test_asking_with_the_default_backend_imports_no_torch(onnx_data_dir: Path) -> None:
    """A new `triagebot ask` process runs ONNX Runtime and tokenizers only (the data folder
    holds the export; the index is built in the same process that asks)."""
    corpus = onnx_data_dir / "corpus.jsonl"
    corpus.write_text(
        '{"id": "hamstrings", "title": "Tight hamstrings", "author": "mod", '
        '"body": "Hinge with a flat back and stretch gently after training."}\n'
    )
    environment = os.environ | {"TRIAGEBOT_DATA_DIR": str(onnx_data_dir)}
    environment.pop("TRIAGEBOT_ENCODER_BACKEND", None)
    environment.pop("TRIAGEBOT_DATABASE_URL", None)
    environment.pop("TRIAGEBOT_INDEX_DIR", None)

    printed, loaded = run_fresh(
        cli_calls(
            ["corpus", "import", str(corpus)],
            ["index", "rebuild"],
            ["ask", "tight hamstrings when I deadlift", "--json"],
        ),
        environment,
    )

    assert '"hamstrings"' in printed
    assert [m for m in loaded if m in ("torch", "sentence_transformers", "transformers")] == []


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
    torch_encoder = load_encoder(None, backend="torch")
    onnx = load_encoder(None, backend="onnx-int8", data_dir=onnx_data_dir)

    expected = torch_encoder.encode(sentences)
    got = onnx.encode(sentences, batch_size=3)
    one_by_one = np.vstack([onnx.encode([s]) for s in sentences])

    assert onnx.dimension == torch_encoder.dimension == 384
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, rtol=1e-5)
    assert min((got * expected).sum(axis=1)) > 0.98
    # Dynamic quantization scales activations per batch, so batching moves vectors a little.
    assert min((got * one_by_one).sum(axis=1)) > 0.98
    assert onnx.encode([]).shape == (0, 384)


def test_the_onnx_backend_without_onnxruntime_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # makes the import fail

    with pytest.raises(ConfigurationError) as raised:
        load_encoder(None, backend="onnx-int8", data_dir=tmp_path)

    message = str(raised.value)
    assert message.startswith("TRIAGEBOT_ENCODER_BACKEND=onnx-int8 needs onnxruntime")
    assert "\n" not in message
    assert not (tmp_path / "models").exists()


def test_an_unknown_encoder_backend_is_refused() -> None:
    with pytest.raises(ConfigurationError, match=r"unknown encoder backend 'tpu'.*onnx-int8"):
        load_encoder(None, backend="tpu")
