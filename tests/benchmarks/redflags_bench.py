"""Red-flag benchmark: what the check costs, and that a huge paste costs about a long post.

Run from the repository root (or with `make bench`):

    .venv/bin/python -m tests.benchmarks.redflags_bench

Measured in one process and one run, so each ratio compares numbers taken under the same
load:
- the check as the bot runs it (patterns and the learned detector) and the patterns alone, on
  the retrieval evaluation's everyday questions (p50, p95);
- a 2,000-character post against a 100,000-character paste with no punctuation: the paste
  is capped and windowed (bot.redflags.checker.capped, bot.redflags.units), so the target is
  at most 3x the post.

Nothing is asserted. Progress lines go to stdout; the last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from bot import paths
from bot.app import red_flag_checker
from bot.evaluation.retrieval import load_questions
from bot.redflags import RedFlagChecker
from bot.settings import Settings

HUGE_TO_POST_TARGET = 3.0
ROUNDS = 7
POST = (
    "Long time lurker, first post. I'm 34, been lifting about six years, mostly powerlifting "
    "style with a bit of running on the side. Squat is 160, bench 110, deadlift 200 on a good "
    "day. About three weeks ago I tweaked my lower back on the last set of deadlifts, nothing "
    "dramatic, just a sharp twinge and then stiffness for a few days. I took a week off, did "
    "walks and some cat-camels, and it settled a lot. The physio said it was muscular and gave "
    "me a progression of hinges and bird dogs. Since then I've been back to about seventy "
    "percent on squats and pulls from blocks. What I'm unsure about is how to ramp back up "
    "without flaring it again. Do I add weight each week, or volume first? "
)
POST = (POST * 3)[:2000]
PASTE = ("did squats then rows then some core work and it all felt fine " * 1600)[:100_000]


def main() -> None:
    say(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    questions = [q.question for q in load_questions(paths.retrieval_sets_dir())]
    bot_checker = red_flag_checker(Settings())
    patterns = RedFlagChecker.default()
    results: dict[str, Any] = {}
    results |= time_questions(bot_checker, questions, "redflags")
    results |= time_questions(patterns, questions, "redflags_patterns")
    post_ms = repeat(lambda: bot_checker.check(POST))
    paste_ms = repeat(lambda: bot_checker.check(PASTE))
    results["redflags_2k_post_ms"] = round(post_ms, 1)
    results["redflags_100k_paste_ms"] = round(paste_ms, 1)
    results["redflags_100k_to_2k_ratio"] = round(paste_ms / post_ms, 2)
    met = results["redflags_100k_to_2k_ratio"] <= HUGE_TO_POST_TARGET
    say(
        f"2,000-character post {post_ms:.1f} ms; 100,000-character paste {paste_ms:.1f} ms; "
        f"ratio {results['redflags_100k_to_2k_ratio']} (target <= {HUGE_TO_POST_TARGET}): "
        f"{'met' if met else 'MISSED'}"
    )
    print(json.dumps(results, sort_keys=True), flush=True)


def time_questions(checker: RedFlagChecker, questions: Sequence[str], name: str) -> dict[str, Any]:
    for question in questions[:10]:
        checker.check(question)  # warm up
    durations = [elapsed_ms(checker.check, question) for question in questions]
    ordered = sorted(durations)
    results = {
        f"{name}_p50_ms": round(statistics.median(durations), 3),
        f"{name}_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
    }
    say(f"{name}: p50 {results[f'{name}_p50_ms']} ms, p95 {results[f'{name}_p95_ms']} ms")
    return results


def repeat(function: Callable[[], Any]) -> float:
    function()  # warm up
    return statistics.median(elapsed_ms(function) for _ in range(ROUNDS))


def elapsed_ms(function: Callable[..., Any], *args: Any) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def say(line: str) -> None:
    print(f"[bench] {line}", flush=True)


if __name__ == "__main__":
    main()
