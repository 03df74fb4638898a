"""Errors a user can cause. Their message is one line that says what to do next."""

from __future__ import annotations


class TriagebotError(Exception):
    """A mistake the user can fix; the CLI and the bot show its message, never a traceback."""


class ConfigurationError(TriagebotError):
    """Settings are missing or wrong (a bad database URL, an unknown model...)."""


class CorpusError(TriagebotError):
    """Corpus input is invalid. `location` is "file:line" when known."""

    def __init__(self, message: str, location: object | None = None) -> None:
        self.location = str(location) if location is not None else None
        self.reason = message
        super().__init__(f"{self.location}: {message}" if self.location else message)


class StoreOutdatedError(TriagebotError):
    """The database schema is older than this version of triagebot."""
