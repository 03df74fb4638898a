"""A whole TriagebotApp on a SQLite store in a test folder, with the fake encoder."""

from __future__ import annotations

from pathlib import Path

from bot.app import TriagebotApp
from bot.retrieval import RetrievalConfig
from bot.settings import Settings
from bot.store.database import Database
from tests.support.fake_encoder import FakeEncoder


def fake_model_app(data_dir: Path, config: RetrievalConfig, dimension: int = 512) -> TriagebotApp:
    """The app with its store migrated; the fake encoder stands in for the model."""
    settings = Settings(data_dir=data_dir)
    database = Database(settings.resolved_database_url)
    database.ensure_ready()
    return TriagebotApp(
        settings=settings,
        database=database,
        _encoder=FakeEncoder(dimension=dimension),
        retrieval_config=config,
    )
