"""The learned detector as it ships: the model, its card, and what it does on real-length
posts (the real int8 ONNX model, no stand-in)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.app import red_flag_checker
from bot.errors import ConfigurationError
from bot.redflags import Level, RuleSet
from bot.redflags.detectors import Certainty, Message
from bot.redflags.detectors.learned import (
    CARD_FILE,
    MODEL_DIR,
    MODEL_FILE,
    NONE_CLASS,
    LearnedDetector,
    LengthThresholds,
    Thresholds,
    UnitClassifier,
    shipped_classifier,
)
from bot.redflags.training import all_messages, rows_hash, units_of
from bot.settings import Settings

CARD = json.loads((MODEL_DIR / CARD_FILE).read_text(encoding="utf-8"))

BURIED = (
    "Bit of background: 52, back into running after a long break, doing three parkruns a "
    "month and a hill session on Thursdays. Knees have been fine, I stretch the calves. On "
    "the hill reps I get a heavy pressure in the middle of my chest that spreads into my jaw, "
    "and it goes off a few minutes after I stop. My watch says my heart rate is normal for "
    "me. Should I be doing more zone 2 before the hills?"
)
ORDINARY = (
    "Been doing 5/3/1 for about eight months. Squat 140, bench 95, deadlift 180. My main lifts "
    "are stalling now and I'm wondering whether to switch to a block programme or just run "
    "another cycle with lower training maxes. I sleep about seven hours and eat enough "
    "protein. Any advice on what people usually do after their first year?"
)


@pytest.fixture(scope="module")
def detector(rules: RuleSet) -> LearnedDetector:
    return LearnedDetector(rules, shipped_classifier())


def test_the_model_file_is_within_the_size_limit() -> None:
    assert (MODEL_DIR / MODEL_FILE).stat().st_size <= 25 * 1024 * 1024


def test_the_model_multiplies_unsigned_weights_which_every_cpu_computes_exactly() -> None:
    import onnx

    graph = onnx.load(str(MODEL_DIR / MODEL_FILE)).graph
    initializers = {item.name: item.data_type for item in graph.initializer}
    weights = [node.input[1] for node in graph.node if node.op_type == "MatMulInteger"]

    assert weights
    assert {initializers[name] for name in weights} == {onnx.TensorProto.UINT8}


def test_unsigned_weights_give_the_exact_products_of_the_signed_ones(tmp_path: Path) -> None:
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    from bot.redflags.training import unsign_weights

    rng = np.random.default_rng(7)
    activations = rng.integers(0, 256, (4, 96), dtype=np.uint8)
    signed = rng.integers(-127, 128, (96, 8)).astype(np.int8)
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "w", "a_zero", "w_zero"], ["y"])],
        "one-matmul",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [None, 96])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [None, 8])],
        initializer=[
            numpy_helper.from_array(signed, "w"),
            numpy_helper.from_array(np.array(0, dtype=np.uint8), "a_zero"),
            numpy_helper.from_array(np.zeros(8, dtype=np.int8), "w_zero"),
        ],
    )
    path = tmp_path / "one-matmul.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))

    assert unsign_weights(path) == 1
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    products = session.run(None, {"a": activations})[0]

    assert np.array_equal(products, activations.astype(np.int64) @ signed.astype(np.int64))


def test_the_model_card_matches_the_training_data(rules: RuleSet) -> None:
    units = [unit for message in all_messages(rules) for unit in units_of(message)]

    assert rows_hash(units) == CARD["data_sha256"], (
        "the training data changed since the model was trained: run `make train`"
    )


def test_the_card_records_the_seed_the_thresholds_and_its_figures() -> None:
    assert isinstance(CARD["seed"], int)
    for bucket in ("short", "long"):
        chosen = CARD["thresholds"][bucket]
        assert {"refer_emergency", "ask_emergency", "clear_emergency"} <= set(chosen)
    for bucket in ("short", "long"):
        figures = CARD["development_split"][bucket]
        assert 0 <= figures["emergency_reaches_emergency"] <= 1


def test_every_class_is_nothing_or_a_catalogue_concern(rules: RuleSet) -> None:
    classes = shipped_classifier().classes

    assert classes[0] == NONE_CLASS
    assert set(classes[1:]) <= {rule.id for rule in rules}


def test_each_text_gets_a_row_of_probabilities() -> None:
    rows = shipped_classifier().probabilities(["my calf is sore", "", "x " * 500])

    assert rows.shape == (3, len(shipped_classifier().classes))
    assert np.allclose(rows.sum(axis=1), 1.0, atol=1e-4)


def test_a_sign_buried_in_a_long_post_is_found_and_its_sentence_quoted(
    detector: LearnedDetector,
) -> None:
    hits = detector.detect(Message.of(BURIED)).hits

    chest = [hit for hit in hits if hit.rule.id == "exertional-chest-pain"]
    assert chest and chest[0].certainty in (Certainty.SURE, Certainty.PARTIAL)
    assert "pressure in the middle of my chest" in chest[0].evidence


SHORT_CHEST = "heavy pressure in my chest going into my jaw on the hill reps"


@pytest.mark.parametrize(
    ("text", "short_refer", "long_refer", "expected"),
    [
        (SHORT_CHEST, 0.0, 1.0, Certainty.SURE),
        (SHORT_CHEST, 1.0, 0.0, Certainty.PARTIAL),
        (BURIED, 1.0, 0.0, Certainty.SURE),
        (BURIED, 0.0, 1.0, Certainty.PARTIAL),
    ],
)
def test_short_messages_and_long_posts_are_judged_by_their_own_thresholds(
    rules: RuleSet, text: str, short_refer: float, long_refer: float, expected: Certainty
) -> None:
    def refer_at(refer: float) -> Thresholds:
        return Thresholds(refer, 0.0, refer, 0.0, refer)

    thresholds = LengthThresholds(short=refer_at(short_refer), long=refer_at(long_refer))
    detector = LearnedDetector(rules, shipped_classifier(), thresholds)

    hits = detector.detect(Message.of(text)).hits

    assert Message.of(text).long is (text is BURIED)
    chest = [hit for hit in hits if hit.rule.id == "exertional-chest-pain"]
    assert chest and chest[0].certainty is expected


def test_an_ordinary_long_post_raises_nothing(detector: LearnedDetector) -> None:
    findings = detector.detect(Message.of(ORDINARY))

    assert [hit for hit in findings.hits if hit.rule.level >= Level.URGENT] == []
    assert findings.clear_sentences, "ordinary sentences are read as ordinary"


def test_the_bot_runs_both_detectors_unless_the_learned_one_is_switched_off() -> None:
    assert [d.name for d in red_flag_checker(Settings()).detectors] == ["patterns", "learned"]
    assert [d.name for d in red_flag_checker(Settings(redflags_learned=False)).detectors] == [
        "patterns"
    ]


def test_the_bot_refers_the_buried_sign() -> None:
    report = red_flag_checker(Settings()).check(BURIED)

    assert report.level is Level.EMERGENCY or "exertional-chest-pain" in [
        question.concern for question in report.confirm
    ]


def test_a_missing_model_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="make train"):
        UnitClassifier(tmp_path)
