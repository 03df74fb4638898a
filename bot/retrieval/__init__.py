"""Retrieval: curated answers found by meaning (embeddings in FAISS) and by words (BM25).

The pieces, one concern per module:

- ``passages``: answers cut into the title, question and body chunks that are indexed
- ``encoder``: the embedding model, loaded offline; ``cache``: embeddings by content hash
- ``dense`` (FAISS) and ``keyword`` (bm25s) indexes; ``fusion``: scoring answers with both
- ``manifest``, ``builder``, ``loader``: index builds on disk, switched atomically
- ``slang``: gym shorthand in questions written out before searching
- ``retriever``: search across scopes with hot reload; ``excerpt``: the passage to quote
"""

from bot.retrieval.builder import IndexBuilder
from bot.retrieval.cache import EmbeddingCache, MemoryEmbeddingCache, NullEmbeddingCache
from bot.retrieval.config import DENSE, HYBRID, KEYWORD, RetrievalConfig
from bot.retrieval.encoder import Encoder, load_encoder
from bot.retrieval.manifest import (
    BuildManifest,
    IndexCorruptError,
    IndexMismatchError,
    built_scopes,
    current_build,
    list_builds,
)
from bot.retrieval.retriever import (
    IndexMissingError,
    RetrievedAnswer,
    Retriever,
    SearchResult,
)

__all__ = [
    "DENSE",
    "HYBRID",
    "KEYWORD",
    "BuildManifest",
    "EmbeddingCache",
    "Encoder",
    "IndexBuilder",
    "IndexCorruptError",
    "IndexMismatchError",
    "IndexMissingError",
    "MemoryEmbeddingCache",
    "NullEmbeddingCache",
    "RetrievalConfig",
    "RetrievedAnswer",
    "Retriever",
    "SearchResult",
    "built_scopes",
    "current_build",
    "list_builds",
    "load_encoder",
]
