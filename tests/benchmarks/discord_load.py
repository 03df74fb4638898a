"""`make load`: 200 /ask interactions in bursts through the Discord test harness.

The real model and the starter corpus answer; interactions go through discord.py's own
machinery to the loopback REST stand-in, exactly as in tests/discord_app. A ticker task
measures how late the event loop runs while the questions are answered: that lateness is
what the gateway heartbeat would suffer. The last line printed is one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from bot.app import TriagebotApp
from bot.corpus.formats import read_corpus
from bot.corpus.importer import import_records
from bot.discord_app.cooldown import MemberCooldown
from bot.evaluation.retrieval import load_questions
from bot.paths import retrieval_sets_dir, starter_answers_dir
from bot.settings import Settings
from bot.store.database import Database
from tests.discord_app.conftest import running_bot
from tests.discord_app.harness import Person

QUESTIONS = 200
BURST = 20
PAUSE_BETWEEN_BURSTS_S = 0.5
TICK_S = 0.01


def make_app(data_dir: Path) -> TriagebotApp:
    settings = Settings(data_dir=data_dir)
    database = Database(settings.resolved_database_url)
    database.ensure_ready()
    app = TriagebotApp(settings=settings, database=database)
    import_records(database, read_corpus(starter_answers_dir()), "global", "load", "load test")
    app.rebuild_index("global")
    return app


async def measure_loop_lag(stop: asyncio.Event, lags: list[float]) -> None:
    """How much later than asked the loop wakes a sleeping task, again and again."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(TICK_S)
        lags.append(time.perf_counter() - started - TICK_S)


async def run_load(app: TriagebotApp, questions: list[str]) -> dict[str, object]:
    cooldown = MemberCooldown(rate=QUESTIONS, per=60)
    async with running_bot(app, cooldown) as harness:
        # Warm the model and the index so that the first burst measures steady state.
        await harness.slash("ask", question="warm-up before squats")
        stop, lags = asyncio.Event(), []
        ticker = asyncio.create_task(measure_loop_lag(stop, lags))
        latencies: list[float] = []
        answered = 0

        async def ask(number: int) -> None:
            nonlocal answered
            member = Person(970000000000000000 + number, f"member{number}")
            started = time.perf_counter()
            sent = await harness.slash("ask", member, question=questions[number % len(questions)])
            latencies.append((time.perf_counter() - started) * 1000)
            if sent.body.get("embeds"):
                answered += 1

        started = time.perf_counter()
        for first in range(0, QUESTIONS, BURST):
            await asyncio.gather(*(ask(n) for n in range(first, min(first + BURST, QUESTIONS))))
            await asyncio.sleep(PAUSE_BETWEEN_BURSTS_S)
        elapsed = time.perf_counter() - started
        stop.set()
        await ticker
    latencies.sort()
    return {
        "sent": QUESTIONS,
        "answered": answered,
        "burst": BURST,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "max_ms": round(latencies[-1], 1),
        "max_loop_lag_ms": round(max(lags) * 1000, 1),
        "questions_per_s": round(QUESTIONS / elapsed, 1),
    }


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    questions = [q.question for q in load_questions(retrieval_sets_dir())]
    with tempfile.TemporaryDirectory(prefix="triagebot-load-") as folder:
        print("building the starter index with the real model...", flush=True)
        app = make_app(Path(folder) / "data")
        print(f"sending {QUESTIONS} /ask interactions in bursts of {BURST}...", flush=True)
        result = asyncio.run(run_load(app, questions))
        app.close()
    print(
        f"answered {result['answered']}/{result['sent']}; p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms; largest event-loop delay {result['max_loop_lag_ms']} ms "
        "(target: every one answered, loop lag under 100 ms)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
