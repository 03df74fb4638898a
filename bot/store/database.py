"""Connecting to the store and keeping its schema at the migrations' head."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import ConfigurationError, StoreOutdatedError, TriagebotError
from bot.paths import migrations_dir

UPGRADE_HINT = "run `triagebot db upgrade`"


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the bot read while a moderator import writes; foreign keys are off by
    # default in SQLite; the busy timeout makes concurrent writers wait instead of failing
    # (30 s: far longer than an import batch, IMPORT_BATCH answers, holds the lock).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`, creating the SQLite file's folder when needed."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(
            f"TRIAGEBOT_DATABASE_URL is not a database URL ({exc}); "
            "use e.g. postgresql+psycopg://user@host/db or sqlite:///path/to/file.db"
        ) from None
    if parsed.drivername == "postgresql":
        # psycopg 3 is the driver this project installs.
        parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigurationError(f"no driver for database URL {parsed!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_pragmas)
    return engine


# The newest migration's revision. Checking a store against it at start-up needs no alembic
# (importing it costs every new process about 0.1 s); tests/store keep it equal to the head
# of migrations/.
SCHEMA_HEAD = "0005"


def alembic_config(engine: Engine) -> Any:
    """Alembic configured in code: no alembic.ini is needed to run the migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["engine"] = engine
    return config


class Database:
    """The store's engine and sessions, plus the migration state checks."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def head_revision(self) -> str | None:
        """The head of the migrations folder, as alembic reads it."""
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(alembic_config(self.engine)).get_current_head()

    def current_revision(self) -> str | None:
        """The store's revision (alembic's version table), or None when it has none."""
        with self._connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            versions = connection.execute(text("SELECT version_num FROM alembic_version"))
            found = sorted(str(v) for v in versions.scalars())
        if len(found) > 1:
            raise StoreOutdatedError(
                f"the database records several schema revisions ({', '.join(found)}); "
                f"{UPGRADE_HINT}"
            )
        return found[0] if found else None

    def is_empty(self) -> bool:
        """True when the database has no tables at all (a brand-new store)."""
        with self._connect() as connection:
            tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
            return not tables

    def upgrade(self) -> tuple[str | None, str | None]:
        """Run the migrations up to head; returns (revision before, revision after)."""
        from alembic import command

        before = self.current_revision()
        command.upgrade(alembic_config(self.engine), "head")
        return before, self.current_revision()

    def ensure_ready(self) -> None:
        """Migrate a brand-new store; refuse an outdated one with the command to run."""
        current, head = self.current_revision(), SCHEMA_HEAD
        if current == head:
            return
        if current is None and self.is_empty():
            self.upgrade()
            return
        if current is None:
            raise StoreOutdatedError(
                "the database has tables but no migration history; point "
                "TRIAGEBOT_DATABASE_URL at an empty database or a triagebot store"
            )
        raise StoreOutdatedError(
            f"the database schema is at revision {current} but this triagebot needs {head}; "
            f"{UPGRADE_HINT}"
        )

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise TriagebotError(
                f"cannot open the database {self.engine.url.render_as_string()}: {reason}"
            ) from None
