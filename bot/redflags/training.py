"""Training the learned detector from committed data (`make train`).

    python -m bot.redflags.training                   # fine-tune, export, calibrate, write the card
    python -m bot.redflags.training --calibrate-only  # keep the model, choose thresholds again
    python -m bot.redflags.training --check           # does the model match the data?

The packaged MiniLM's top layers are fine-tuned to classify units (see `fine_tune`), the
model is exported to int8 ONNX in `bot/redflags/model/`, and the thresholds are chosen on the
development split (`bot.redflags.calibration`). It takes a few tens of minutes on two cores
and needs no download. Everything is seeded: the same data and seed give the same model on
the same machine (torch does not promise bit-identical results across machines).

Where the rows come from (none of it ships in the wheel):
- `training/redflags/*.jsonl`: long and short posts written for training, with the exact
  words that carry each sign (`evidence`);
- `eval/redflags/tuned/*.jsonl`: every labelled set that was already tuned on (regression
  sets, so training on them costs no honest measure);
- the catalogue's own examples (`must_catch`, `third_person`, `must_not_catch`);
- ordinary questions: the starter answers' questions and the retrieval evaluation's.

One message in five (by a hash of its text, so the split is stable) is held out as the
development split: thresholds are chosen on it, and its figures go into the model card.
The first-sight sets (`eval/redflags/first-sight/`) are never read here, and neither are
the sets in `eval/redflags/seen/` until they are moved into `tuned/` for a retraining.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.redflags.detectors.learned import (
    CARD_FILE,
    MAX_TOKENS,
    MODEL_DIR,
    MODEL_FILE,
    NONE_CLASS,
    TOKENIZER_FILE,
)
from bot.redflags.evaluation import EvalExample, load_examples
from bot.redflags.report import Level
from bot.redflags.rules import RuleSet, load_rules
from bot.redflags.text import NormalisedText
from bot.redflags.units import Unit, split_units

if TYPE_CHECKING:
    from bot.corpus.records import AnswerRecord

REPOSITORY = Path(__file__).resolve().parents[2]
TRAINING_DIR = REPOSITORY / "training" / "redflags"
TUNED_DIR = REPOSITORY / "eval" / "redflags" / "tuned"
RETRIEVAL_EVAL_DIR = REPOSITORY / "eval" / "retrieval"
SEED = 20261202
EPOCHS = 3
BATCH = 32
FROZEN_LAYERS = 1
# Rarer classes weigh more, by (average class size / class size) ** BALANCE: 0 is no
# balancing, 1 full balancing. 0.5 raised too many alarms on ordinary development posts.
BALANCE = 0.35
ENCODER_LR = 5e-5
HEAD_LR = 1e-3
# A unit beside the evidence in a flagged post is ordinary story, but less surely so than a
# unit of an ordinary post: the sign may be told across it.
STORY_WEIGHT = 0.5
DEV_SHARE = 5  # one message in five
# Written into the card until calibration chooses the thresholds (the same for both lengths).
_PROVISIONAL = {
    "refer_emergency": 0.7,
    "ask_emergency": 0.35,
    "refer_urgent": 0.7,
    "ask_urgent": 0.4,
    "refer_soon": 0.8,
}
PROVISIONAL_THRESHOLDS = {"short": _PROVISIONAL, "long": _PROVISIONAL}


@dataclass(frozen=True)
class TrainingUnit:
    text: str
    label: str
    weight: float
    dev: bool


def rule_examples(rules: RuleSet) -> list[EvalExample]:
    examples = []
    for rule in rules:
        for text in (*rule.must_catch, *rule.third_person):
            examples.append(EvalExample(text, rule.level, rule.id, "positive", source="rules"))
        for example in rule.must_not_catch:
            examples.append(
                EvalExample(example.text, Level.NONE, None, example.kind, source="rules")
            )
    return examples


# An answer tagged so is a "get this checked" answer: its question and phrasings tell of the
# signs the check must refer (a calf swollen after a flight), so they are not ordinary.
GET_CHECKED_TAG = "get-checked"


def get_checked_ids(records: Iterable[AnswerRecord]) -> set[str]:
    """The answers whose questions are not ordinary (see GET_CHECKED_TAG)."""
    return {record.id for record in records if GET_CHECKED_TAG in record.tags}


def ordinary_questions(answers: Path, retrieval_sets: Iterable[Path]) -> list[EvalExample]:
    """Questions none of which needs a referral: what most traffic looks like."""
    from bot.corpus.formats import read_corpus
    from bot.evaluation.retrieval import load_questions

    records = list(read_corpus(answers))
    get_checked = get_checked_ids(records)
    texts = [
        text
        for record in records
        if record.id not in get_checked
        for text in ([record.question] if record.question else []) + list(record.also_asked)
    ]
    for path in retrieval_sets:
        texts += [
            question.question
            for question in load_questions(path)
            if not get_checked.intersection(question.relevant)
        ]
    return [EvalExample(text, Level.NONE, None, "benign", source="ordinary") for text in texts]


def all_messages(rules: RuleSet) -> list[EvalExample]:
    from bot.paths import starter_answers_dir

    messages: list[EvalExample] = []
    for folder in (TRAINING_DIR, TUNED_DIR):
        for path in sorted(folder.glob("*.jsonl")):
            messages += load_examples(path)
    messages += rule_examples(rules)
    messages += ordinary_questions(
        starter_answers_dir(), sorted(RETRIEVAL_EVAL_DIR.glob("*.jsonl"))
    )
    return messages


def in_dev(message: EvalExample) -> bool:
    """Stable one-in-five split by text; the catalogue's own examples always train."""
    if message.source == "rules":
        return False
    digest = hashlib.sha1(" ".join(message.text.split()).encode("utf-8")).digest()
    return digest[0] % DEV_SHARE == 0


def units_of(message: EvalExample) -> list[TrainingUnit]:
    """The units the detector will score, each labelled.

    With `evidence`, a unit covering most of the evidence carries the concern and the rest is
    story. Without it, a flagged message is learned only whole (a short message) or not at
    all: which of its sentences carries the sign is unknown.
    """
    normalised = NormalisedText(message.text)
    units = split_units(normalised)
    dev = in_dev(message)
    if message.expected_level is Level.NONE or message.rule is None:
        return [TrainingUnit(u.text, NONE_CLASS, 1.0, dev) for u in units]
    if message.evidence:
        span = _find(message.text, message.evidence)
        if span is not None:
            return [
                TrainingUnit(u.text, message.rule, 1.0, dev)
                if _covers(normalised, u, span)
                else TrainingUnit(u.text, NONE_CLASS, STORY_WEIGHT, dev)
                for u in units
            ]
    if len(units) == 1 or any(u.whole for u in units):
        whole = next((u for u in units if u.whole), units[0])
        return [TrainingUnit(whole.text, message.rule, 1.0, dev)]
    return []


def _find(text: str, evidence: str) -> tuple[int, int] | None:
    start = text.find(evidence)
    if start < 0:
        start = text.lower().find(evidence.lower())
    return (start, start + len(evidence)) if start >= 0 else None


def _covers(normalised: NormalisedText, unit: Unit, span: tuple[int, int]) -> bool:
    """The unit holds at least half of the evidence (or the evidence holds the unit)."""
    first, last = normalised.original_range(unit.start, unit.end)
    overlap = max(0, min(last, span[1]) - max(first, span[0]))
    return overlap >= 0.5 * (span[1] - span[0]) or overlap >= 0.8 * max(1, last - first)


def rows_hash(units: Sequence[TrainingUnit]) -> str:
    """A fingerprint of the training rows: what the model card records and a test checks."""
    digest = hashlib.sha256()
    for unit in units:
        digest.update(json.dumps([unit.text, unit.label, unit.weight, unit.dev]).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def fine_tune(
    units: Sequence[TrainingUnit], classes: Sequence[str], seed: int = SEED
) -> tuple[Any, Any]:
    """The packaged MiniLM, its top layers fine-tuned to classify units (returns model,
    tokenizer).

    The embeddings and the lowest FROZEN_LAYERS layers stay as MiniLM learned them: less to
    forget, and their output is computed once per unit and reused by every epoch, which makes
    training minutes instead of an hour on two cores.
    """
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    from bot.retrieval.encoder import packaged_model_path

    transformers_logging.disable_progress_bar()
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    random = np.random.default_rng(seed)
    folder = packaged_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model = unit_model(AutoModel.from_pretrained(str(folder), local_files_only=True), len(classes))
    bert = model.encoder
    index = {name: i for i, name in enumerate(classes)}
    labels = np.array([index[u.label] for u in units])
    counts = np.bincount(labels, minlength=len(classes)).astype(np.float64)
    balance = np.where(
        counts > 0, (counts.sum() / (len(classes) * np.maximum(counts, 1))) ** BALANCE, 0
    )
    weights = np.array([u.weight for u in units]) * balance[labels]
    # Batches of units of similar length pad little; they stay the same across epochs.
    tokens = tokenizer([u.text for u in units], truncation=True, max_length=MAX_TOKENS)
    lengths = np.array([len(ids) for ids in tokens["input_ids"]])
    order = np.lexsort((random.random(len(units)), lengths))
    batches = []
    print(f"running the {FROZEN_LAYERS} frozen layers over {len(units)} units ...", file=sys.stderr)
    with torch.no_grad():
        for start in range(0, len(order), BATCH):
            members = order[start : start + BATCH]
            batch = tokenizer.pad(
                {key: [tokens[key][i] for i in members] for key in tokens}, return_tensors="pt"
            )
            hidden = bert.embeddings(
                input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"]
            )
            mask = _layer_mask(bert, batch["attention_mask"], hidden)
            for layer in bert.encoder.layer[:FROZEN_LAYERS]:
                hidden = _layer_output(layer(hidden, attention_mask=mask))
            batches.append((members, hidden, batch["attention_mask"], mask))
    trained = [*bert.encoder.layer[FROZEN_LAYERS:], model.classifier]
    optimiser = torch.optim.AdamW(
        [
            {"params": [p for m in trained[:-1] for p in m.parameters()], "lr": ENCODER_LR},
            {"params": model.classifier.parameters(), "lr": HEAD_LR},
        ],
        weight_decay=0.01,
    )
    steps = EPOCHS * len(batches)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (steps - step) / steps)
    )
    loss_fn = torch.nn.CrossEntropyLoss(reduction="none")
    model.train()
    done = 0
    for epoch in range(EPOCHS):
        for number in random.permutation(len(batches)):
            members, hidden, attention, mask = batches[number]
            for layer in bert.encoder.layer[FROZEN_LAYERS:]:
                hidden = _layer_output(layer(hidden, attention_mask=mask))
            logits = model.classifier(_mean_pool(hidden, attention))
            w = torch.tensor(weights[members], dtype=torch.float32)
            loss = (loss_fn(logits, torch.tensor(labels[members])) * w).sum() / w.sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            done += 1
            if done % 100 == 0 or done == steps:
                print(
                    f"epoch {epoch + 1}/{EPOCHS}: step {done}/{steps}, loss {loss.item():.3f}",
                    file=sys.stderr,
                )
    model.eval()
    return model, tokenizer


def _layer_mask(bert: Any, attention_mask: Any, hidden: Any) -> Any:
    """The attention mask in the form BERT's layers take (as BertModel.forward builds it).

    A private method of transformers: later releases added `position_ids` to it, which an
    encoder without a cache does not need.
    """
    import inspect

    create = bert._create_attention_masks
    extra = {"position_ids": None} if "position_ids" in inspect.signature(create).parameters else {}
    mask, _ = create(
        attention_mask=attention_mask,
        encoder_attention_mask=None,
        embedding_output=hidden,
        encoder_hidden_states=None,
        cache=None,
        **extra,
    )
    return mask


def _layer_output(output: Any) -> Any:
    return output[0] if isinstance(output, tuple) else output


def _mean_pool(hidden: Any, attention_mask: Any) -> Any:
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


def _unit_model_class() -> Any:
    import torch

    class _UnitModel(torch.nn.Module):
        """MiniLM, mean-pooled, then one linear layer to the classes."""

        def __init__(self, encoder: Any, classes: int) -> None:
            super().__init__()
            self.encoder = encoder
            self.classifier = torch.nn.Linear(encoder.config.hidden_size, classes)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return self.classifier(_mean_pool(hidden, attention_mask))

    return _UnitModel


def unit_model(encoder: Any, classes: int) -> Any:
    return _unit_model_class()(encoder, classes)


def export(model: Any, tokenizer: Any, folder: Path) -> None:
    """The model as dynamically int8-quantized ONNX, with its tokenizer, into `folder`."""
    import tempfile
    import warnings

    import torch
    from onnxruntime import quantization

    folder.mkdir(parents=True, exist_ok=True)
    sample = tokenizer(["a sample sentence", "another one"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with tempfile.TemporaryDirectory() as work:
        fp32 = Path(work) / "model.onnx"
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model,
                tuple(sample[name] for name in names),
                str(fp32),
                input_names=names,
                output_names=["logits"],
                dynamic_axes={
                    **{n: {0: "batch", 1: "tokens"} for n in names},
                    "logits": {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
        quantization.quantize_dynamic(
            str(fp32),
            str(folder / MODEL_FILE),
            weight_type=quantization.QuantType.QInt8,
            per_channel=True,
            reduce_range=False,
            extra_options={"WeightSymmetric": True, "ActivationSymmetric": False},
        )
    unsign_weights(folder / MODEL_FILE)
    tokenizer.backend_tokenizer.save(str(folder / TOKENIZER_FILE))


def unsign_weights(path: Path) -> int:
    """Rewrite the int8 weights of every MatMulInteger as uint8 (w + 128, zero point + 128).

    The products are unchanged, but the CPU kernels are not: on a CPU without AVX-512 VNNI,
    ONNX Runtime multiplies uint8 activations by int8 weights with an instruction that
    saturates at 16 bits, and the signed model's probabilities there were not the ones it
    was calibrated on (long ordinary development posts alarmed 3.7% instead of 3.0%).
    uint8 by uint8 is exact on every CPU. Returns how many weights were rewritten.
    """
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    weights = {node.input[1] for node in model.graph.node if node.op_type == "MatMulInteger"}
    zero_points = {
        node.input[3]
        for node in model.graph.node
        if node.op_type == "MatMulInteger" and len(node.input) > 3
    }
    rewritten = 0
    for initializer in model.graph.initializer:
        if initializer.name in weights | zero_points:
            values = numpy_helper.to_array(initializer)
            if values.dtype != np.int8:
                continue
            shifted = (values.astype(np.int16) + 128).astype(np.uint8)
            initializer.CopyFrom(numpy_helper.from_array(shifted, initializer.name))
            rewritten += initializer.name in weights
    onnx.save(model, str(path))
    return rewritten


def class_names(units: Sequence[TrainingUnit]) -> list[str]:
    return [NONE_CLASS, *sorted({u.label for u in units} - {NONE_CLASS})]


def summary(units: Sequence[TrainingUnit]) -> dict[str, int]:
    counts = Counter("dev" if u.dev else "train" for u in units)
    return {"train_units": counts["train"], "dev_units": counts["dev"]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.redflags.training", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare data and model card")
    parser.add_argument(
        "--calibrate-only",
        action="store_true",
        help="keep the trained model; choose its thresholds again and rewrite the card",
    )
    args = parser.parse_args(argv)
    rules = load_rules()
    messages = all_messages(rules)
    units = [unit for message in messages for unit in units_of(message)]
    fingerprint = rows_hash(units)
    card_path = MODEL_DIR / CARD_FILE
    if args.check:
        card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
        if card.get("data_sha256") != fingerprint:
            print("the training data changed since the model was trained: run `make train`")
            return 1
        print("the model matches its training data")
        return 0
    classes = class_names(units)
    if not args.calibrate_only:
        train_units = [u for u in units if not u.dev]
        print(
            f"fine-tuning on {len(train_units)} units of {len(messages)} messages ...",
            file=sys.stderr,
        )
        model, tokenizer = fine_tune(train_units, classes)
        export(model, tokenizer, MODEL_DIR)
        card = {"classes": classes, "thresholds": PROVISIONAL_THRESHOLDS}
        card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    from bot.redflags.calibration import calibrate

    card = json.loads(card_path.read_text(encoding="utf-8"))
    thresholds, figures = calibrate(rules, [m for m in messages if in_dev(m)])
    card = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 fine-tuned on units, int8 ONNX",
        "classes": card["classes"],
        "seed": SEED,
        "epochs": EPOCHS,
        "data_sha256": fingerprint,
        "messages": len(messages),
        **summary(units),
        "thresholds": thresholds,
        "development_split": figures,
    }
    card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in card.items() if k != "classes"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
