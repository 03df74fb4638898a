"""PostgreSQL goes away while the bot runs: members get a friendly error, nothing crashes,
and the bot answers again once the database is back.

The bot reaches the real PostgreSQL server through a loopback TCP proxy that the test can
cut (dropping every connection and refusing new ones) and restore: a database outage as
the bot would see it, without stopping the shared server.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.app import TriagebotApp
from bot.corpus.formats import read_corpus
from bot.corpus.importer import import_records
from bot.discord_app.errors import DATABASE_DOWN
from bot.paths import starter_answers_dir
from bot.settings import Settings
from bot.store.database import Database
from tests.discord_app.conftest import FAKE_MODEL_CONFIG, running_bot
from tests.discord_app.harness import EPHEMERAL
from tests.support.fake_encoder import FakeEncoder

pytestmark = pytest.mark.postgres


class CuttableProxy:
    """Forwards loopback TCP connections to PostgreSQL until cut."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


async def test_the_bot_survives_a_database_outage(postgres_url: str, tmp_path: Path) -> None:
    real = make_url(postgres_url)
    proxy = CuttableProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    proxied = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = Settings(database_url=proxied, data_dir=tmp_path / "data")
    database = Database(settings.resolved_database_url)
    await asyncio.to_thread(database.ensure_ready)
    app = TriagebotApp(
        settings=settings,
        database=database,
        _encoder=FakeEncoder(dimension=512),
        retrieval_config=FAKE_MODEL_CONFIG,
    )
    records = read_corpus(starter_answers_dir())
    await asyncio.to_thread(import_records, database, records, "global", "test", "setup")
    await asyncio.to_thread(app.rebuild_index, "global")
    question = "my hip flexors are tight from sitting at a desk"

    async with running_bot(app) as harness:
        before = await harness.slash("ask", question=question)
        await proxy.cut()
        during = await harness.slash("ask", question=question)
        await proxy.start()  # the same port: the database is back
        after = await harness.slash("ask", question=question)

    assert before.body["embeds"]
    assert during.body["content"] == DATABASE_DOWN
    assert during.body["flags"] & EPHEMERAL
    assert after.body["embeds"]
    app.close()
