"""The triage service: red-flag check, then retrieval, then a TriageResult (pure data).

Every front end (CLI, Discord) calls `TriageService.answer`; renderers turn the result into
terminal text, JSON or Discord embeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.redflags import Level, RedFlagChecker, RedFlagReport
from bot.retrieval.retriever import RetrievedAnswer, Retriever
from bot.scopes import GLOBAL_SCOPE, searched_scopes
from bot.store.database import Database
from bot.store.questions import RaisedFlagRecord, record_question

# The safety net also covers what the cited answers are about: the answers a reply shows first.
SAFETY_NET_FROM_ANSWERS = 3
ADVICE_WITHHELD = (
    "Exercise advice is left out for this question: what it describes needs a clinician "
    "first, not a stretching routine."
)


@dataclass(frozen=True)
class QuestionScope:
    """Where a question was asked and what that place has opted into."""

    scope: str = GLOBAL_SCOPE
    include_global: bool = True
    emergency_number: str | None = None
    keep_flagged_text: bool = False

    @property
    def searched_scopes(self) -> list[str]:
        return searched_scopes(self.scope, self.include_global)


@dataclass(frozen=True)
class TriageResult:
    """What the bot would say to one question."""

    question: str
    answers: list[RetrievedAnswer]
    red_flags: RedFlagReport
    advice_withheld: bool = False
    build_ids: dict[str, str] = field(default_factory=dict)
    question_id: int | None = None
    """The stored question's row id, when the service records questions."""

    @property
    def no_answer(self) -> bool:
        return not self.answers

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of docs/contracts.md (`triagebot ask --json`)."""
        return {
            "question": self.question,
            "answers": [
                {
                    "id": a.id,
                    "title": a.title,
                    "score": round(float(a.score), 4),
                    "excerpt": a.excerpt,
                    "author": a.author,
                    "source_url": a.source_url,
                    "tags": list(a.tags),
                }
                for a in self.answers
            ],
            "no_answer": self.no_answer,
            "red_flags": self.red_flags.to_dict(),
            "advice_withheld": self.advice_withheld,
        }


class TriageService:
    """Answers questions; records them (and raised flags) when given a store."""

    def __init__(
        self, checker: RedFlagChecker, retriever: Retriever, database: Database | None = None
    ) -> None:
        self.checker = checker
        self.retriever = retriever
        self.database = database

    def answer(
        self,
        question: str,
        where: QuestionScope | None = None,
        *,
        k: int = 3,
        use_threshold: bool = True,
        asker: str | None = None,
        channel: str = "cli",
    ) -> TriageResult:
        where = where or QuestionScope()
        report = self.checker.check(question, emergency_number=where.emergency_number)
        if report.level is Level.EMERGENCY:
            # The referral is the whole reply: exercise advice would only distract from it.
            result = TriageResult(question, [], report, advice_withheld=True)
        else:
            found = self.retriever.search(
                question, where.searched_scopes, k=k, use_threshold=use_threshold
            )
            tags = {tag for a in found.answers[:SAFETY_NET_FROM_ANSWERS] for tag in a.tags}
            if tags:
                report = report.with_safety_net(self.checker.safety_net(question, tags))
            result = TriageResult(question, list(found.answers), report, build_ids=found.build_ids)
        question_id = self._record(result, where, asker, channel)
        return replace(result, question_id=question_id)

    def _record(
        self, result: TriageResult, where: QuestionScope, asker: str | None, channel: str
    ) -> int | None:
        if self.database is None:
            return None
        with self.database.session() as session:
            return record_question(
                session,
                scope=where.scope,
                text=result.question,
                # An emergency referral is a complete reply; it is not queued for moderators.
                answered=bool(result.answers) or result.advice_withheld,
                answer_ids=[a.id for a in result.answers],
                red_flag_level=result.red_flags.level.value,
                flags=[
                    RaisedFlagRecord(level=f.level.value, rule_id=f.id)
                    for f in result.red_flags.flags
                ],
                asker=asker,
                channel=channel,
                keep_flagged_text=where.keep_flagged_text,
            )
