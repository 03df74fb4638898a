"""`triagebot index` and `triagebot eval` on a community's own small corpus, with the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke
from tests.cli.test_corpus_commands import write_answer

pytestmark = pytest.mark.model

BODIES = {
    "glute-bridge": "Lie on your back, feet flat, and drive your hips up. Squeeze at the top.",
    "calf-raise": "Stand on a step and rise onto your toes slowly, then lower the heels below it.",
    "hip-flexor-stretch": "Kneel on one knee, tuck the pelvis under and shift forward gently.",
}


def _community_corpus(folder: Path) -> Path:
    for answer_id, body in BODIES.items():
        write_answer(folder, answer_id, body)
    return folder


def test_a_rebuild_records_its_cut_off_and_warns_about_missing_phrasings(
    triagebot: Invoke, tmp_path: Path
) -> None:
    corpus = _community_corpus(tmp_path / "answers")
    assert triagebot("corpus", "import", str(corpus), "--scope", "42").exit_code == 0

    rebuilt = triagebot("index", "rebuild", "--scope", "42")
    status = triagebot("index", "status", "--scope", "42", "--json")

    assert rebuilt.exit_code == 0
    assert "only 0 of 3 answers in '42' have `also_asked` phrasings" in rebuilt.output
    assert "answers from a decision score of 0.430" in rebuilt.output
    current = json.loads(status.output)[0]["current"]
    assert current["decision"]["threshold"] == 0.43
    assert current["decision"]["probes"] >= 100
    # Three answers on glutes, calves and hip flexors answer none of the cooking, kit and
    # nutrition probes.
    assert current["decision"]["probes_declined"] == 1.0


def test_eval_measures_a_set_against_its_own_corpus_with_the_rrf_baseline(
    triagebot: Invoke, tmp_path: Path
) -> None:
    corpus = _community_corpus(tmp_path / "answers")
    questions = tmp_path / "retrieval-community.jsonl"
    rows = [
        {"question": "how do I stretch the front of my hip?", "relevant": ["hip-flexor-stretch"]},
        {"question": "exercise for my calves on a step", "relevant": ["calf-raise"]},
        {"question": "what's a good recipe for banana bread?", "relevant": []},
    ]
    questions.write_text("".join(json.dumps(r | {"split": "holdout"}) + "\n" for r in rows))

    result = triagebot("eval", "--set", str(questions), "--corpus", str(corpus), "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    assert set(report["modes"]) == {"keyword", "dense", "rrf", "hybrid"}
    hybrid = report["modes"]["hybrid"]["holdout"]
    assert hybrid["hit@3"] == 1.0
    assert hybrid["out_of_scope_no_answer"] == 1.0
    assert "first_sight" not in report
