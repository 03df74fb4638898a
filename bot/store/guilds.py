"""Per-guild settings: help forum, curator role, emergency number, starter corpus on/off."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy.orm import Session

from bot.store.audit import record_action
from bot.store.schema import GuildSettings, utcnow


@dataclass(frozen=True)
class GuildConfig:
    """A guild's settings; the defaults apply to a guild that never changed any."""

    guild_id: str
    help_forum_channel_id: str | None = None
    curator_role_id: str | None = None
    emergency_number: str | None = None
    use_global_corpus: bool = True
    record_flagged_text: bool = False


CHANGEABLE = tuple(f.name for f in fields(GuildConfig) if f.name != "guild_id")


def load_guild_config(session: Session, guild_id: str) -> GuildConfig:
    row = session.get(GuildSettings, guild_id)
    if row is None:
        return GuildConfig(guild_id=guild_id)
    return GuildConfig(guild_id=guild_id, **{name: getattr(row, name) for name in CHANGEABLE})


def update_guild_config(
    session: Session, guild_id: str, actor: str, **changes: object
) -> GuildConfig:
    """Apply `changes` (only the settings named) and record who made them."""
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise ValueError(f"unknown guild settings: {', '.join(sorted(unknown))}")
    row = session.get(GuildSettings, guild_id)
    if row is None:
        row = GuildSettings(guild_id=guild_id, use_global_corpus=True, record_flagged_text=False)
        session.add(row)
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    row.updated_by = actor
    session.flush()
    record_action(
        session,
        actor,
        guild_id,
        "guild.config",
        guild_id,
        {k: v if isinstance(v, bool | None) else str(v) for k, v in changes.items()},
    )
    return load_guild_config(session, guild_id)
