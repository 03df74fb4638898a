"""Driving the bot through discord.py's own machinery, as the gateway would.

Interactions are built from raw INTERACTION_CREATE payloads and messages from
MESSAGE_CREATE payloads, and handed to the client's connection state parsers; every HTTP
call goes to the loopback FakeDiscordApi.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from bot.discord_app.client import TriageBot
from tests.discord_app.fake_discord import (
    APPLICATION_ID,
    BOT_USER,
    CHANNEL_ID,
    GUILD_ID,
    TIMESTAMP,
    FakeDiscordApi,
    Sent,
    message_payload,
)

EPHEMERAL = 1 << 6
DEFERRED_WITH_MESSAGE = 5  # the "thinking" response, answered by a follow-up
MANAGE_MESSAGES = 1 << 13
MANAGE_GUILD = 1 << 5
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11)  # view channel, send messages
MODERATOR_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_MESSAGES
ADMIN_PERMISSIONS = MODERATOR_PERMISSIONS | MANAGE_GUILD

OPTION_TYPES = {str: 3, int: 4, bool: 5}
SUB_COMMAND = 1
PERMISSION_ROLE_BASE = 970000000000000000


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    permissions: int = MEMBER_PERMISSIONS
    """In the channel of the interaction (what Discord sends with it, overwrites applied)."""
    roles: tuple[int, ...] = ()
    guild_permissions: int | None = None
    """Server-wide, from the member's roles (default: the same as in the channel)."""

    @property
    def permission_role(self) -> int:
        """A role of the guild that grants this person's server-wide permissions."""
        granted = self.permissions if self.guild_permissions is None else self.guild_permissions
        return PERMISSION_ROLE_BASE + granted

    def user(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.name.title(),
            "avatar": None,
        }

    def member(self) -> dict[str, Any]:
        return {
            "user": self.user(),
            "roles": [str(r) for r in (*self.roles, self.permission_role)],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(self.permissions),
        }


MEMBER = Person(940000000000000001, "lifter_lou")
OTHER_MEMBER = Person(940000000000000002, "runner_rae")
MODERATOR = Person(940000000000000003, "mod_mo", MODERATOR_PERMISSIONS)
ADMIN = Person(940000000000000004, "admin_ada", ADMIN_PERMISSIONS)


def channel_payload(channel_id: int = CHANNEL_ID, guild_id: int = GUILD_ID) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": "ask-the-community",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


CURATOR_ROLE_ID = 960000000000000001
# Server-wide permissions come from roles: the guild has one role per permission set the
# tests give people (see `Person.permission_role`).
PERMISSION_SETS = (
    0,
    MEMBER_PERMISSIONS,
    MODERATOR_PERMISSIONS,
    ADMIN_PERMISSIONS,
    MANAGE_GUILD,
    MANAGE_GUILD | MANAGE_MESSAGES,
)
HELP_FORUM_ID = 920000000000000009


def role_payload(role_id: int, name: str, permissions: int = 0) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "hoist": False,
        "position": 1,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def guild_payload(guild_id: int = GUILD_ID) -> dict[str, Any]:
    """GUILD_CREATE as the gateway sends it when the bot connects: channels and roles."""
    forum = {
        **channel_payload(HELP_FORUM_ID),
        "type": 15,
        "name": "help-forum",
        "available_tags": [],
        "default_reaction_emoji": None,
    }
    return {
        "id": str(guild_id),
        "name": "Strength & Physio",
        "icon": None,
        "owner_id": "1",
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "features": [],
        "mfa_level": 0,
        "system_channel_flags": 0,
        "premium_tier": 0,
        "preferred_locale": "en-GB",
        "nsfw_level": 0,
        "member_count": 3,
        "large": False,
        "unavailable": False,
        "emojis": [],
        "stickers": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "threads": [],
        "roles": [
            role_payload(guild_id, "@everyone"),
            role_payload(CURATOR_ROLE_ID, "curators"),
            *(
                role_payload(PERMISSION_ROLE_BASE + granted, f"grants {granted}", granted)
                for granted in PERMISSION_SETS
            ),
        ],
        "channels": [channel_payload(), forum],
    }


class DiscordHarness:
    def __init__(self, bot: TriageBot, api: FakeDiscordApi) -> None:
        self.bot = bot
        self.api = api
        self._ids = itertools.count(950000000000000001)
        bot._connection.parse_guild_create(guild_payload())  # type: ignore[attr-defined]

    def next_id(self) -> int:
        return next(self._ids)

    # --- interactions -------------------------------------------------------------
    def _interaction(
        self,
        kind: int,
        data: dict[str, Any],
        person: Person,
        guild_id: int | None = GUILD_ID,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.next_id()),
            "application_id": str(APPLICATION_ID),
            "type": kind,
            "data": data,
            "token": f"interaction-token-{self.next_id()}",
            "version": 1,
            "locale": "en-GB",
            "app_permissions": str(1 << 11),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id or 0)},
            "context": 0 if guild_id else 1,
            "attachment_size_limit": 8_000_000,
        }
        if guild_id is not None:
            payload["guild_id"] = str(guild_id)
            payload["guild_locale"] = "en-GB"
            payload["channel_id"] = str(CHANNEL_ID)
            payload["channel"] = channel_payload()
            payload["member"] = person.member()
        else:
            payload["user"] = person.user()
        if message is not None:
            payload["message"] = message
        return payload

    async def _dispatch(self, payload: dict[str, Any]) -> Sent:
        """Hand the payload to discord.py and wait for what the member sees: the interaction
        callback, or, when the bot deferred ("thinking"), its first follow-up (with the
        deferral in `deferred`). A response Discord would have refused fails the test."""
        start = len(self.api.sent)
        self.api.interaction_created(payload["id"], payload["token"])
        self.bot._connection.parse_interaction_create(payload)  # type: ignore[attr-defined]
        callback = f"/interactions/{payload['id']}/"
        sent = await self.api.wait_for(lambda s: s.path.startswith(callback), after=start)
        assert sent.refused is None, sent.refused
        if sent.callback_type != DEFERRED_WITH_MESSAGE:
            return sent
        follow_up = f"/webhooks/{APPLICATION_ID}/{payload['token']}"
        answer = await self.api.wait_for(
            lambda s: s.method == "POST" and s.path.startswith(follow_up), after=start
        )
        assert answer.refused is None, answer.refused
        answer.deferred = sent
        return answer

    async def slash(
        self,
        name: str,
        person: Person = MEMBER,
        *,
        subcommand: str | None = None,
        guild_id: int | None = GUILD_ID,
        resolved: dict[str, Any] | None = None,
        **options: Any,
    ) -> Sent:
        """Run a slash command (`subcommand` of group `name` when given); returns the
        interaction callback the bot sent."""
        option_list = [
            {"name": key, "type": option_type(key, value, resolved), "value": value}
            for key, value in options.items()
        ]
        if subcommand is not None:
            option_list = [{"name": subcommand, "type": SUB_COMMAND, "options": option_list}]
        data: dict[str, Any] = {
            "id": str(self.next_id()),
            "name": name,
            "type": 1,
            "options": option_list,
        }
        if resolved:
            data["resolved"] = resolved
        return await self._dispatch(self._interaction(2, data, person, guild_id))

    async def message_command(self, name: str, target: dict[str, Any], person: Person) -> Sent:
        data = {
            "id": str(self.next_id()),
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        return await self._dispatch(self._interaction(2, data, person))

    async def click(self, reply: Sent, custom_id: str, person: Person = MEMBER) -> Sent:
        """Click a button of the message the bot sent in `reply`."""
        body = reply.body
        # A callback's response wraps the message; a follow-up's response is the message.
        response = reply.response or {}
        sent_message = response["resource"]["message"] if "resource" in response else response
        message = message_payload(
            content=body.get("content") or "",
            author=BOT_USER,
            message_id=int(sent_message.get("id") or self.next_id()),
            embeds=body.get("embeds"),
            components=body.get("components"),
            flags=body.get("flags") or 0,
        )
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._dispatch(self._interaction(3, data, person, message=message))

    async def submit_modal(self, modal: Sent, values: dict[str, str], person: Person) -> Sent:
        """Fill the modal the bot opened (by field label) and submit it."""
        form = modal.body
        rows = []
        for row in form["components"]:
            for component in _inputs(row):
                value = values.get(component["label"], component.get("value") or "")
                rows.append(
                    {
                        "type": 1,
                        "components": [
                            {"type": 4, "custom_id": component["custom_id"], "value": value}
                        ],
                    }
                )
        data = {"custom_id": form["custom_id"], "components": rows}
        return await self._dispatch(self._interaction(5, data, person))

    # --- gateway events -----------------------------------------------------------
    def user_message(
        self, content: str, person: Person = MEMBER, mentions: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        return message_payload(
            content=content,
            author=person.user(),
            message_id=self.next_id(),
            mentions=mentions,
            member={k: v for k, v in person.member().items() if k != "user"},
        )

    async def new_forum_post(
        self, thread_id: int, forum_id: int, title: str, starter: dict[str, Any]
    ) -> Sent:
        """THREAD_CREATE for a new forum post (with its starter message); waits for the
        bot's message in the thread."""
        thread = {
            "id": str(thread_id),
            "guild_id": str(GUILD_ID),
            "parent_id": str(forum_id),
            "type": 11,
            "name": title,
            "owner_id": starter["author"]["id"],
            "last_message_id": str(thread_id),
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "newly_created": True,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": TIMESTAMP,
                "locked": False,
            },
            "message": starter,
        }
        start = len(self.api.sent)
        self.bot._connection.parse_message_create(starter)  # type: ignore[attr-defined]
        self.bot._connection.parse_thread_create(thread)  # type: ignore[attr-defined]
        sent = await self.api.wait_for(
            lambda s: s.method == "POST" and s.path == f"/channels/{thread_id}/messages",
            after=start,
        )
        assert sent.refused is None, sent.refused
        return sent

    async def post_message(self, payload: dict[str, Any]) -> Sent:
        """MESSAGE_CREATE; waits for the bot's reply in the channel."""
        start = len(self.api.sent)
        self.bot._connection.parse_message_create(payload)  # type: ignore[attr-defined]
        sent = await self.api.wait_for(
            lambda s: s.method == "POST" and s.path.endswith("/messages"), after=start
        )
        assert sent.refused is None, sent.refused
        return sent


def option_type(key: str, value: Any, resolved: dict[str, Any] | None) -> int:
    if resolved and str(value) in resolved.get("attachments", {}):
        return 11
    if resolved and str(value) in resolved.get("roles", {}):
        return 8
    if resolved and str(value) in resolved.get("channels", {}):
        return 7
    return OPTION_TYPES[type(value)]


def _inputs(component: dict[str, Any]) -> list[dict[str, Any]]:
    """Text inputs of a modal row (an action row, or a label wrapping one input)."""
    if component.get("type") == 4:
        return [component]
    children = component.get("components") or []
    if "component" in component:
        children = [component["component"]]
    found = [c for child in children for c in _inputs(child)]
    if component.get("type") == 18 and found and "label" in component:
        found[0] = {**found[0], "label": component["label"]}
    return found


def custom_ids(sent: Sent) -> list[str]:
    return [
        button["custom_id"]
        for row in sent.body.get("components") or []
        for button in row.get("components") or []
        if "custom_id" in button
    ]
