"""The FAISS index is exact for small corpora and HNSW, still accurate, for large ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.retrieval import IndexBuilder, MemoryEmbeddingCache, Retriever
from bot.retrieval.dense import FLAT, HNSW, HNSW_THRESHOLD, DenseIndex, choose_index_type
from tests.retrieval.conftest import OPEN_CONFIG, PROTEIN, STARTER_RECORDS
from tests.support.fake_encoder import FakeEncoder


def clustered_unit_vectors(n: int, dimension: int, seed: int) -> np.ndarray:
    """Vectors around topic centres on a low-dimensional manifold, like sentence embeddings."""
    rng = np.random.default_rng(seed)
    latent = 24
    projection = rng.standard_normal((latent, dimension))
    centres = rng.standard_normal((n // 40, latent))
    points = centres[rng.integers(0, len(centres), n)] + 0.5 * rng.standard_normal((n, latent))
    vectors = points @ projection + 0.3 * rng.standard_normal((n, dimension))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_small_corpora_get_exact_search_and_large_ones_hnsw() -> None:
    assert choose_index_type(0) == FLAT
    assert choose_index_type(HNSW_THRESHOLD - 1) == FLAT
    assert choose_index_type(HNSW_THRESHOLD) == HNSW
    assert choose_index_type(10, hnsw_threshold=10) == HNSW


def test_hnsw_finds_at_least_95_percent_of_the_exact_top_10() -> None:
    vectors = clustered_unit_vectors(6_000, 96, seed=1)
    queries = clustered_unit_vectors(6_000, 96, seed=1)[::60] + 0.05
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    exact = DenseIndex.build(vectors, index_type=FLAT)
    approximate = DenseIndex.build(vectors, index_type=HNSW)

    recalls = []
    for query in queries:
        _, truth = exact.search(query, 10)
        _, found = approximate.search(query, 10)
        recalls.append(len(set(truth.tolist()) & set(found.tolist())) / 10)

    assert approximate.index_type == HNSW
    assert np.mean(recalls) >= 0.95


def test_hnsw_scores_are_the_same_cosines_as_exact_search() -> None:
    vectors = clustered_unit_vectors(2_000, 32, seed=2)
    approximate = DenseIndex.build(vectors, index_type=HNSW)

    scores, ids = approximate.search(vectors[7], 5)

    np.testing.assert_allclose(scores, vectors[ids] @ vectors[7], rtol=1e-5)
    np.testing.assert_allclose(approximate.similarities(vectors[7], ids), scores, rtol=1e-5)


def test_a_build_past_the_threshold_is_an_hnsw_build_that_searches_alike(tmp_path: Path) -> None:
    encoder = FakeEncoder()
    flat_root, hnsw_root = tmp_path / "flat", tmp_path / "hnsw"
    IndexBuilder(flat_root, encoder, MemoryEmbeddingCache()).build("global", STARTER_RECORDS)
    manifest = IndexBuilder(hnsw_root, encoder, MemoryEmbeddingCache(), hnsw_threshold=5).build(
        "global", STARTER_RECORDS
    )

    flat = Retriever(flat_root, encoder, config=OPEN_CONFIG).search("protein per day", ["global"])
    hnsw = Retriever(hnsw_root, encoder, config=OPEN_CONFIG).search("protein per day", ["global"])

    assert manifest.index_type == HNSW
    assert hnsw.answers[0].id == PROTEIN.id
    assert [(a.id, a.score) for a in hnsw.answers] == [(a.id, a.score) for a in flat.answers]
