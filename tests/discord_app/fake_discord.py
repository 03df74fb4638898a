"""A stand-in for Discord's REST API on loopback, recording what the bot would send.

discord.py's route base is pointed at it, so every HTTP call the bot makes (interaction
callbacks, follow-ups, channel messages, command sync) arrives here through discord.py's
real HTTP and webhook code. Tests then assert the JSON that would have reached Discord.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.discord_app import discord_limits

BOT_ID = 900000000000000001
APPLICATION_ID = 900000000000000002
GUILD_ID = 910000000000000001
CHANNEL_ID = 920000000000000001
TIMESTAMP = "2026-11-24T12:00:00.000000+00:00"
INITIAL_RESPONSE_SECONDS = 3.0
FOLLOW_UP_SECONDS = 15 * 60.0

BOT_USER = {
    "id": str(BOT_ID),
    "username": "triagebot",
    "discriminator": "0000",
    "global_name": None,
    "avatar": None,
    "bot": True,
}


@dataclass
class Sent:
    """One request the bot made."""

    method: str
    path: str
    json: Any = None
    files: list[tuple[str, bytes]] = field(default_factory=list)
    response: Any = None
    """What the stand-in answered (for a message: the message payload, with its id)."""
    refused: str | None = None
    """Why the stand-in refused the request, as Discord would have (None: accepted)."""
    deferred: Sent | None = None
    """For a follow-up answering a deferred interaction: the "thinking" callback before it."""

    @property
    def body(self) -> dict[str, Any]:
        """The message-ish payload: an interaction callback's `data`, or the JSON itself."""
        if isinstance(self.json, dict) and "type" in self.json and "data" in self.json:
            return self.json["data"] or {}
        return self.json if isinstance(self.json, dict) else {}

    @property
    def callback_type(self) -> int | None:
        return self.json.get("type") if isinstance(self.json, dict) else None


class FakeDiscordApi:
    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.files: dict[str, bytes] = {}
        """Attachments the bot may download: /attachments/<name>."""
        self._ids = itertools.count(930000000000000001)
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self._arrived = asyncio.Condition()
        self._interactions: dict[str, float] = {}
        """When each interaction reached the bot, by id and by token (loop time)."""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/api/v10"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def interaction_created(self, interaction_id: str, token: str) -> None:
        """The gateway handed an interaction to the bot now: Discord's clocks start."""
        now = asyncio.get_running_loop().time()
        self._interactions[interaction_id] = self._interactions[token] = now

    def _too_late(self, path: str) -> str | None:
        """Discord's deadlines: the initial response within 3 s of the interaction, follow-ups
        within 15 minutes (its token's lifetime)."""
        parts = [*path.split("/"), "", "", ""]
        now = asyncio.get_running_loop().time()
        if path.endswith("/callback"):
            started = self._interactions.get(parts[2])
            if started is not None and now - started > INITIAL_RESPONSE_SECONDS:
                return "Unknown interaction: no initial response within 3 s"
        if path.startswith("/webhooks/"):
            started = self._interactions.get(parts[3])
            if started is not None and now - started > FOLLOW_UP_SECONDS:
                return "Unknown Webhook: the interaction token expired after 15 minutes"
        return None

    async def wait_for(
        self, predicate: Callable[[Sent], bool], *, timeout: float = 10.0, after: int = 0
    ) -> Sent:
        """The first request (from index `after` on) matching `predicate`."""

        def found() -> Sent | None:
            return next((s for s in self.sent[after:] if predicate(s)), None)

        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: found() is not None), timeout)
        result = found()
        assert result is not None
        return result

    def matching(self, predicate: Callable[[Sent], bool]) -> list[Sent]:
        return [s for s in self.sent if predicate(s)]

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path.removeprefix("/api/v10")
        if path.startswith("/attachments/"):
            async with self._arrived:
                self.sent.append(Sent(request.method, path))  # a download, recorded too
                self._arrived.notify_all()
            return web.Response(body=self.files.get(path.removeprefix("/attachments/"), b""))
        payload, files = await _read_body(request)
        sent = Sent(request.method, path, payload, files)
        status, sent.refused = 404, self._too_late(path)
        if sent.refused is None and self._sends_a_message(sent):
            over = discord_limits.problems(sent.body)
            status, sent.refused = 400, ("Invalid Form Body: " + "; ".join(over)) if over else None
        sent.response = (
            {"message": sent.refused, "code": 50035 if status == 400 else 10062}
            if sent.refused
            else self._answer(sent)
        )
        async with self._arrived:
            self.sent.append(sent)
            self._arrived.notify_all()
        if sent.refused:
            return web.json_response(sent.response, status=status)
        # discord.py reads JSON only when the content type is exactly application/json.
        body = json.dumps(sent.response).encode()
        return web.Response(body=body, headers={"Content-Type": "application/json"})

    @staticmethod
    def _sends_a_message(sent: Sent) -> bool:
        """A message, an interaction response or a modal: what Discord checks for limits."""
        return sent.method in ("POST", "PATCH") and (
            sent.path.endswith("/callback")
            or sent.path.startswith("/webhooks/")
            or "/messages" in sent.path
        )

    def _answer(self, sent: Sent) -> Any:
        method, path = sent.method, sent.path
        if path == "/users/@me":
            return BOT_USER
        if path == "/oauth2/applications/@me":
            return {
                "id": str(APPLICATION_ID),
                "name": "triagebot",
                "icon": None,
                "description": "",
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": BOT_USER,
                "verify_key": "0" * 64,
                "flags": 0,
                "interactions_endpoint_url": None,
            }
        if path.startswith("/applications/") and path.endswith("/commands"):
            return []
        if path.endswith("/callback"):
            interaction_id = path.split("/")[2]
            message = self._message(sent.body)
            return {
                "interaction": {"id": interaction_id, "type": 2},
                "resource": {"type": sent.callback_type or 4, "message": message},
            }
        if method in ("POST", "PATCH", "GET") and ("/messages" in path or "/webhooks/" in path):
            return self._message(sent.body if method != "GET" else {})
        return {}

    def _message(self, body: dict[str, Any]) -> dict[str, Any]:
        return message_payload(
            content=body.get("content") or "",
            author=BOT_USER,
            message_id=next(self._ids),
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            flags=body.get("flags") or 0,
        )


def message_payload(
    *,
    content: str,
    author: dict[str, Any],
    message_id: int,
    channel_id: int = CHANNEL_ID,
    guild_id: int | None = GUILD_ID,
    embeds: list[Any] | None = None,
    components: list[Any] | None = None,
    mentions: list[dict[str, Any]] | None = None,
    flags: int = 0,
    member: dict[str, Any] | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "pinned": False,
        "type": 0,
        "flags": flags,
        "components": components or [],
    }
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
    if member is not None:
        payload["member"] = member
    return payload


async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        async for part in reader:
            data = await part.read()  # type: ignore[union-attr]
            if part.name == "payload_json":  # type: ignore[union-attr]
                payload = json.loads(data)
            else:
                files.append((part.filename or "", bytes(data)))  # type: ignore[union-attr]
        return payload, files
    text = await request.text()
    return (json.loads(text) if text else None), []
