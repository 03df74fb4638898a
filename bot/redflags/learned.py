"""The learned red-flag check: a fine-tuned copy of the packaged MiniLM beside the patterns.

Opt-in (``TRIAGEBOT_REDFLAGS_LEARNED=true``). ``triagebot redflags --train`` fine-tunes the
packaged all-MiniLM-L6-v2 on every labelled message in ``corpus/eval/redflags*.jsonl`` and
on the rules' own examples. Three heads read the mean-pooled sentence vector: "needs a
referral", "is an emergency" and which rule it is. The checker asks it after the patterns
(see `RedFlagChecker`): when it is sure of an emergency the patterns did not find, it adds
the likeliest emergency rule's flag. It never lowers what the patterns found, and it does
not overrule patterns that saw a concern and set it aside as negated, hypothetical, resolved
or a look-alike, nor a message that is a what-if or a general question throughout.

It is opt-in because it trades false alarms for sensitivity: on sets it was never trained
on it catches most of the emergencies the patterns miss, and raises more false alarms (the
README gives the figures). Whether that trade is right is a decision for a guild's clinical
lead. The patterns alone stay the default.
"""

from __future__ import annotations

import json
import random
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import ConfigurationError
from bot.redflags.report import Level

if TYPE_CHECKING:
    from bot.redflags.evaluation import EvalExample
    from bot.redflags.rules import RuleSet

MODEL_FOLDER = "redflags-learned"
DEFAULT_THRESHOLD = 0.8
DEFAULT_EPOCHS = 4
_MAX_TOKENS = 128
_BATCH = 16
_ENCODER_LEARNING_RATE = 4e-5
_HEAD_LEARNING_RATE = 1e-3
# Sentences scored to find the evidence; a long paste's first sentences carry the question.
_MAX_SENTENCES = 12
_META = "triagebot-learned.json"


def learned_model_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "models" / MODEL_FOLDER


@dataclass(frozen=True)
class LabelledText:
    text: str
    level: Level
    rule: str | None


@dataclass(frozen=True)
class Verdict:
    """What the learned check thinks of one message."""

    p_flag: float
    p_emergency: float
    rule_probabilities: dict[str, float]

    def level(self, threshold: float) -> Level:
        """Emergency when the model is sure enough of one, else nothing.

        It only ever lifts to emergency: lifting to urgent as well referred about one
        ordinary training question in twenty in the benchmark, for little gain where a miss
        costs most.
        """
        return Level.EMERGENCY if self.p_emergency >= threshold else Level.NONE

    def likeliest_rule(self, among: Iterable[str]) -> str | None:
        candidates = [rule for rule in among if rule in self.rule_probabilities]
        return max(candidates, key=self.rule_probabilities.__getitem__, default=None)


def training_examples(
    rules: RuleSet, labelled: Iterable[EvalExample], everyday: Iterable[str] = ()
) -> list[LabelledText]:
    """The labelled messages, every rule's own examples and ordinary questions, as rows.

    The ordinary questions (the starter answers' questions, the retrieval evaluation's) are
    what most traffic looks like: without them the model learns that any mention of a back
    is a worry.
    """
    rows = [LabelledText(e.text, e.expected_level, e.rule) for e in labelled]
    rows += [LabelledText(text, Level.NONE, None) for text in everyday]
    for rule in rules:
        positives = (*rule.must_catch, *rule.third_person)
        rows += [LabelledText(text, rule.level, rule.id) for text in positives]
        rows += [LabelledText(e.text, Level.NONE, None) for e in rule.must_not_catch]
    return rows


def everyday_questions(answers: Path, retrieval_sets: Iterable[Path]) -> list[str]:
    """Ordinary questions: the answers' own (with their other phrasings) and the retrieval
    evaluation's, none of which needs a referral."""
    from bot.corpus.formats import read_corpus
    from bot.evaluation.retrieval import load_questions

    questions = [
        text
        for record in read_corpus(answers)
        for text in ([record.question] if record.question else []) + list(record.also_asked)
    ]
    for path in retrieval_sets:
        questions += [question.question for question in load_questions(path)]
    return questions


class _Model:
    """The encoder with its three heads (torch is imported only when a model is used)."""

    def __init__(self, folder: Path, rule_ids: Sequence[str]) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        from bot.retrieval.encoder import _force_offline, _limit_torch_threads

        _force_offline()
        _limit_torch_threads(None)
        transformers_logging.disable_progress_bar()  # the CLI shows its own progress
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        self.encoder = AutoModel.from_pretrained(str(folder), local_files_only=True)
        self.rule_ids = list(rule_ids)
        self.heads = torch.nn.Linear(self.encoder.config.hidden_size, 2 + len(self.rule_ids))

    def logits(self, texts: Sequence[str]) -> Any:
        batch = self.tokenizer(
            list(texts), padding=True, truncation=True, max_length=_MAX_TOKENS, return_tensors="pt"
        )
        hidden = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1)
        return self.heads(pooled)


class LearnedCheck:
    """A trained model, loaded from its folder; safe to share between threads."""

    def __init__(self, folder: Path) -> None:
        meta_path = folder / _META
        if not meta_path.is_file():
            raise ConfigurationError(
                f"no learned red-flag model in {folder}: run `triagebot redflags --train` first, "
                "or switch TRIAGEBOT_REDFLAGS_LEARNED off"
            )
        self.folder = folder
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self._model = _Model(folder, self.meta["rules"])
        self._model.heads.load_state_dict(
            self._model.torch.load(folder / "heads.pt", weights_only=True)
        )
        self._model.encoder.eval()
        self._lock = threading.Lock()

    def verdict(self, text: str) -> Verdict:
        """What the model thinks of the whole message."""
        torch = self._model.torch
        with self._lock, torch.no_grad():
            logits = self._model.logits([text])
        flags = torch.sigmoid(logits[0, :2]).tolist()
        rules = torch.softmax(logits[0, 2:], dim=0).tolist() if self._model.rule_ids else []
        return Verdict(
            p_flag=flags[0],
            p_emergency=flags[1],
            rule_probabilities=dict(zip(self._model.rule_ids, rules, strict=True)),
        )

    def likeliest_sentence(self, sentences: Sequence[str]) -> str | None:
        """The sentence likeliest to be an emergency: the evidence for a flag it raises.

        Asked only when a flag is raised, so an ordinary question costs one forward pass.
        """
        pieces = [s.strip() for s in sentences if len(s.split()) >= 3][:_MAX_SENTENCES]
        if not pieces:
            return None
        torch = self._model.torch
        with self._lock, torch.no_grad():
            emergency = torch.sigmoid(self._model.logits(pieces)[:, 1])
        return pieces[int(torch.argmax(emergency))]


def train(
    rows: Sequence[LabelledText],
    folder: Path,
    *,
    epochs: int = DEFAULT_EPOCHS,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Fine-tune the packaged MiniLM on `rows` and save it to `folder` (replaced whole).

    Written to a sibling folder first and moved into place at the end, so a failed or
    interrupted run leaves the previous model as it was.
    """
    if not rows:
        raise ValueError("no labelled messages to train on")
    if epochs < 1:
        raise ValueError("epochs must be at least 1")
    import torch

    from bot.retrieval.encoder import _packaged_model_path

    random.seed(seed)
    torch.manual_seed(seed)
    rule_ids = sorted({row.rule for row in rows if row.rule and row.level is not Level.NONE})
    model = _Model(_packaged_model_path(), rule_ids)
    targets = torch.tensor(
        [[row.level is not Level.NONE, row.level is Level.EMERGENCY] for row in rows],
        dtype=torch.float32,
    )
    rule_index = {rule: i for i, rule in enumerate(rule_ids)}
    rule_targets = torch.tensor(
        [rule_index.get(row.rule, -100) if row.rule else -100 for row in rows]
    )
    # Weigh the rarer class up, so "emergency" is not learned as "almost never".
    share = targets.mean(0).clamp(1e-3, 1 - 1e-3)
    flag_loss = torch.nn.BCEWithLogitsLoss(pos_weight=(1 - share) / share)
    rule_loss = torch.nn.CrossEntropyLoss(ignore_index=-100)
    optimiser = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": _ENCODER_LEARNING_RATE},
            {"params": model.heads.parameters(), "lr": _HEAD_LEARNING_RATE},
        ],
        weight_decay=0.01,
    )
    batches_per_epoch = (len(rows) + _BATCH - 1) // _BATCH
    total = epochs * batches_per_epoch
    warmup = max(1, total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (total - step) / total)
    )
    order = list(range(len(rows)))
    done = 0
    model.encoder.train()
    for _ in range(epochs):
        random.shuffle(order)
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            logits = model.logits([rows[i].text for i in batch])
            loss = flag_loss(logits[:, :2], targets[batch])
            picked = rule_targets[batch]
            if rule_ids and bool((picked >= 0).any()):
                loss = loss + rule_loss(logits[:, 2:], picked)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            done += 1
            if progress is not None:
                progress(done, total)
    return _save(model, folder, rows, epochs)


def _save(model: _Model, folder: Path, rows: Sequence[LabelledText], epochs: int) -> Path:
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    model.encoder.save_pretrained(str(staging))
    model.tokenizer.save_pretrained(str(staging))
    model.torch.save(model.heads.state_dict(), staging / "heads.pt")
    meta = {
        "rules": model.rule_ids,
        "examples": len(rows),
        "emergencies": sum(row.level is Level.EMERGENCY for row in rows),
        "epochs": epochs,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (staging / _META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    previous = folder.with_name(folder.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if folder.exists():
        folder.rename(previous)
    staging.rename(folder)
    shutil.rmtree(previous, ignore_errors=True)
    return folder
