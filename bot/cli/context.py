"""What every command needs: settings, built once at start-up, and the store on demand."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.errors import ConfigurationError
from bot.settings import Settings
from bot.store.database import Database

if TYPE_CHECKING:
    from bot.app import TriagebotApp


def _settings_from_environment() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "TRIAGEBOT_" + "_".join(str(p) for p in first["loc"]).upper()
        raise ConfigurationError(f"setting {name} is invalid: {first['msg']}") from None


@dataclass
class CliContext:
    settings: Settings
    _database: Database | None = field(default=None, repr=False)
    _app: TriagebotApp | None = field(default=None, repr=False)

    @classmethod
    def from_environment(cls) -> CliContext:
        return cls(settings=_settings_from_environment())

    @property
    def actor(self) -> str:
        """Who the audit log names for changes made from this terminal."""
        try:
            return f"cli:{getpass.getuser()}"
        except (KeyError, OSError):
            return "cli"

    def raw_database(self) -> Database:
        """The store without the schema check (for `db upgrade`)."""
        if self._database is None:
            self._database = Database(self.settings.resolved_database_url)
        return self._database

    def database(self) -> Database:
        """The store, migrated when brand new; refused when its schema is outdated."""
        database = self.raw_database()
        database.ensure_ready()
        return database

    def app(self) -> TriagebotApp:
        """The whole pipeline (store, model, index, red flags), built once per command."""
        if self._app is None:
            # Imported here so that commands that need no model start quickly.
            from bot.app import TriagebotApp

            self._app = TriagebotApp(settings=self.settings, database=self.database())
        return self._app

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
