"""The learned detector: a fine-tuned MiniLM that reads each unit of a message.

Each unit of a message (`bot.redflags.units`: a sentence, a pair of sentences, a word window
of a run-on paste, and a short message whole) gets a probability for every catalogue concern
and for "nothing to refer". The model is the packaged all-MiniLM-L6-v2 fine-tuned on units of
labelled posts, long and short, with the words that carry each sign marked (`make train`),
exported to int8 ONNX (`bot/redflags/model/`, about 23 MB) and run with ONNX Runtime: no
torch at run time. Frozen sentence embeddings were tried first and could not tell "no
numbness down there" from "numb down there" (a fifth of ordinary long posts alarmed).

Levels are decided on summed probabilities, so a unit the model splits between two
emergencies (a stroke or a bleed?) is still an emergency:
- "at least emergency" at or above `refer_emergency` -> a sure hit on the likeliest
  emergency concern; at or above `ask_emergency` -> a partial hit (a screening question);
- "at least urgent" likewise, on the likeliest urgent concern, in units not already referred
  as an emergency;
- "at least soon" at or above `refer_soon` -> a sure hit on the likeliest soon concern (soon
  concerns are never asked about: booking a physio needs no screening);
- self-harm has thresholds of its own (`refer_self_harm`, `ask_self_harm`), on its own
  probability: a question about it costs a click, a miss can cost a life.

The unit with the strongest evidence names the concern and is quoted as the evidence.
A sentence that every unit covering it scores below `clear_emergency` for "at least
emergency" (`clear_urgent` for "at least urgent") is reported as clearly free of such
concerns: a pattern hit at that level resting on it is a disagreement, and the checker asks
instead of referring (see `bot.redflags.checker`).

Thresholds are chosen when the model is trained, on a development split, and stored in its
card (`card.json`): one set for short messages and one for long posts (`LengthThresholds`).
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from bot.errors import ConfigurationError
from bot.redflags.detectors import Certainty, Findings, Hit, Message
from bot.redflags.report import Level
from bot.redflags.rules import SELF_HARM, RuleSet
from bot.redflags.units import Unit, split_units

NONE_CLASS = "none"
MODEL_DIR = Path(__file__).resolve().parent.parent / "model"
MODEL_FILE = "redflags-minilm-int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "card.json"
MAX_TOKENS = 64
_BATCH = 32
_MAX_EVIDENCE = 160


@dataclass(frozen=True)
class Thresholds:
    """How sure the model must be, per level, to refer or to ask (see the module docstring)."""

    refer_emergency: float
    ask_emergency: float
    refer_urgent: float
    ask_urgent: float
    refer_soon: float
    refer_self_harm: float = 1.0
    ask_self_harm: float = 1.0
    clear_emergency: float = 0.0
    """A sentence every unit of which scores below this for "at least emergency" is clearly
    free of emergencies to the model (0: never)."""
    clear_urgent: float = 0.0
    """The same for "at least urgent"."""

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Thresholds:
        return cls(**{key: float(raw[key]) for key in cls.__dataclass_fields__ if key in raw})

    def to_dict(self) -> dict[str, float]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


@dataclass(frozen=True)
class LengthThresholds:
    """Thresholds for short messages and for long posts, chosen apart.

    A short message states its sign with little around it, so the model can refer on less
    certainty there without alarming ordinary chat; a long post carries backstory,
    reassurance and figures of speech, where the same certainty alarms ordinary posts. One
    set for both had to be strict enough for long posts, and short emergencies on first-sight
    sets were then asked about instead of referred (0.91-0.96 reached emergency).
    """

    short: Thresholds
    long: Thresholds

    def for_message(self, message: Message) -> Thresholds:
        return self.long if message.long else self.short

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> LengthThresholds:
        return cls(Thresholds.from_dict(raw["short"]), Thresholds.from_dict(raw["long"]))

    def to_dict(self) -> dict[str, dict[str, float]]:
        return {"short": self.short.to_dict(), "long": self.long.to_dict()}


class UnitClassifier:
    """The exported model with its tokenizer: texts in, class probabilities out."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        paths = [folder / name for name in (MODEL_FILE, TOKENIZER_FILE, CARD_FILE)]
        if not all(path.is_file() for path in paths):
            raise ConfigurationError(
                f"the learned red-flag model is missing from {folder}: reinstall triagebot, "
                "or run `make train` in a source checkout"
            )
        try:
            import onnxruntime
            from tokenizers import Tokenizer

            self.card: dict[str, Any] = json.loads(paths[2].read_text(encoding="utf-8"))
            self.classes: list[str] = list(self.card["classes"])
            self.thresholds = LengthThresholds.from_dict(self.card["thresholds"])
            tokenizer = Tokenizer.from_file(str(paths[1]))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = max(1, min(4, os.cpu_count() or 1))
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = onnxruntime.InferenceSession(
                str(paths[0]), options, providers=["CPUExecutionProvider"]
            )
        except (OSError, ValueError, KeyError, ImportError) as error:
            raise ConfigurationError(
                f"the learned red-flag model in {folder} could not be loaded ({error}): "
                "reinstall triagebot, or run `make train`"
            ) from None
        if not self.classes or self.classes[0] != NONE_CLASS:
            raise ConfigurationError(f"the learned red-flag model in {folder} has no 'none' class")
        self._tokenizer = tokenizer
        self._session = session
        self._inputs = [item.name for item in session.get_inputs()]
        self._lock = threading.Lock()  # a tokenizer with padding set is not shared safely

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row of class probabilities per text."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        rows = []
        with self._lock:
            for start in range(0, len(texts), _BATCH):
                encodings = self._tokenizer.encode_batch(list(texts[start : start + _BATCH]))
                feed = {
                    "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                    "attention_mask": np.array(
                        [e.attention_mask for e in encodings], dtype=np.int64
                    ),
                    "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
                }
                logits = self._session.run(None, {k: feed[k] for k in self._inputs})[0]
                rows.append(_softmax(np.asarray(logits, dtype=np.float64)))
        return np.concatenate(rows).astype(np.float32)


@functools.cache
def shipped_classifier() -> UnitClassifier:
    """The model that ships in `bot/redflags/model/`, loaded once per process."""
    return UnitClassifier(MODEL_DIR)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class LearnedDetector:
    """Scores a message's units with the classifier; safe to share between threads."""

    name = "learned"

    def __init__(
        self,
        rules: RuleSet,
        classifier: UnitClassifier,
        thresholds: LengthThresholds | None = None,
    ) -> None:
        self.classifier = classifier
        self.thresholds = thresholds or classifier.thresholds
        known = {rule.id: rule for rule in rules}
        # A class whose concern the catalogue no longer has is ignored, not guessed at.
        self._rules = [known.get(name) for name in classifier.classes]

    @cached_property
    def _class_index(self) -> dict[str, int]:
        return {rule.id: i for i, rule in enumerate(self._rules) if rule is not None}

    @cached_property
    def _masks(self) -> dict[Level, np.ndarray]:
        """Per level, which classes are at least that level."""
        rank = np.array([rule.level.rank if rule is not None else 0 for rule in self._rules])
        return {level: rank >= level.rank for level in (Level.EMERGENCY, Level.URGENT, Level.SOON)}

    @cached_property
    def _exactly(self) -> dict[Level, np.ndarray]:
        """Per level, which classes are exactly that level: the concerns a pass may name."""
        rank = np.array([rule.level.rank if rule is not None else 0 for rule in self._rules])
        return {level: rank == level.rank for level in (Level.EMERGENCY, Level.URGENT, Level.SOON)}

    def unit_probabilities(self, message: Message) -> tuple[list[Unit], np.ndarray]:
        """The message's units and their class probabilities (the evaluation replays them)."""
        units = split_units(message.normalised)
        return units, self.classifier.probabilities([unit.text for unit in units])

    def detect(self, message: Message) -> Findings:
        units, probabilities = self.unit_probabilities(message)
        return self.findings(message, units, probabilities)

    def findings(
        self,
        message: Message,
        units: Sequence[Unit],
        probabilities: np.ndarray,
        thresholds: Thresholds | None = None,
    ) -> Findings:
        """What the thresholds make of already scored units."""
        if not units:
            return Findings()
        t = thresholds or self.thresholds.for_message(message)
        clear = {
            Level.EMERGENCY: self._clear_sentences(
                message, units, probabilities, Level.EMERGENCY, t.clear_emergency
            ),
            Level.URGENT: self._clear_sentences(
                message, units, probabilities, Level.URGENT, t.clear_urgent
            ),
        }
        return Findings(tuple(self._hits(message, units, probabilities, t)), clear)

    def _clear_sentences(
        self,
        message: Message,
        units: Sequence[Unit],
        probabilities: np.ndarray,
        level: Level,
        below: float,
    ) -> frozenset[int]:
        """Sentences every unit covering which scores below `below` for `level` or worse."""
        if below <= 0:
            return frozenset()
        at_least = probabilities[:, self._masks[level]].sum(axis=1)
        worst: dict[int, float] = {}
        for unit, score in zip(units, at_least, strict=True):
            first = message.normalised.sentence_at(unit.start).index
            last = message.normalised.sentence_at(max(unit.start, unit.end - 1)).index
            for index in range(first, last + 1):
                worst[index] = max(worst.get(index, 0.0), float(score))
        return frozenset(index for index, score in worst.items() if score < below)

    def _hits(
        self,
        message: Message,
        units: Sequence[Unit],
        probabilities: np.ndarray,
        t: Thresholds,
    ) -> list[Hit]:
        found: dict[str, Hit] = {}
        if SELF_HARM in self._class_index:
            # Self-harm has its own thresholds: a question about it costs a click, a miss a life.
            column = probabilities[:, self._class_index[SELF_HARM]]
            index = int(np.argmax(column))
            score = float(column[index])
            if score >= t.ask_self_harm:
                only = np.arange(len(self._rules)) == self._class_index[SELF_HARM]
                self._add(message, units[index], probabilities[index], only, score,
                          t.refer_self_harm, found)  # fmt: skip
        higher_sure = np.zeros(len(units), dtype=bool)
        for level, refer, ask in (
            (Level.EMERGENCY, t.refer_emergency, t.ask_emergency),
            (Level.URGENT, t.refer_urgent, t.ask_urgent),
            (Level.SOON, t.refer_soon, t.refer_soon),
        ):
            at_least = probabilities[:, self._masks[level]].sum(axis=1)
            exactly = self._exactly[level]
            for index in np.argsort(-at_least, kind="stable"):
                score = float(at_least[index])
                if score < ask:
                    break
                if higher_sure[index]:
                    continue  # a more severe concern already refers from this unit
                unit = units[int(index)]
                self._add(message, unit, probabilities[index], exactly, score, refer, found)
            higher_sure |= at_least >= refer
        return list(found.values())

    def _add(
        self,
        message: Message,
        unit: Unit,
        row: np.ndarray,
        mask: np.ndarray,
        score: float,
        refer: float,
        found: dict[str, Hit],
    ) -> None:
        rule = self._rules[int(np.argmax(np.where(mask, row, -1.0)))]
        if rule is None:
            return
        certainty = Certainty.SURE if score >= refer else Certainty.PARTIAL
        previous = found.get(rule.id)
        if previous is not None and (
            previous.certainty is Certainty.SURE or certainty is Certainty.PARTIAL
        ):
            return
        sentence = message.normalised.sentences[unit.sentence]
        found[rule.id] = Hit(
            rule=rule,
            evidence=unit.text[:_MAX_EVIDENCE],
            third_person=message.context.is_third_person(sentence),
            certainty=certainty,
            detector=self.name,
            sentence=unit.sentence,
            last_sentence=message.normalised.sentence_at(max(unit.start, unit.end - 1)).index,
            score=round(score, 4),
        )
