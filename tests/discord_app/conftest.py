"""A running bot wired to a loopback stand-in for Discord, over a real SQLite store and a
real FAISS + BM25 index of the starter corpus (embedded by the fake encoder)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import discord
import pytest

from bot.app import TriagebotApp
from bot.corpus.formats import read_corpus
from bot.corpus.importer import import_records
from bot.discord_app.client import TriageBot
from bot.discord_app.cooldown import MemberCooldown
from bot.paths import starter_answers_dir
from bot.retrieval import RetrievalConfig
from bot.store.guilds import update_guild_config
from tests.discord_app.fake_discord import APPLICATION_ID, GUILD_ID, FakeDiscordApi
from tests.discord_app.harness import DiscordHarness
from tests.support.apps import fake_model_app

# The fake encoder's scores are not the real model's; this threshold keeps on-topic
# questions answered and nonsense unanswered.
FAKE_MODEL_CONFIG = RetrievalConfig(min_score=0.35, related_margin=1.0, reload_interval=0.0)
TOKEN = "test-token.not-a-real-one"


def make_app(data_dir: Path) -> TriagebotApp:
    return fake_model_app(data_dir, FAKE_MODEL_CONFIG)


@pytest.fixture(scope="session")
def starter_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder (SQLite store and index) holding the starter corpus and the test guild,
    made once per run; each test works on its own copy."""
    data_dir = tmp_path_factory.mktemp("discord-template") / "data"
    app = make_app(data_dir)
    import_records(app.database, read_corpus(starter_answers_dir()), "global", "test", "setup")
    app.rebuild_index("global")
    with app.database.session() as session:
        # The guild has no answers of its own yet; its scope gets an (empty) index so that
        # moderators' additions land in a scope the bot searches.
        update_guild_config(session, str(GUILD_ID), "test", emergency_number="999")
    app.rebuild_index(str(GUILD_ID))
    app.close()
    return data_dir


@pytest.fixture
def triage_app(starter_data: Path, tmp_path: Path) -> Iterator[TriagebotApp]:
    shutil.copytree(starter_data, tmp_path / "data")
    app = make_app(tmp_path / "data")
    yield app
    app.close()


@pytest.fixture
async def harness(triage_app: TriagebotApp) -> AsyncIterator[DiscordHarness]:
    async with running_bot(triage_app) as harness:
        yield harness


class running_bot:
    """Start the stand-in API and log a bot into it; undo both afterwards."""

    def __init__(
        self,
        app: TriagebotApp,
        cooldown: MemberCooldown | None = None,
        bot: TriageBot | None = None,
    ) -> None:
        self.app = app
        self.cooldown = cooldown or MemberCooldown(rate=100, per=60)
        self.given_bot = bot
        self.api = FakeDiscordApi()
        self._base = discord.http.Route.BASE

    async def __aenter__(self) -> DiscordHarness:
        await self.api.start()
        discord.http.Route.BASE = self.api.base_url
        self.bot = self.given_bot or TriageBot(
            self.app, application_id=APPLICATION_ID, cooldown=self.cooldown, message_content=True
        )
        await self.bot.login(TOKEN)
        return DiscordHarness(self.bot, self.api)

    async def __aexit__(self, *exc: object) -> None:
        await self.bot.close()
        discord.http.Route.BASE = self._base
        await self.api.stop()
