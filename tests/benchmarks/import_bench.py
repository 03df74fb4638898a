"""Import benchmark: members' questions are still recorded while 35,000 answers are imported.

Run from the repository root (or with `make bench`):

    .venv/bin/python -m tests.benchmarks.import_bench [--answers 35000]

Measured in one process and one run, on a fresh SQLite store in a temporary folder:
- the baseline: how long recording a member's question takes on an idle store (median);
- a large import written the shipped way (IMPORT_BATCH answers to a transaction), with a
  question recorded every QUESTION_EVERY_S seconds from another thread meanwhile: how many
  were recorded while the import ran, and how long the slowest one waited, as a ratio of the
  baseline;
- the same import as one transaction (the old way), for comparison: questions asked
  meanwhile wait for the whole import and fail once it holds the lock past the busy timeout.

Nothing is asserted. Progress lines go to stdout; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from bot.corpus.importer import IMPORT_BATCH, import_records
from bot.corpus.records import AnswerRecord
from bot.store.database import Database
from bot.store.questions import record_question

QUESTION_EVERY_S = 0.5
BASELINE_QUESTIONS = 20


def answers(count: int, prefix: str) -> list[AnswerRecord]:
    body = "Brace, hinge at the hips, keep the bar close and the reps slow. " * 12
    return [
        AnswerRecord(id=f"{prefix}-{n}", title=f"Answer {n}", body=body, author="bench")
        for n in range(count)
    ]


def ask(database: Database, text: str) -> float:
    """Record one question; seconds it took."""
    started = time.perf_counter()
    with database.session() as session:
        record_question(
            session, scope="bench", text=text, answered=False, answer_ids=[],
            red_flag_level="none",
        )  # fmt: skip
    return time.perf_counter() - started


def import_while_asking(database: Database, count: int, batch_size: int) -> dict[str, Any]:
    records = answers(count, f"b{batch_size}")
    done = threading.Event()
    failure: list[BaseException] = []

    def run_import() -> None:
        try:
            import_records(database, records, "bench", "bench", "bench", batch_size=batch_size)
        except BaseException as error:  # reported, not raised: the bench goes on
            failure.append(error)
        finally:
            done.set()

    worker = threading.Thread(target=run_import)
    started = time.perf_counter()
    worker.start()
    waits: list[float] = []
    locked = 0
    while not done.is_set():
        time.sleep(QUESTION_EVERY_S)
        if done.is_set():
            break
        try:
            waits.append(ask(database, f"asked during import {len(waits)}"))
        except OperationalError:
            locked += 1
    worker.join()
    return {
        "batch_size": batch_size,
        "import_s": round(time.perf_counter() - started, 2),
        "import_failed": repr(failure[0]) if failure else None,
        "questions_recorded": len(waits),
        "questions_locked_out": locked,
        "slowest_wait_s": round(max(waits, default=0.0), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=35_000)
    parser.add_argument("--skip-one-transaction", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="triagebot-import-bench-") as folder:
        database = Database(f"sqlite:///{Path(folder) / 'triagebot.db'}")
        database.ensure_ready()
        baseline = statistics.median(ask(database, f"idle {n}") for n in range(BASELINE_QUESTIONS))
        print(f"idle store: a question is recorded in {baseline * 1000:.1f} ms (median)")
        runs = [import_while_asking(database, options.answers, IMPORT_BATCH)]
        print(f"batched: {runs[0]}")
        if not options.skip_one_transaction:
            runs.append(import_while_asking(database, options.answers, options.answers))
            print(f"one transaction: {runs[1]}")
        database.dispose()
    for run in runs:
        run["slowest_wait_to_idle"] = round(run["slowest_wait_s"] / baseline, 1)
    print(
        json.dumps(
            {
                "answers": options.answers,
                "idle_question_ms": round(baseline * 1000, 2),
                "runs": runs,
            }
        )
    )


if __name__ == "__main__":
    main()
