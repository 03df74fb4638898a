"""The schema is made only by migrations, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.errors import StoreOutdatedError
from bot.store.database import SCHEMA_HEAD, Database
from bot.store.schema import Base

EXPECTED_TABLES = {
    "answers",
    "answer_revisions",
    "asked_questions",
    "feedback",
    "red_flag_events",
    "index_builds",
    "embedding_cache",
    "audit_log",
    "guild_settings",
    "app_secrets",
}


def test_a_new_store_is_migrated_from_empty_to_the_newest_schema(database_url: str) -> None:
    database = Database(database_url)
    assert database.current_revision() is None

    database.ensure_ready()

    assert database.current_revision() == database.head_revision()
    with database.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= EXPECTED_TABLES


def test_the_start_up_check_knows_the_newest_migration(sqlite_url: str) -> None:
    # ensure_ready compares a store with SCHEMA_HEAD so that starting needs no alembic; a new
    # migration must move it too.
    assert Database(sqlite_url).head_revision() == SCHEMA_HEAD


def test_a_new_process_checks_its_store_without_importing_alembic(sqlite_url: str) -> None:
    import subprocess
    import sys

    Database(sqlite_url).ensure_ready()
    probe = (
        "import sys\n"
        "from bot.store.database import Database\n"
        f"Database({sqlite_url!r}).ensure_ready()\n"
        "print('alembic' in sys.modules)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )

    assert finished.stdout.strip() == "False"


def test_models_and_migrations_agree(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrations_go_down_to_empty_and_up_again(database: Database) -> None:
    from alembic import command

    from bot.store.database import alembic_config

    command.downgrade(alembic_config(database.engine), "base")
    assert database.is_empty()
    database.upgrade()
    assert database.current_revision() == database.head_revision()


def test_an_outdated_store_is_refused_with_the_command_to_run(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))

    with pytest.raises(StoreOutdatedError, match="run `triagebot db upgrade`"):
        database.ensure_ready()


def test_a_database_with_foreign_tables_and_no_history_is_refused(database_url: str) -> None:
    database = Database(database_url)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE somebody_elses (id INTEGER PRIMARY KEY)"))

    with pytest.raises(StoreOutdatedError, match="no migration history"):
        database.ensure_ready()


def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    database.ensure_ready()
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
