"""Shared fixtures: a migrated store on SQLite and, when a server is reachable, PostgreSQL;
the real model and the starter corpus embedded with it, once per run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.retrieval import Encoder, load_encoder
from bot.store.database import Database
from tests.support.real_model import StarterIndex, build_starter_index

# Keep every test offline and away from a developer's own .env settings.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

POSTGRES_ADMIN_URL = os.environ.get(
    "TRIAGEBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
POSTGRES_HINT = (
    f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}; start a server or set "
    "TRIAGEBOT_TEST_POSTGRES_URL to an admin URL (one that may CREATE DATABASE) to run "
    "these tests on PostgreSQL too"
)
_postgres_available: bool | None = None


def postgres_available() -> bool:
    global _postgres_available
    if _postgres_available is None:
        try:
            engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
            with engine.connect():
                pass
            engine.dispose()
            _postgres_available = True
        except OperationalError:
            _postgres_available = False
    return _postgres_available


def _admin_execute(statement: str) -> None:
    engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A brand-new, empty PostgreSQL database for one test, dropped afterwards."""
    if not postgres_available():
        pytest.skip(POSTGRES_HINT)
    name = f"triagebot_test_{uuid.uuid4().hex[:12]}"
    _admin_execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_ADMIN_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store' / 'triagebot.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty store, once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A store migrated from empty to the newest schema."""
    db = Database(database_url)
    db.ensure_ready()
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def real_encoder() -> Encoder:
    """The packaged MiniLM, loaded once per run."""
    return load_encoder(None)


@pytest.fixture(scope="session")
def starter_index(real_encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> StarterIndex:
    """The starter corpus indexed with the real model, once per run."""
    return build_starter_index(tmp_path_factory.mktemp("starter-index"), real_encoder)
