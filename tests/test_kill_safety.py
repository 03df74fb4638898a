"""SIGKILL at random moments during index rebuilds, corpus imports and moderator edits:
afterwards the store and the index load, questions are answered, and no committed change
is lost.

A worker process repeats one kind of work and prints a line after each change commits;
the test kills it at a random moment, many times, and then checks what it acknowledged.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.app import TriagebotApp
from bot.corpus.formats import read_corpus
from bot.corpus.importer import import_records
from bot.paths import starter_answers_dir
from bot.retrieval import RetrievalConfig
from bot.store.answers import AnswerRepository
from tests.support.apps import fake_model_app

KILLS_PER_KIND = 6
REPOSITORY = Path(__file__).resolve().parents[1]

WORKER = r"""
import sys
from pathlib import Path
from bot.app import TriagebotApp
from bot.corpus.importer import import_records
from bot.corpus.records import AnswerRecord
from bot.settings import Settings
from bot.store.database import Database
from tests.support.fake_encoder import FakeEncoder

kind, data_dir = sys.argv[1], Path(sys.argv[2])
settings = Settings(data_dir=data_dir)
app = TriagebotApp(settings=settings, database=Database(settings.resolved_database_url),
                   _encoder=FakeEncoder(dimension=128))
print("ready", flush=True)
for n in range(10_000):
    if kind == "rebuild":
        manifest = app.rebuild_index("global", full=True)
        print("built", manifest.build_id, flush=True)
    elif kind == "import":
        records = [AnswerRecord(id=f"bulk-{n}-{i}", title=f"Bulk answer {n} {i}",
                                body=f"Body of bulk answer {n} {i}. " * 20, author="load")
                   for i in range(40)]
        import_records(app.database, records, "global", "worker", f"import {n}")
        print("imported", n, flush=True)
    else:
        app.curation.edit("global", "hip-flexor-stretching",
                          AnswerRecord(id="", title="Hip flexor stretching",
                                       body=f"Edited body, version {n}.", author="alexus"),
                          "worker")
        print("edited", n, flush=True)
"""


def open_app(data_dir: Path) -> TriagebotApp:
    return fake_model_app(data_dir, RetrievalConfig(min_score=0.0, related_margin=1.0), 128)


def run_and_kill(kind: str, data_dir: Path, rng: random.Random, after_a_commit: bool) -> list[str]:
    """Start a worker, SIGKILL it at a random moment; the lines it acknowledged.

    With after_a_commit the moment is counted from the worker's first acknowledged change,
    not from its start, so that a slow machine still gets something committed to check.
    """
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, kind, str(data_dir)],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "ready"
    first = [worker.stdout.readline().strip()] if after_a_commit else []
    time.sleep(rng.uniform(0.05, 1.5))
    worker.send_signal(signal.SIGKILL)
    lines = first + worker.stdout.read().splitlines()
    worker.wait()
    return lines


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    app = open_app(tmp_path / "data")
    import_records(app.database, read_corpus(starter_answers_dir()), "global", "test", "setup")
    app.rebuild_index("global")
    app.close()
    return tmp_path / "data"


@pytest.mark.parametrize("kind", ["rebuild", "import", "edit"])
def test_a_killed_process_loses_nothing_it_committed(kind: str, data_dir: Path) -> None:
    rng = random.Random(f"kill-{kind}")
    acknowledged: list[str] = []
    for round_ in range(KILLS_PER_KIND):
        acknowledged += run_and_kill(kind, data_dir, rng, after_a_commit=round_ == 0)

        app = open_app(data_dir)
        result = app.service.answer("tight hip flexors from sitting at a desk")
        assert result.answers, "the index still answers after the kill"
        with app.database.session() as session:
            repository = AnswerRepository(session)
            assert repository.count("global") >= 123
            if kind == "import":
                for line in acknowledged:
                    n = line.split()[1]
                    assert repository.find("global", f"bulk-{n}-39") is not None, line
            if kind == "edit" and acknowledged:
                last = int(acknowledged[-1].split()[1])
                body = repository.get("global", "hip-flexor-stretching").record.body
                assert int(body.rsplit(" ", 1)[1].rstrip(".")) >= last
        app.close()
    assert acknowledged[0].split()[0] in {"built", "imported", "edited"}, acknowledged[0]
