"""The fitness encoder: the packaged MiniLM with top layers fine-tuned on the starter corpus.

Only those layers are committed, with a card that says what they were trained on; a
changed starter corpus without `make train-encoder` fails here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot import paths
from bot.corpus.formats import read_corpus
from bot.retrieval.domain import (
    DELTA_DIR,
    DELTA_FILE,
    DOMAIN_MODEL_NAME,
    LAYER_COUNT,
    TRAINED_LAYERS,
    assemble,
    data_hash,
    read_card,
    training_pairs,
)
from bot.retrieval.encoder import PACKAGED_MODEL_NAME, load_encoder, load_from_folder

MAX_COMMITTED_BYTES = 25 * 1024 * 1024


def test_the_card_names_the_training_data_the_weights_were_made_from() -> None:
    card = read_card()

    assert card["data_hash"] == data_hash(read_corpus(paths.starter_answers_dir())), (
        "the starter corpus changed since the fitness encoder was trained: run "
        "`make train-encoder` and commit bot/retrieval/domain_model/"
    )
    assert card["answers"] == len(read_corpus(paths.starter_answers_dir()))
    assert isinstance(card["seed"], int)


def test_the_card_carries_figures_for_both_encoders_on_every_retrieval_set() -> None:
    figures = read_card()["figures"]
    sets = {"starter"} | {
        folder.name
        for folder in paths.retrieval_sets_dir().iterdir()
        if (folder / "corpus").is_dir()
    }

    for model in (PACKAGED_MODEL_NAME, DOMAIN_MODEL_NAME):
        assert set(figures[model]) == sets, model
        for by_mode in figures[model].values():
            assert 0.0 < by_mode["hybrid"] <= 1.0


def test_only_the_top_layers_are_committed_in_half_precision_and_small() -> None:
    from safetensors import safe_open

    path = DELTA_DIR / DELTA_FILE
    assert path.stat().st_size <= MAX_COMMITTED_BYTES
    with safe_open(str(path), framework="numpy") as weights:
        names = list(weights.keys())
        dtypes = {str(weights.get_tensor(name).dtype) for name in names}
    top = {f"encoder.layer.{i}." for i in range(LAYER_COUNT - TRAINED_LAYERS, LAYER_COUNT)}
    assert names and all(any(layer in name for layer in top) for name in names)
    assert dtypes == {"float16"}


def test_every_answer_is_trained_on_its_own_questions_and_title() -> None:
    records = read_corpus(paths.starter_answers_dir())
    pairs = {answer_id: (asked, passage) for answer_id, asked, passage in training_pairs(records)}
    record = records[0]

    asked, passage = pairs[record.id]
    assert record.title in asked and set(record.also_asked) <= set(asked)
    assert passage.startswith(record.title) and record.body in passage


@pytest.mark.model
def test_the_assembled_model_changes_the_top_layers_only_and_is_made_once(
    tmp_path: Path,
) -> None:
    folder = assemble(tmp_path / "fitness")
    made = (folder / "triagebot-domain.json").stat().st_mtime_ns
    assert assemble(tmp_path / "fitness") == folder
    assert (folder / "triagebot-domain.json").stat().st_mtime_ns == made

    fitness = load_from_folder(folder, DOMAIN_MODEL_NAME)
    packaged = load_encoder(None, backend="torch")
    question = ["the ropey bit at the back of my knee aches after hill sprints"]
    assert fitness.dimension == packaged.dimension
    assert not np.allclose(fitness.encode(question), packaged.encode(question), atol=1e-3)
