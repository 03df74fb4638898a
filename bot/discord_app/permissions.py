"""Who may curate: checked when a command runs, not only by hiding the command."""

from __future__ import annotations

import discord

from bot.discord_app.errors import NotAdministrator, NotModerator
from bot.store.guilds import GuildConfig


def is_moderator(interaction: discord.Interaction, config: GuildConfig) -> bool:
    """Manage Messages across the server (not only in the channel of the command: a
    channel's own moderators do not curate the server's answers), or the curator role."""
    if interaction.guild_id is None:
        return False
    member = interaction.user
    if isinstance(member, discord.Member) and member.guild_permissions.manage_messages:
        return True
    roles = getattr(interaction.user, "roles", [])
    return config.curator_role_id is not None and any(
        str(role.id) == config.curator_role_id for role in roles
    )


def require_moderator(interaction: discord.Interaction, config: GuildConfig) -> None:
    if not is_moderator(interaction, config):
        raise NotModerator()


def require_administrator(interaction: discord.Interaction) -> None:
    if interaction.guild_id is None or not interaction.permissions.manage_guild:
        raise NotAdministrator()
