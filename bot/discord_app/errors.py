"""One place that turns every error of a command into a reply: user mistakes get a
friendly line, bugs are logged and get a generic one."""

from __future__ import annotations

import logging
import math

import discord
from discord import app_commands
from sqlalchemy.exc import OperationalError

from bot.errors import TriagebotError

log = logging.getLogger(__name__)

GENERIC_FAILURE = (
    "Something went wrong on our side. The moderators can find the details in the logs."
)
DATABASE_DOWN = "The bot cannot reach its database right now. Please try again in a minute."


class NotModerator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(
            "Only moderators can do that: it needs the Manage Messages permission or the "
            "server's curator role."
        )


class NotAdministrator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("Only members with the Manage Server permission can change the settings.")


class AskingTooFast(app_commands.CheckFailure):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"You're asking quickly! Give it {math.ceil(retry_after)} seconds and ask again."
        )


def message_for(error: BaseException) -> str:
    """What the member is told about `error` (bugs are logged here, not shown)."""
    original = getattr(error, "original", error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {math.ceil(error.retry_after)} seconds."
    if isinstance(error, app_commands.CheckFailure) and str(error):
        return str(error)
    if isinstance(original, TriagebotError):
        return str(original)
    if isinstance(original, OperationalError):
        log.warning("database unavailable: %s", str(original.orig).splitlines()[0])
        return DATABASE_DOWN
    log.error("unexpected error in a command", exc_info=original)
    return GENERIC_FAILURE


async def reply_with_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the member, privately, whether or not the interaction was answered already."""
    text = message_for(error)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the member about an error", exc_info=True)
