"""The packaged MiniLM and the starter corpus embedded with it, shared by the tests whose
behaviour depends on the real model (embedding the corpus takes about half a minute on
two cores, so a run does it once)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.corpus.formats import read_corpus
from bot.paths import starter_answers_dir
from bot.retrieval import Encoder, IndexBuilder, MemoryEmbeddingCache


class SharedEmbeddings(MemoryEmbeddingCache):
    """A memory cache that can hand all it holds to another cache (a store's)."""

    def by_model(self) -> dict[str, Mapping[str, np.ndarray]]:
        grouped: dict[str, dict[str, np.ndarray]] = {}
        with self._lock:
            for (model, content_hash), vector in self._vectors.items():
                grouped.setdefault(model, {})[content_hash] = vector.copy()
        return grouped


@dataclass(frozen=True)
class StarterIndex:
    """A built index of the starter corpus (scope "global") and the vectors it holds."""

    root: Path
    encoder: Encoder
    embeddings: SharedEmbeddings


def build_starter_index(root: Path, encoder: Encoder) -> StarterIndex:
    embeddings = SharedEmbeddings()
    IndexBuilder(root, encoder, embeddings).build("global", read_corpus(starter_answers_dir()))
    return StarterIndex(root, encoder, embeddings)
