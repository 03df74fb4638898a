"""The bot's core: command sync, mentions restricted once, every cog's commands present."""

from __future__ import annotations

import discord

from bot.app import TriagebotApp
from bot.discord_app.client import TriageBot
from tests.discord_app.conftest import running_bot
from tests.discord_app.fake_discord import APPLICATION_ID, GUILD_ID
from tests.discord_app.harness import DiscordHarness

EXPECTED_COMMANDS = {
    "ask",
    "answer",
    "corpus",
    "reindex",
    "unanswered",
    "phrasings",
    "triage",
    "privacy",
    "Add to corpus",
}


async def test_commands_sync_globally_by_default(harness: DiscordHarness) -> None:
    synced = harness.api.matching(lambda s: s.method == "PUT" and s.path.endswith("/commands"))

    assert [s.path for s in synced] == [f"/applications/{APPLICATION_ID}/commands"]
    assert {c["name"] for c in synced[0].json} == EXPECTED_COMMANDS


async def test_commands_sync_to_the_development_guild_when_one_is_set(
    triage_app: TriagebotApp,
) -> None:
    bot = TriageBot(triage_app, application_id=APPLICATION_ID, dev_guild_id=GUILD_ID)
    async with running_bot(triage_app, bot=bot) as harness:
        synced = harness.api.matching(lambda s: s.method == "PUT")

    assert [s.path for s in synced] == [
        f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands"
    ]


def test_mentions_are_restricted_once_on_the_client(triage_app: TriagebotApp) -> None:
    bot = TriageBot(triage_app)

    mentions = bot.allowed_mentions
    assert mentions is not None
    assert mentions.to_dict() == discord.AllowedMentions.none().to_dict()


async def test_moderator_commands_are_hidden_from_members_by_default(
    harness: DiscordHarness,
) -> None:
    synced = harness.api.matching(lambda s: s.method == "PUT")[0].json
    by_name = {c["name"]: c for c in synced}

    for name in ("answer", "corpus", "reindex", "unanswered", "phrasings", "Add to corpus"):
        assert int(by_name[name]["default_member_permissions"]) == 1 << 13, name
    assert by_name["ask"]["default_member_permissions"] is None


async def test_without_the_message_content_intent_the_forum_is_off_and_config_says_why(
    triage_app: TriagebotApp,
) -> None:
    from tests.discord_app.harness import MODERATOR

    bot = TriageBot(triage_app, application_id=APPLICATION_ID)  # the default: no intent
    async with running_bot(triage_app, bot=bot) as harness:
        shown = await harness.slash("triage", MODERATOR, subcommand="config")

    assert not bot.intents.message_content
    fields = {f["name"]: f["value"] for f in shown.body["embeds"][0]["fields"]}
    assert fields["Help forum"].startswith("off: the bot runs without")
    assert "TRIAGEBOT_DISCORD_MESSAGE_CONTENT=true" in fields["Help forum"]
