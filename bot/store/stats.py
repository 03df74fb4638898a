"""Figures for moderators (`/triage stats`): what was asked, answered, flagged and liked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.schema import AskedQuestion, Feedback, utcnow


@dataclass(frozen=True)
class TriageStats:
    days: int
    questions: int
    answered: int
    red_flags: dict[str, int]
    helpful: int
    not_helpful: int
    most_cited: list[tuple[str, int]]
    per_day: list[tuple[date, int]]

    @property
    def answered_share(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


def triage_stats(
    session: Session, scope: str, *, days: int = 30, now: datetime | None = None
) -> TriageStats:
    """Figures for questions asked in `scope` over the last `days` days."""
    now = now or utcnow()
    since = now - timedelta(days=days)
    rows = session.execute(
        select(
            AskedQuestion.asked_at,
            AskedQuestion.answered,
            AskedQuestion.red_flag_level,
            AskedQuestion.answer_ids,
        ).where(AskedQuestion.scope == scope, AskedQuestion.asked_at >= since)
    ).all()
    votes = (
        session.execute(
            select(Feedback.helpful).where(Feedback.scope == scope, Feedback.created_at >= since)
        )
        .scalars()
        .all()
    )
    levels = Counter(level for _, _, level, _ in rows if level and level != "none")
    cited = Counter(answer_id for *_, ids in rows for answer_id in (ids or []))
    per_day = Counter(asked_at.date() for asked_at, *_ in rows)
    first_day = (now - timedelta(days=days - 1)).date()
    return TriageStats(
        days=days,
        questions=len(rows),
        answered=sum(1 for _, answered, _, _ in rows if answered),
        red_flags={level: levels.get(level, 0) for level in ("emergency", "urgent", "soon")},
        helpful=sum(1 for v in votes if v),
        not_helpful=sum(1 for v in votes if not v),
        most_cited=cited.most_common(5),
        per_day=[
            (first_day + timedelta(days=n), per_day.get(first_day + timedelta(days=n), 0))
            for n in range(days)
        ],
    )
