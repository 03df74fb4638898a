"""Two bot processes share one PostgreSQL database and one index folder: an answer added
and indexed by one is cited by the other, which switches builds without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import TriagebotApp
from bot.corpus.formats import read_corpus
from bot.corpus.importer import import_records
from bot.paths import starter_answers_dir
from bot.settings import Settings
from bot.store.database import Database
from bot.store.embedding_cache import SqlEmbeddingCache
from tests.support.real_model import StarterIndex

# With `make test`'s two workers, the tests that search the starter index run on one worker,
# so that the index is embedded once per run, not once per worker.
pytestmark = [pytest.mark.postgres, pytest.mark.model, pytest.mark.xdist_group("starter_index")]

NEW_ANSWER = """---
id: copenhagen-plank-for-groin-strains
title: Copenhagen planks to protect the groin in football
author: adductor_ally
tags: [groin, football, prehab]
---
Copenhagen planks load the inner-thigh (adductor) muscles, which footballers strain when
they stretch for a ball. Start with the short lever: knee on the bench, two sets of
fifteen seconds per side, twice a week, and build up to the long lever over a month.
"""


def test_an_answer_indexed_by_one_process_is_cited_by_the_other(
    postgres_url: str, starter_index: StarterIndex, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "TRIAGEBOT_DATABASE_URL": postgres_url,
        "TRIAGEBOT_DATA_DIR": str(tmp_path / "data"),
        "TRIAGEBOT_INDEX_DIR": str(tmp_path / "index"),
    }
    settings = Settings(
        database_url=postgres_url, data_dir=tmp_path / "data", index_dir=tmp_path / "index"
    )
    database = Database(settings.resolved_database_url)
    database.ensure_ready()
    # The starter corpus is already embedded with the real model: the store's cache gets
    # its vectors, as it would have them after any earlier build (a build embeds only
    # what its cache lacks).
    for model, vectors in starter_index.embeddings.by_model().items():
        SqlEmbeddingCache(database).put_many(model, vectors)
    import_records(database, read_corpus(starter_answers_dir()), "global", "test", "setup")
    serving = TriagebotApp(settings=settings, database=database)
    serving.rebuild_index("global")
    question = "copenhagen planks for groin strains in football?"
    before = serving.service.answer(question, k=3, use_threshold=False)
    assert before.answers[0].id != "copenhagen-plank-for-groin-strains"

    answer_file = tmp_path / "new.md"
    answer_file.write_text(NEW_ANSWER, encoding="utf-8")
    for command in (
        ["corpus", "import", str(answer_file)],
        ["index", "rebuild", "--scope", "global"],
    ):
        subprocess.run(
            [sys.executable, "-m", "bot", *command],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )

    after = serving.service.answer(question)
    assert after.answers[0].id == "copenhagen-plank-for-groin-strains"
    assert after.build_ids["global"] != before.build_ids["global"]
    serving.close()
