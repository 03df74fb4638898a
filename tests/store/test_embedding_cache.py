"""The embedding cache gives back exactly what was put in, per model."""

from __future__ import annotations

import numpy as np

from bot.store.database import Database
from bot.store.embedding_cache import SqlEmbeddingCache


def test_vectors_come_back_as_stored_and_only_for_their_model(database: Database) -> None:
    cache = SqlEmbeddingCache(database)
    rng = np.random.default_rng(7)
    vectors = {f"hash-{n}": rng.standard_normal(384).astype(np.float32) for n in range(3)}

    cache.put_many("model-a", vectors)

    found = cache.get_many("model-a", ["hash-0", "hash-2", "hash-missing"])
    assert set(found) == {"hash-0", "hash-2"}
    np.testing.assert_array_equal(found["hash-2"], vectors["hash-2"])
    assert cache.get_many("model-b", ["hash-0"]) == {}


def test_putting_a_known_hash_again_is_harmless(database: Database) -> None:
    cache = SqlEmbeddingCache(database)
    vector = np.ones(8, dtype=np.float32)
    cache.put_many("m", {"h": vector})
    cache.put_many("m", {"h": vector, "h2": vector * 2})

    assert set(cache.get_many("m", ["h", "h2"])) == {"h", "h2"}


def test_many_hashes_are_looked_up_in_chunks(database: Database) -> None:
    cache = SqlEmbeddingCache(database)
    vectors = {f"h{n}": np.full(4, n, dtype=np.float32) for n in range(1_200)}
    cache.put_many("m", vectors)

    found = cache.get_many("m", list(vectors))

    assert len(found) == 1_200
    assert found["h1199"][0] == 1199
