"""The audit log: who changed what, and when."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.schema import AuditEntry


def record_action(
    session: Session,
    actor: str,
    scope: str,
    action: str,
    target: str | None = None,
    details: dict[str, object] | None = None,
) -> None:
    session.add(
        AuditEntry(actor=actor, scope=scope, action=action, target=target, details=details or {})
    )


def recent_actions(session: Session, scope: str | None = None, limit: int = 50) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if scope is not None:
        query = query.where(AuditEntry.scope == scope)
    return list(session.scalars(query))
