"""Start-up benchmark: what a new `triagebot ask` process and a warmed bot cost.

Run from the repository root (or with `make bench`):

    .venv/bin/python -m tests.benchmarks.startup_bench [--runs 5]

For each encoder backend (the default first, then the other one for comparison), in a
temporary data folder holding the starter corpus and its index built with that backend:
- `cold_ask_s`: wall time of a new `triagebot ask QUESTION --json` process, median of --runs;
- `ask_rss_mb`: that process's peak resident memory (the largest over the runs);
- `bot_rss_mb`: peak memory of a process holding a warmed app (red-flag model, encoder,
  starter index) after answering the retrieval evaluation's questions;
- in that process, over those questions: `ask_p50_ms`, the median time of a search of the
  starter index (as the retrieval benchmark times it: encoding the question included),
  `encode_p50_ms`, encoding the question alone, and `answer_p50_ms`, the whole of
  `TriageService.answer` (red-flag check, search, and the question stored);
and once, in the same run, `import_st_s`: `python -c "import sentence_transformers"`,
median of --runs, which `cold_ask_s` is compared with.

Nothing is asserted. Progress lines go to stdout; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.retrieval.encoder import ENCODER_BACKENDS

QUESTION = "my lower back feels tight when I squat, what warm-up should I do?"
CHILD_FLAG = "--warm-child"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(CHILD_FLAG, action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.warm_child:
        print(json.dumps(warm_figures()))
        return
    say(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    results: dict[str, Any] = {}
    import_st = [
        timed_process([sys.executable, "-c", "import sentence_transformers"])[0]
        for _ in range(options.runs)
    ]
    results["import_st_s"] = round(statistics.median(import_st), 3)
    say(f"import sentence_transformers: {results['import_st_s']} s (median of {options.runs})")
    from bot.settings import Settings

    default = Settings.model_fields["encoder_backend"].default
    backends = [default] + [b for b in ENCODER_BACKENDS if b != default]
    for backend in backends:
        figures = backend_figures(backend, options.runs)
        figures["cold_ask_to_import_st"] = round(figures["cold_ask_s"] / results["import_st_s"], 3)
        prefix = "" if backend == default else f"{backend}_"
        results |= {prefix + key: value for key, value in figures.items()}
        say(f"{backend}: {json.dumps(figures)}")
    results["default_backend"] = default
    print(json.dumps(results))


def backend_figures(backend: str, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="triagebot-startup-bench-") as folder:
        env = os.environ | {
            "TRIAGEBOT_DATA_DIR": str(Path(folder) / "data"),
            "TRIAGEBOT_ENCODER_BACKEND": backend,
        }
        env.pop("TRIAGEBOT_DATABASE_URL", None)
        env.pop("TRIAGEBOT_INDEX_DIR", None)
        cli = [sys.executable, "-m", "bot"]
        say(f"{backend}: importing the starter corpus and building its index ...")
        subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True)
        walls, peaks = [], []
        for _ in range(runs):
            wall, peak_mb = timed_process([*cli, "ask", QUESTION, "--json"], env=env)
            walls.append(wall)
            peaks.append(peak_mb)
        warm = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.startup_bench", CHILD_FLAG],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(warm.stdout.strip().splitlines()[-1])
    return {
        "cold_ask_s": round(statistics.median(walls), 3),
        "ask_rss_mb": round(max(peaks), 1),
        **figures,
    }


def timed_process(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one child process run to its end."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own resource usage (ru_maxrss in KB on Linux).
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        error = child.stderr.read().decode(errors="replace") if child.stderr else ""
        raise SystemExit(f"{' '.join(command[:4])} failed: {error.strip()[-300:]}")
    return wall, usage.ru_maxrss / 1024


def warm_figures() -> dict[str, Any]:
    """In a process of its own: warm the app as the bot does, then time questions."""
    import resource

    from bot import paths
    from bot.app import TriagebotApp
    from bot.evaluation.retrieval import load_questions
    from bot.settings import Settings
    from bot.store.database import Database
    from bot.triage import QuestionScope

    settings = Settings()
    app = TriagebotApp(settings=settings, database=Database(settings.resolved_database_url))
    app.warm_up()
    questions = [q.question for q in load_questions(paths.retrieval_sets_dir())][:200]
    scope = QuestionScope(scope="global")
    timings: dict[str, list[float]] = {"encode": [], "ask": [], "answer": []}
    for question in questions:
        # The retriever remembers the vectors of questions it saw: the answer path gets a
        # different text, so that it encodes its question too.
        timings["encode"].append(elapsed_ms(app.encoder.encode, [question]))
        timings["ask"].append(elapsed_ms(app.retriever.search, question, ["global"], k=3))
        timings["answer"].append(elapsed_ms(app.service.answer, "Q: " + question, scope))
    app.close()
    return {
        "bot_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **{f"{name}_p50_ms": round(statistics.median(ms), 2) for name, ms in timings.items()},
        "questions": len(questions),
    }


def elapsed_ms(function: Any, *args: Any, **kwargs: Any) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000


def say(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    main()
