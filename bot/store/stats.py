"""Figures for moderators (`/triage stats`): what was asked, answered, flagged and liked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.questions import unanswered_questions
from bot.store.schema import AskedQuestion, Feedback, utcnow

TOP_UNANSWERED = 5


@dataclass(frozen=True)
class DayCounts:
    """One day's questions, each counted once: red-flagged ones as flagged whatever else
    happened, the rest as answered or declined."""

    day: date
    answered: int = 0
    declined: int = 0
    flagged: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.declined + self.flagged


@dataclass(frozen=True)
class TriageStats:
    days: int
    questions: int
    answered: int
    red_flags: dict[str, int]
    helpful: int
    not_helpful: int
    most_cited: list[tuple[str, int]]
    per_day: list[DayCounts]
    top_unanswered: list[tuple[str, int]] = field(default_factory=list)
    """The week's most asked questions that got no answer (text still kept), with counts."""

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
    per_day: dict[date, Counter[str]] = {}
    for asked_at, answered, level, _ in rows:
        kind = "flagged" if level and level != "none" else "answered" if answered else "declined"
        per_day.setdefault(asked_at.date(), Counter())[kind] += 1
    first_day = (now - timedelta(days=days - 1)).date()
    week = unanswered_questions(
        session, [scope], limit=TOP_UNANSWERED, since=now - timedelta(days=7)
    )
    return TriageStats(
        days=days,
        questions=len(rows),
        answered=sum(1 for _, answered, _, _ in rows if answered),
        red_flags={level: levels.get(level, 0) for level in ("emergency", "urgent", "soon")},
        helpful=sum(1 for v in votes if v),
        not_helpful=sum(1 for v in votes if not v),
        most_cited=cited.most_common(5),
        per_day=[_day(first_day + timedelta(days=n), per_day) for n in range(days)],
        top_unanswered=[(item.text, item.times_asked) for item in week],
    )


def _day(day: date, counted: dict[date, Counter[str]]) -> DayCounts:
    kinds = counted.get(day, Counter())
    return DayCounts(day, kinds["answered"], kinds["declined"], kinds["flagged"])
