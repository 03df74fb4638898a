"""A MiniLM adapted to this domain: the packaged all-MiniLM-L6-v2 with its top layers
fine-tuned on the starter corpus's question/answer pairs.

Members ask in lay words ("the ropey bit at the back of my knee") while answers are written
in a coach's or a physio's. Fine-tuning the encoder contrastively on the corpus's own
questions (each answer's `question`, `also_asked` and title against its title and body,
the other answers of a batch as negatives) teaches it this domain's pairs. Only the top
layers are trained, so only they are committed (`domain_model/top-layers.safetensors`, in
float16, about 7 MB); `assemble` puts them on the packaged model, which needs torch and
takes seconds (done on first use; nothing trains there). `make train-encoder`
reproduces the weights from the committed corpus and a fixed seed, and writes the card
(`domain_model/card.json`: the training data's hash, the seed, the settings, the figures).

Select it with TRIAGEBOT_EMBEDDING_MODEL=fitness-minilm. It is not the default: it ranks
better on corpora it never saw, but each build's answer/decline cut-off, calibrated for the
packaged model's scores, declines far more in-scope questions with it (docs/retrieval.md).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.corpus.records import AnswerRecord
from bot.errors import ConfigurationError

DOMAIN_MODEL_NAME = "triagebot/fitness-minilm-l6"
DOMAIN_ALIASES = frozenset({DOMAIN_MODEL_NAME, "fitness-minilm"})
DELTA_DIR = Path(__file__).resolve().parent / "domain_model"
DELTA_FILE = "top-layers.safetensors"
CARD_FILE = "card.json"
ASSEMBLED_MARKER = "triagebot-domain.json"
ASSEMBLED_FOLDER = "triagebot-fitness-minilm-l6"
SEED = 1234
TRAINED_LAYERS = 2
ROUNDS = 5
BATCH = 32
LEARNING_RATE = 5e-5
SCALE = 20.0
"""Cosine similarities are multiplied by this before the softmax over the batch."""
LAYER_COUNT = 6


def training_pairs(records: Sequence[AnswerRecord]) -> list[tuple[str, tuple[str, ...], str]]:
    """(answer id, the ways it is asked, its passage) for every answer, in id order."""
    pairs = []
    for record in sorted(records, key=lambda r: r.id):
        asked = tuple(q for q in (record.question, *record.also_asked, record.title) if q)
        pairs.append((record.id, asked, f"{record.title}\n{record.body}"))
    return pairs


def data_hash(records: Sequence[AnswerRecord]) -> str:
    """What the weights were trained on: a test compares it with the card's."""
    digest = hashlib.sha256()
    for answer_id, asked, passage in training_pairs(records):
        digest.update(json.dumps([answer_id, asked, passage]).encode("utf-8"))
    return digest.hexdigest()


def trained_parameter(name: str) -> bool:
    top = range(LAYER_COUNT - TRAINED_LAYERS, LAYER_COUNT)
    return any(f"encoder.layer.{i}." in name for i in top)


def train(
    records: Sequence[AnswerRecord], into: Path, say: Callable[[str], None] = print
) -> dict[str, Any]:
    """Fine-tune the top layers, write the float16 weights and the card into `into`.

    Each round shows every answer once, with one of its questions drawn at random, in
    batches of distinct answers (two questions of one answer in a batch would be each
    other's false negatives).
    """
    import torch
    from safetensors.torch import save_file
    from sentence_transformers import SentenceTransformer

    from bot.retrieval.encoder import PACKAGED_MODEL_NAME, packaged_model_path

    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    model = SentenceTransformer(str(packaged_model_path()), device="cpu")
    for name, parameter in model.named_parameters():
        parameter.requires_grad = trained_parameter(name)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=LEARNING_RATE)
    pairs = training_pairs(records)
    losses: list[float] = []
    model.train()
    for round_number in range(ROUNDS):
        order = list(range(len(pairs)))
        random.shuffle(order)
        for start in range(0, len(order), BATCH):
            batch = [pairs[i] for i in order[start : start + BATCH]]
            asked = [random.choice(pair[1]) for pair in batch]
            passages = [pair[2] for pair in batch]
            questions = _embed(model, asked)
            answers = _embed(model, passages)
            scores = questions @ answers.T * SCALE
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(round(float(loss.item()), 4))
        say(f"round {round_number + 1} of {ROUNDS}: last loss {losses[-1]}")
    into.mkdir(parents=True, exist_ok=True)
    weights = {
        name: tensor.detach().to(torch.float16).contiguous()
        for name, tensor in _transformer(model).state_dict().items()
        if trained_parameter(name)
    }
    save_file(weights, str(into / DELTA_FILE))
    card = {
        "name": DOMAIN_MODEL_NAME,
        "base": PACKAGED_MODEL_NAME,
        "data_hash": data_hash(records),
        "answers": len(pairs),
        "seed": SEED,
        "trained_layers": TRAINED_LAYERS,
        "rounds": ROUNDS,
        "batch": BATCH,
        "learning_rate": LEARNING_RATE,
        "scale": SCALE,
        "steps": len(losses),
        "last_losses": losses[-5:],
        "figures": {},
    }
    write_card(into, card)
    return card


def _embed(model: Any, texts: list[str]) -> Any:
    import torch

    features = model.tokenize(texts)
    return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)


def _transformer(model: Any) -> Any:
    """The Hugging Face model inside a sentence-transformers model (its first module)."""
    return model[0].auto_model


def read_card(folder: Path = DELTA_DIR) -> dict[str, Any]:
    try:
        card: dict[str, Any] = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigurationError(
            f"the fitness encoder's card in {folder} cannot be read ({error}): "
            "run `make train-encoder` in a source checkout"
        ) from None
    return card


def write_card(folder: Path, card: dict[str, Any]) -> None:
    (folder / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def assemble(into: Path, delta: Path = DELTA_DIR) -> Path:
    """The packaged model with the fine-tuned top layers, as a sentence-transformers folder
    in `into` (made once; made again when the committed weights change)."""
    card = read_card(delta)
    marker = into / ASSEMBLED_MARKER
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == card:
        return into
    try:
        import torch
        from safetensors.torch import load_file
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ConfigurationError(
            f"putting the fitness encoder together needs torch and sentence-transformers "
            f"(pip install sentence-transformers): {error}"
        ) from None
    from bot.retrieval.encoder import packaged_model_path

    model = SentenceTransformer(str(packaged_model_path()), device="cpu")
    weights = {k: v.to(torch.float32) for k, v in load_file(str(delta / DELTA_FILE)).items()}
    missing = set(weights) - set(_transformer(model).state_dict())
    if missing:
        raise ConfigurationError(f"the fitness encoder's weights name unknown layers: {missing}")
    _transformer(model).load_state_dict(weights, strict=False)
    staging = into.with_name(into.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    model.save(str(staging))
    (staging / ASSEMBLED_MARKER).write_text(json.dumps(card), encoding="utf-8")
    shutil.rmtree(into, ignore_errors=True)
    staging.rename(into)
    return into
