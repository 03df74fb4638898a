"""Dense search: passage vectors in FAISS, exact for small corpora, HNSW for large ones
and an inverted file (IVF) for the largest.

Vectors are unit length, so inner product is cosine similarity: scores are absolute
(-1..1) and comparable across scopes and builds of the same model.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

FLAT = "flat"
HNSW = "hnsw"
IVF = "ivf"

# Measured by `make bench` (flat_vs_hnsw) on this project's 2-core machine with
# 384-dimensional clustered vectors and a search depth of 100: exact search costs about
# 1 ms at 10,000 vectors, 1.9 ms at 20,000, 5 ms at 50,000 and 11 ms at 100,000 (and
# several times that with both cores busy), against ~12 ms to encode the question. HNSW
# (M=32, efConstruction=80, efSearch=256) stays under 1 ms with recall@10 of 1.0 and
# builds in 1.7 s at 20,000. Past 20,000 passages exact search would eat the ask path's
# budget (at most 1.3x the encoding time), so the builder switches there.
HNSW_THRESHOLD = 20_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 256

# Measured on the same machine (both cores shared with other work, load 3-6) with
# 1,000,000 clustered 384-d vectors, 100 held-out queries at depth 100, one search thread:
# HNSW as above had not finished building after 9.5 minutes (20 s at 100,000; the graph
# outgrows the caches), so from 200,000 vectors on the builder uses an inverted file of
# exact vectors instead. With 4,096 lists trained on 160,000 vectors it builds in 4.5
# minutes (file 1.48 GB, as raw vectors; HNSW adds ~0.25 GB of graph) and searching 48 /
# 64 / 96 / 128 lists costs 2.3 / 2.9 / 4.2 / 5.3 ms p50 for recall@10 of 0.945 / 0.962 /
# 0.984 / 0.992. 2,048 lists build in 2.6 minutes but need 64 probes (5.0 ms) for 0.975.
# Chosen: ~250 vectors a list and 80 probes, measured by `make bench` (scale) at 1,000,000:
# recall@10 0.969, p50 2.8 ms, built in 5.2 minutes, 1.49 GB on disk and 2.1 GB more
# process memory (list growth slack). The lists grow with the corpus, so the work per
# search stays the same (~20,000 vectors).
IVF_THRESHOLD = 200_000
IVF_VECTORS_PER_LIST = 250
IVF_NPROBE = 80
IVF_TRAIN_PER_LIST = 40
"""k-means sees 40 vectors per list (FAISS warns below 39), sampled evenly and reproducibly."""
IVF_TRAIN_ITERATIONS = 10
IVF_TRAIN_SEED = 1234


def choose_index_type(
    n_vectors: int, hnsw_threshold: int = HNSW_THRESHOLD, ivf_threshold: int = IVF_THRESHOLD
) -> str:
    """Exact search below `hnsw_threshold` vectors, HNSW from there on, IVF from
    `ivf_threshold` on (where HNSW takes too long to build)."""
    if n_vectors < hnsw_threshold:
        return FLAT
    return IVF if n_vectors >= ivf_threshold else HNSW


def ivf_lists(n_vectors: int) -> int:
    """How many inverted lists an IVF index over `n_vectors` vectors gets."""
    return max(1, n_vectors // IVF_VECTORS_PER_LIST)


class DenseIndex:
    """A FAISS inner-product index over unit-length passage vectors."""

    def __init__(self, index: faiss.Index, index_type: str) -> None:
        self._index = index
        self.index_type = index_type
        if index_type == HNSW:
            faiss.ParameterSpace().set_index_parameter(index, "efSearch", HNSW_EF_SEARCH)
        elif index_type == IVF:
            ivf = faiss.extract_index_ivf(index)
            ivf.nprobe = min(IVF_NPROBE, ivf.nlist)
            if ivf.direct_map.type == faiss.DirectMap.NoMap:  # type: ignore[attr-defined]
                ivf.make_direct_map()  # `similarities` reads stored vectors back by id

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        *,
        index_type: str | None = None,
        hnsw_threshold: int = HNSW_THRESHOLD,
    ) -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"expected a 2-D array of vectors, got shape {vectors.shape}")
        kind = index_type or choose_index_type(len(vectors), hnsw_threshold)
        dimension = vectors.shape[1]
        index: faiss.Index
        if kind == HNSW:
            hnsw = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index = hnsw
        elif kind == FLAT:
            index = faiss.IndexFlatIP(dimension)
        elif kind == IVF:
            index = _trained_ivf(vectors)
        else:
            raise ValueError(f"unknown index type {kind!r}")
        if len(vectors):
            index.add(vectors)
        return cls(index, kind)

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path, index_type: str) -> DenseIndex:
        return cls(faiss.read_index(str(path)), index_type)

    def search(self, query: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """(cosine scores, passage numbers) of the `depth` nearest passages, best first."""
        depth = min(depth, self.size)
        if depth <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        if self.index_type == HNSW and depth > HNSW_EF_SEARCH:
            # efSearch bounds what HNSW can return; keep it above the depth asked for.
            params = faiss.SearchParametersHNSW(efSearch=depth)  # type: ignore[attr-defined]
            scores, ids = self._index.search(_row(query), depth, params=params)
        else:
            scores, ids = self._index.search(_row(query), depth)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep].astype(np.int64)

    def similarities(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Cosine of the query with the given passages (stored vectors are read back)."""
        if len(ids) == 0:
            return np.zeros(0, dtype=np.float32)
        vectors = self._index.reconstruct_batch(np.asarray(ids, dtype=np.int64))
        return (vectors @ _row(query)[0]).astype(np.float32)


def _trained_ivf(vectors: np.ndarray) -> faiss.IndexIVFFlat:
    """An empty IVF-flat index whose list centres are k-means over a sample of `vectors`."""
    n_vectors, dimension = vectors.shape
    lists = ivf_lists(n_vectors)
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
    sample_size = min(n_vectors, lists * IVF_TRAIN_PER_LIST)
    index.cp.max_points_per_centroid = -(-sample_size // lists)
    index.cp.niter = IVF_TRAIN_ITERATIONS
    index.cp.seed = IVF_TRAIN_SEED
    rng = np.random.default_rng(IVF_TRAIN_SEED)
    sample = np.sort(rng.choice(n_vectors, sample_size, replace=False))
    index.train(vectors[sample])
    return index


def _row(query: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(query, dtype=np.float32).reshape(1, -1))
