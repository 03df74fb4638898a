"""`triagebot run` fails in one line without a token; `privacy purge` forgets on request."""

from __future__ import annotations

from click.testing import CliRunner

from bot.cli import cli
from bot.store.database import Database
from bot.store.questions import record_question, unanswered_questions
from tests.cli.conftest import Invoke


def test_run_without_a_token_says_how_to_set_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"TRIAGEBOT_DATA_DIR": str(tmp_path), "TRIAGEBOT_DISCORD_TOKEN": ""}

    result = CliRunner().invoke(cli, ["run"], env=env)

    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "TRIAGEBOT_DISCORD_TOKEN is not set" in result.output


def test_run_with_discord_unreachable_is_one_line_and_never_shows_the_token(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = "MTIz.secret-token-value.xyz"
    env = {
        "TRIAGEBOT_DATA_DIR": str(tmp_path),
        "TRIAGEBOT_DISCORD_TOKEN": secret,
        # Nothing listens on this port: a stand-in for "Discord cannot be reached".
        "TRIAGEBOT_DISCORD_API_BASE": "http://127.0.0.1:9/api/v10",
    }

    result = CliRunner().invoke(cli, ["run"], env=env)

    assert result.exit_code == 1
    assert "Discord cannot be reached" in result.output
    assert secret not in result.output


def queued_question(database_url: str, text: str) -> Database:
    """The store at `database_url` with `text` queued as unanswered, asked by member 123."""
    database = Database(database_url)
    database.ensure_ready()
    with database.session() as session:
        record_question(
            session,
            scope="g1",
            text=text,
            answered=False,
            answer_ids=[],
            red_flag_level="none",
            asker="123",
        )
    return database


def test_privacy_purge_forgets_a_member(triagebot: Invoke, database_url: str) -> None:
    database = queued_question(database_url, "a question")

    result = triagebot("privacy", "purge", "--member", "123")

    assert result.exit_code == 0, result.output
    assert "1 questions, 0 votes, 0 answers to screening questions and" in result.output
    with database.session() as session:
        assert unanswered_questions(session, ["g1"]) == []
    database.dispose()


def test_run_with_a_rejected_token_is_one_line_and_never_shows_the_token(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class RejectEveryToken(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"message": "401: Unauthorized", "code": 0}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), RejectEveryToken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = "MTIz.rejected-token-value.xyz"
    env = {
        "TRIAGEBOT_DATA_DIR": str(tmp_path),
        "TRIAGEBOT_DISCORD_TOKEN": secret,
        "TRIAGEBOT_DISCORD_API_BASE": f"http://127.0.0.1:{server.server_port}/api/v10",
    }
    try:
        result = CliRunner().invoke(cli, ["run"], env=env)
    finally:
        server.shutdown()

    assert result.exit_code == 1
    assert "Discord rejected the token" in result.output
    assert secret not in result.output


def test_unanswered_never_sends_stored_escape_sequences_to_the_terminal(
    triagebot: Invoke, database_url: str
) -> None:
    queued_question(database_url, "knee \x1b]0;owned\x07 hurts \x1b[2J after runs").dispose()

    result = triagebot("unanswered")

    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "knee \\x1b]0;owned\\x07 hurts \\x1b[2J after runs" in result.output


def test_run_with_the_gateway_unreachable_is_one_line(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The REST API answers (the stand-in) but the gateway cannot be reached."""
    import asyncio
    import threading

    import yarl
    from discord.gateway import DiscordWebSocket

    from tests.discord_app.fake_discord import FakeDiscordApi

    api, loop, ready = FakeDiscordApi(), asyncio.new_event_loop(), threading.Event()

    def serve() -> None:
        loop.run_until_complete(api.start())
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL("wss://127.0.0.1:9/"))
    secret = "MTIz.secret-token-value.xyz"
    env = {
        "TRIAGEBOT_DATA_DIR": str(tmp_path),
        "TRIAGEBOT_DISCORD_TOKEN": secret,
        "TRIAGEBOT_DISCORD_API_BASE": api.base_url,
    }

    result = CliRunner().invoke(cli, ["run"], env=env)
    loop.call_soon_threadsafe(loop.stop)

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Discord cannot be reached" in result.output
    assert secret not in result.output
