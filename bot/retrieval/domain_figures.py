"""The fitness encoder's figures for its card: MRR@10 of the packaged and the fitness
encoder, torch backend, on every retrieval set (the community corpora were never trained
on: only the starter corpus's own fields are)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from bot import paths
from bot.corpus.formats import read_corpus
from bot.evaluation import retrieval as retrieval_eval
from bot.retrieval.builder import IndexBuilder
from bot.retrieval.cache import MemoryEmbeddingCache
from bot.retrieval.config import DENSE, HYBRID
from bot.retrieval.domain import DOMAIN_MODEL_NAME
from bot.retrieval.encoder import PACKAGED_MODEL_NAME, load_encoder
from bot.retrieval.retriever import Retriever

MODES = (HYBRID, retrieval_eval.RRF_BASELINE, DENSE)


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
                report = retrieval_eval.evaluate(
                    Retriever(Path(folder), encoder), questions, ["eval"], modes=MODES
                )
                figures[model][name] = {
                    mode: round(float(report["modes"][mode][retrieval_eval.ALL]["mrr@10"]), 4)  # type: ignore[index]
                    for mode in MODES
                }
            say(f"{model} {name}: {figures[model][name]}")
    return figures
