"""A small deterministic encoder for plumbing tests: hashed character n-grams, normalised.

Texts that share words get similar vectors, which is enough to test indexing, caching,
fusion and reloads without loading a real model. It counts what it was asked to embed.
"""

from __future__ import annotations

import functools
import re
import threading
import zlib
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+")


class FakeEncoder:
    """Bag of hashed character trigrams of words (with word boundaries), L2-normalised."""

    def __init__(self, dimension: int = 64, name: str | None = None) -> None:
        self.dimension = dimension
        self.name = name or f"fake-trigrams-{dimension}"
        self.calls = 0
        self.encoded_texts: list[str] = []
        self._lock = threading.Lock()

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, show_progress: bool = False
    ) -> np.ndarray:
        with self._lock:
            self.calls += 1
            self.encoded_texts.extend(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([_vector(text, self.dimension) for text in texts])

    def reset_counts(self) -> None:
        with self._lock:
            self.calls = 0
            self.encoded_texts.clear()


@functools.lru_cache(maxsize=65536)
def _vector(text: str, dimension: int) -> np.ndarray:
    """One text's vector; cached because every test that builds an index embeds the same
    starter corpus (the vector is read-only, so sharing it is safe)."""
    vector = np.zeros(dimension, dtype=np.float32)
    for word in _WORD.findall(text.lower()):
        padded = f"#{word}#"
        for i in range(max(1, len(padded) - 2)):
            gram = padded[i : i + 3].encode("utf-8")
            vector[zlib.crc32(gram) % dimension] += 1.0
    norm = float(np.linalg.norm(vector))
    normalised = vector / norm if norm else vector
    normalised.setflags(write=False)
    return normalised
