"""The embedding cache in the store, keyed by model and content hash, so that a rebuild
embeds only new or changed text (the retriever's `EmbeddingCache` protocol)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from sqlalchemy import delete, select

from bot.store.database import Database
from bot.store.schema import EmbeddingCacheEntry

# Large IN (...) lists are slow or refused; look hashes up in chunks.
LOOKUP_CHUNK = 500


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SqlEmbeddingCache:
    """Vectors stored as float32 bytes in the `embedding_cache` table."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def get_many(self, model: str, content_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = sorted(set(content_hashes))
        with self.database.session() as session:
            for chunk in _chunks(unique, LOOKUP_CHUNK):
                rows = session.execute(
                    select(EmbeddingCacheEntry.content_hash, EmbeddingCacheEntry.vector).where(
                        EmbeddingCacheEntry.model == model,
                        EmbeddingCacheEntry.content_hash.in_(chunk),
                    )
                )
                for content_hash, vector in rows:
                    found[content_hash] = np.frombuffer(vector, dtype=np.float32).copy()
        return found

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        if not vectors:
            return
        existing = set(self.get_many(model, list(vectors)))
        with self.database.session() as session:
            session.add_all(
                EmbeddingCacheEntry(
                    model=model,
                    content_hash=content_hash,
                    dimension=int(vector.shape[-1]),
                    vector=np.asarray(vector, dtype=np.float32).tobytes(),
                )
                for content_hash, vector in vectors.items()
                if content_hash not in existing
            )

    def clear(self, model: str | None = None) -> None:
        with self.database.session() as session:
            query = delete(EmbeddingCacheEntry)
            if model is not None:
                query = query.where(EmbeddingCacheEntry.model == model)
            session.execute(query)
