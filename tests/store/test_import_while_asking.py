"""A question asked while a large import is being written is recorded at once: the import
holds the write lock one batch at a time."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.corpus.importer import IMPORT_BATCH, import_records
from bot.corpus.records import AnswerRecord
from bot.store.database import Database
from bot.store.questions import record_question
from bot.store.schema import AskedQuestion


def test_a_question_asked_during_a_large_import_is_recorded(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'triagebot.db'}")
    database.ensure_ready()
    records = [
        AnswerRecord(id=f"answer-{n}", title=f"Answer {n}", body="Slow reps. " * 40, author="a")
        for n in range(8 * IMPORT_BATCH)
    ]
    importing = threading.Thread(
        target=import_records, args=(database, records, "g1", "test", "bulk")
    )

    importing.start()
    time.sleep(0.5)  # the import is writing its first batches by now
    still_importing = importing.is_alive()
    with database.session() as session:
        record_question(
            session, scope="g1", text="calf cramps?", answered=False, answer_ids=[],
            red_flag_level="none",
        )  # fmt: skip
    # Recorded between two batches, not after the whole import (as one transaction would).
    recorded_while_importing = importing.is_alive()
    importing.join()

    assert still_importing
    assert recorded_while_importing
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(AskedQuestion)) == 1
    database.dispose()
