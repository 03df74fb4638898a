"""The fitness encoder's figures for its card: MRR@10 of the packaged and the fitness
encoder, torch backend, on every retrieval set (the community corpora were never trained
on: only the starter corpus's own fields are)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot import paths
from bot.corpus.formats import read_corpus
from bot.evaluation import retrieval as retrieval_eval
from bot.retrieval.builder import IndexBuilder
from bot.retrieval.cache import MemoryEmbeddingCache
from bot.retrieval.config import DENSE, RRF, RetrievalConfig
from bot.retrieval.domain import DOMAIN_MODEL_NAME
from bot.retrieval.encoder import PACKAGED_MODEL_NAME, load_encoder
from bot.retrieval.retriever import Retriever

MODES = {
    "hybrid": RetrievalConfig(),
    "rrf": replace(RetrievalConfig(), fusion=RRF),
    "dense": replace(RetrievalConfig(), mode=DENSE),
}


def measure(say: Callable[[str], None] = print) -> dict[str, dict[str, dict[str, float]]]:
    """{model: {set: {mode: MRR@10}}}."""
    root = paths.retrieval_sets_dir()
    sets = [("starter", root, paths.starter_answers_dir())] + [
        (folder.name, folder, folder / "corpus")
        for folder in sorted(root.iterdir())
        if (folder / "corpus").is_dir()
    ]
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for model in (PACKAGED_MODEL_NAME, DOMAIN_MODEL_NAME):
        encoder = load_encoder(model, backend="torch")
        figures[model] = {}
        for name, questions_path, corpus_path in sets:
            questions = retrieval_eval.load_questions(questions_path)
            with tempfile.TemporaryDirectory(prefix="triagebot-domain-") as folder:
                IndexBuilder(Path(folder), encoder, MemoryEmbeddingCache()).build(
                    "eval", read_corpus(corpus_path)
                )
                retriever = Retriever(Path(folder), encoder)
                retriever.remember_questions([q.question for q in questions])
                figures[model][name] = {
                    mode: round(_mrr(retriever.with_config(config), questions), 4)
                    for mode, config in MODES.items()
                }
            say(f"{model} {name}: {figures[model][name]}")
    return figures


def _mrr(retriever: Retriever, questions: list[retrieval_eval.EvalQuestion]) -> float:
    """MRR@10 over the in-scope questions (out-of-scope ones have nothing to rank)."""
    ranked = retrieval_eval.rank_questions(
        retriever, [q for q in questions if q.relevant], ["eval"]
    )
    values = [retrieval_eval.ranking_metrics(r.ids, r.question.relevant)["mrr@10"] for r in ranked]
    return sum(values) / len(values) if values else 0.0
