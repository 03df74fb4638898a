"""The onnx-int8 encoder backend: the embedding model exported once to ONNX with dynamic
int8 quantization, and run with ONNX Runtime and the `tokenizers` library (no torch).

An export lives in its own folder (`onnx_export_folder`): the quantized model, the
tokenizer, and a manifest written last, so that a folder without one is incomplete. `make
install` (`triagebot model export`) makes the packaged model's export once for the whole
virtualenv (`bot.paths.installed_models_dir`); a model without one there is exported on
first use into `<data_dir>/models/`. Exporting needs torch, sentence-transformers and onnx.

The encoder's name carries a `+onnx-int8` suffix so that index manifests and the embedding
cache never mix its vectors with the torch model's.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import platform
import re
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.errors import ConfigurationError
from bot.retrieval.encoder import (
    MAX_TORCH_THREADS,
    first_line,
    load_from_folder,
    normalise_rows,
)

log = logging.getLogger(__name__)

ONNX_NAME_SUFFIX = "+onnx-int8"
# Written last into an export folder: its presence means the export is complete.
ONNX_EXPORT_MANIFEST = "triagebot-onnx.json"
_ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Matrix products left in float32. Each feed-forward block's output projection sees the
# largest activations, which per-batch int8 activation scales clip: quantized, it cost
# community-1 0.008 MRR@10 and 3 points of off-topic declines against torch; kept in float32
# (a 34 MB model instead of 23) no evaluation set loses more than 0.0033 MRR against torch
# (`triagebot eval` with each backend; docs/retrieval.md).
FULL_PRECISION_LAYERS = re.compile(r"/layer\.\d+/output/dense/MatMul$")
# Changes whenever the export changes, so that older exports are made again.
RECIPE = 2


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


def _onnxruntime() -> Any:
    try:
        import onnxruntime
    except ImportError as error:
        raise ConfigurationError(
            "TRIAGEBOT_ENCODER_BACKEND=onnx-int8 needs onnxruntime (pip install onnxruntime), "
            f"or set TRIAGEBOT_ENCODER_BACKEND=torch: {first_line(error)}"
        ) from error
    return onnxruntime


def _quantization() -> Any:
    """ONNX Runtime's quantizer, needed only to export (it imports the onnx package)."""
    try:
        import onnx  # noqa: F401  (needed by the quantizer)
        from onnxruntime import quantization
    except ImportError as error:
        raise ConfigurationError(
            "exporting the encoder to ONNX needs the onnx package (pip install onnx), "
            f"or set TRIAGEBOT_ENCODER_BACKEND=torch: {first_line(error)}"
        ) from error
    return quantization


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


def load_onnx_int8(
    folder: Path, name: str, models_dirs: Sequence[Path], threads: int | None
) -> OnnxEncoder:
    """The int8 export of the model in `folder`, from the first of `models_dirs` that holds
    a complete one; when none does, it is exported once into the last of them."""
    onnxruntime = _onnxruntime()
    for models_dir in models_dirs:
        export_dir = onnx_export_folder(models_dir, name)
        manifest = _read_export_manifest(export_dir, name)
        if manifest is not None:
            break
    else:
        export_dir = export_onnx_int8(folder, name, models_dirs[-1])
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
            f"({first_line(error)}): delete that folder to export it again"
        ) from error
    return OnnxEncoder(session, tokenizer, name + ONNX_NAME_SUFFIX, int(manifest["dimension"]))


def _read_export_manifest(export_dir: Path, name: str) -> dict[str, Any] | None:
    try:
        manifest = json.loads((export_dir / ONNX_EXPORT_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    # Another model's export, one quantized for another kind of CPU or by an older recipe:
    # export again.
    if (
        manifest.get("source") != name
        or manifest.get("file_name") != _quantized_file_name()
        or manifest.get("recipe") != RECIPE
    ):
        return None
    if not (export_dir / manifest["file_name"]).is_file():
        return None
    return manifest


def export_onnx_int8(folder: Path, name: str, models_dir: Path) -> Path:
    """Export the model in `folder` (recorded as `name`) to int8 ONNX under `models_dir`,
    unless a complete export is already there; returns the export's folder.

    The result is moved into place at once, so a reader never sees half an export. Needs
    torch, sentence-transformers and the onnx package; running the export needs neither.
    """
    export_dir = onnx_export_folder(models_dir, name)
    if _read_export_manifest(export_dir, name) is None:
        _export(folder, name, export_dir, _quantization())
    return export_dir


def _export(folder: Path, name: str, export_dir: Path, quantization: Any) -> None:
    import torch

    log.info("exporting %s to ONNX (int8) in %s; done once", name, export_dir)
    source = load_from_folder(folder, name)._model
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
        # sentence-transformers' export_dynamic_quantized_onnx_model applies them, except
        # for the layers in FULL_PRECISION_LAYERS.
        # The quantizer advises pre-processing through the root logger on every run; the
        # advice does not apply to a model exported from torch, so it is not shown.
        weight_type = quantization.QuantType.QInt8 if signed else quantization.QuantType.QUInt8
        with _root_logging_at(logging.ERROR):
            quantization.quantize_dynamic(
                str(fp32),
                str(work / file_name),
                weight_type=weight_type,
                per_channel=True,
                reduce_range=False,
                nodes_to_exclude=_full_precision_nodes(fp32),
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
            "recipe": RECIPE,
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
            f"embedding model '{name}' could not be exported to ONNX ({first_line(error)}): "
            "set TRIAGEBOT_ENCODER_BACKEND=torch"
        ) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def _root_logging_at(level: int) -> Iterator[None]:
    root = logging.getLogger()
    before = root.level
    root.setLevel(level)
    try:
        yield
    finally:
        root.setLevel(before)


def _full_precision_nodes(model_path: Path) -> list[str]:
    import onnx

    graph = onnx.load(str(model_path)).graph
    return [node.name for node in graph.node if FULL_PRECISION_LAYERS.search(node.name)]


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
