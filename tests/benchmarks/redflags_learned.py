"""Benchmark: the learned red-flag check beside the patterns, on a set it was not trained on.

Run from the repository root (the fine-tuning takes several minutes on two cores):

    .venv/bin/python -m tests.benchmarks.redflags_learned --held-out redflags-blind-10.jsonl

The learned check (`bot.redflags.learned`) is trained exactly as `triagebot redflags
--train` trains it, on every labelled set in corpus/eval except the held-out one (a file
outside corpus/eval holds nothing back) and on the rules' examples. The held-out set is then
checked by the patterns alone and by the patterns with the learned check at each threshold,
through the same `RedFlagChecker` the bot uses. The ordinary questions of retrieval part d
are held out of the training too and checked: a referral on one of them would be a false
alarm in everyday traffic.

Only a set the rules were never tuned on, measured once, gives honest figures for the
patterns; the learned check never sees the held-out set either way. Nothing is asserted;
the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.evaluation.retrieval import load_questions
from bot.paths import corpus_dir, eval_dir
from bot.redflags import Level, RedFlagChecker
from bot.redflags.evaluation import evaluate, load_examples
from bot.redflags.learned import LearnedCheck, everyday_questions, train, training_examples
from bot.redflags.rules import default_rules_path, load_rules

EVERYDAY_HELD_OUT = "retrieval-part-d.jsonl"


def summary(checker: RedFlagChecker, held_out: list[Any], questions: list[str]) -> dict[str, Any]:
    overall = evaluate(checker, held_out)["overall"]
    return {
        "emergency_sensitivity": overall["per_level"]["emergency"]["sensitivity"],
        "any_flag_sensitivity": overall["any_flag"]["sensitivity"],
        "false_alarm_share": overall["false_alarm"]["share"],
        "everyday_questions_raised": sum(checker.check(q).level >= Level.URGENT for q in questions),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", required=True, help="A file name in corpus/eval, or a path.")
    parser.add_argument("--thresholds", default="0.8,0.9,0.95", help="Comma-separated.")
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args()

    sets = sorted(eval_dir().glob("redflags*.jsonl"))
    held_path = Path(args.held_out)
    if not held_path.is_file():
        held_path = eval_dir() / args.held_out
    if not held_path.is_file():
        raise SystemExit(f"no {args.held_out} (neither a path nor a file in {eval_dir()})")
    held_out = load_examples(held_path)
    training = [
        e for path in sets if path.resolve() != held_path.resolve() for e in load_examples(path)
    ]
    rules = load_rules(default_rules_path())
    retrieval_sets = sorted(eval_dir().glob("retrieval*.jsonl"))
    questions = [q.question for q in load_questions(eval_dir() / EVERYDAY_HELD_OUT)]
    everyday = everyday_questions(
        corpus_dir() / "answers", [p for p in retrieval_sets if p.name != EVERYDAY_HELD_OUT]
    )
    rows = training_examples(rules, training, everyday)
    print(f"training on {len(rows)} messages, testing on {len(held_out)} ({held_path.name})")

    patterns = RedFlagChecker.default()
    figures = {"patterns": summary(patterns, held_out, questions)}
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        train(rows, Path(folder) / "model", epochs=args.epochs)
        print(f"trained in {time.perf_counter() - started:.0f} s")
        learned = LearnedCheck(Path(folder) / "model")
        for threshold in (float(t) for t in args.thresholds.split(",")):
            checker = patterns.with_learned(learned, threshold)
            figures[f"patterns+learned@{threshold}"] = summary(checker, held_out, questions)
    for name, row in figures.items():
        print(f"{name:24} " + "  ".join(f"{k} {v:.3f}" for k, v in row.items()))
    print(json.dumps({"held_out": held_path.name, "questions": len(questions), "figures": figures}))


if __name__ == "__main__":
    main()
