"""The embedding cache: vectors keyed by model name and the hash of the embedded text.

A rebuild looks every passage up here first and embeds only what is missing, so an
edit to one paragraph costs one embedding. The store provides the SQL-backed cache;
`MemoryEmbeddingCache` serves tests and one-off builds.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class EmbeddingCache(Protocol):
    """Vectors by (model, content hash); unknown hashes are simply absent from results."""

    def get_many(self, model: str, content_hashes: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None: ...


class MemoryEmbeddingCache:
    """An in-process cache, thread-safe; forgets everything when the process ends."""

    def __init__(self) -> None:
        self._vectors: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def get_many(self, model: str, content_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        with self._lock:
            return {
                h: self._vectors[(model, h)].copy()
                for h in content_hashes
                if (model, h) in self._vectors
            }

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        with self._lock:
            for content_hash, vector in vectors.items():
                self._vectors[(model, content_hash)] = np.array(vector, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._vectors)


class NullEmbeddingCache:
    """Remembers nothing: every build embeds everything."""

    def get_many(self, model: str, content_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return {}

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        return None
