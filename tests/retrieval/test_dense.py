"""The FAISS index is exact for small corpora and HNSW or IVF, still accurate, for large ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.retrieval import IndexBuilder, MemoryEmbeddingCache, Retriever
from bot.retrieval.dense import (
    FLAT,
    HNSW,
    HNSW_THRESHOLD,
    IVF,
    IVF_NPROBE,
    IVF_THRESHOLD,
    DenseIndex,
    choose_index_type,
    ivf_lists,
)
from tests.retrieval.conftest import OPEN_CONFIG, PROTEIN, STARTER_RECORDS
from tests.support.fake_encoder import FakeEncoder


def clustered_unit_vectors(n: int, dimension: int, seed: int, chunk: int = 200_000) -> np.ndarray:
    """Vectors around topic centres on a low-dimensional manifold, like sentence embeddings.

    Drawn `chunk` rows at a time so a million of them need not hold float64 copies of the
    whole array (up to `chunk` rows the draws, and so the vectors, are the same as in one go).
    """
    rng = np.random.default_rng(seed)
    latent = 24
    projection = rng.standard_normal((latent, dimension))
    centres = rng.standard_normal((n // 40, latent))
    out = np.empty((n, dimension), dtype=np.float32)
    for start in range(0, n, chunk):
        rows = min(chunk, n - start)
        points = centres[rng.integers(0, len(centres), rows)]
        points = points + 0.5 * rng.standard_normal((rows, latent))
        vectors = points @ projection + 0.3 * rng.standard_normal((rows, dimension))
        out[start : start + rows] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return out


def test_small_corpora_get_exact_search_and_large_ones_hnsw() -> None:
    assert choose_index_type(0) == FLAT
    assert choose_index_type(HNSW_THRESHOLD - 1) == FLAT
    assert choose_index_type(HNSW_THRESHOLD) == HNSW
    assert choose_index_type(10, hnsw_threshold=10) == HNSW
    assert choose_index_type(IVF_THRESHOLD - 1) == HNSW
    assert choose_index_type(IVF_THRESHOLD) == IVF
    assert choose_index_type(10, hnsw_threshold=5, ivf_threshold=10) == IVF


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


def test_ivf_finds_at_least_95_percent_of_the_exact_top_10(tmp_path: Path) -> None:
    drawn = clustered_unit_vectors(100_100, 96, seed=3)
    # The last 100 come from the same topics but are not indexed, like new questions.
    vectors, queries = drawn[:100_000], drawn[100_000:]
    exact = DenseIndex.build(vectors, index_type=FLAT)
    built = DenseIndex.build(vectors, index_type=IVF)
    built.save(tmp_path / "dense.faiss")
    approximate = DenseIndex.load(tmp_path / "dense.faiss", IVF)

    recalls = []
    for query in queries:
        _, truth = exact.search(query, 10)
        scores, found = approximate.search(query, 10)
        recalls.append(len(set(truth.tolist()) & set(found.tolist())) / 10)
        np.testing.assert_allclose(scores, vectors[found] @ query, rtol=1e-5)
        np.testing.assert_allclose(approximate.similarities(query, found), scores, rtol=1e-5)

    # Only a fraction of the lists is searched, so this is not exact search in disguise.
    assert ivf_lists(len(vectors)) >= 3 * IVF_NPROBE
    assert approximate.index_type == IVF and approximate.size == len(vectors)
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
