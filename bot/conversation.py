"""Questions and replies as a chat front end sees them, with no chat library in sight.

A guild's question is answered in the guild's own scope (plus the starter corpus unless
the guild turned it off), with the guild's emergency number. The reply is stored with the
answers it ranked but did not show yet, so that the "more answers" and feedback buttons
work from the reply's id alone, after a restart too.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.corpus.records import AnswerRecord, Citation
from bot.errors import TriagebotError
from bot.redflags.referral import compose_message, safety_net_referral
from bot.redflags.report import Level
from bot.redflags.rules import Rule, RuleSet
from bot.retrieval.retriever import RetrievedAnswer
from bot.scopes import GLOBAL_SCOPE
from bot.store.answers import AnswerRepository
from bot.store.database import Database
from bot.store.guilds import GuildConfig, load_guild_config
from bot.store.phrasings import offer as offer_phrasing
from bot.store.phrasings import propose_from_reply as propose_phrasing
from bot.store.questions import get_or_create_salt, hash_asker
from bot.store.replies import AnswerRef, Vote, answers_page, record_vote, save_reply
from bot.store.screening import SAFETY_NET, record_escalation, record_screening_answer
from bot.triage import QuestionScope, TriageResult, TriageService

SHOWN_PER_REPLY = 3
RANKED_PER_REPLY = 9
MORE_EXCERPT_CHARS = 600
SCREENING_NO = (
    "Thanks for answering. The answers above stand; if anything changes, or you are worried, "
    "see a clinician."
)


@dataclass(frozen=True)
class Reply:
    """One answered question: what to show now, and whether more answers are held back."""

    result: TriageResult
    reply_id: str
    has_more: bool

    @property
    def shown(self) -> list[RetrievedAnswer]:
        return self.result.answers[:SHOWN_PER_REPLY]


@dataclass(frozen=True)
class AnswersPage:
    """A page of "more answers": `end` is how many of the ranked answers a member who saw
    it has seen (what their vote under it is about), `more` whether others follow."""

    answers: list[RetrievedAnswer]
    end: int
    more: bool


@dataclass(frozen=True)
class ScreeningReply:
    """What to tell a member who answered a screening question or a safety-net list."""

    text: str
    level: Level | None
    """The referral's level after a yes; None after a no."""


class Conversation:
    """What the Discord bot (or any chat front end) asks of the core."""

    def __init__(self, service: TriageService, database: Database) -> None:
        self.service = service
        self.database = database

    def guild_config(self, guild_id: int | str | None) -> GuildConfig:
        if guild_id is None:
            return GuildConfig(guild_id=GLOBAL_SCOPE)
        with self.database.session() as session:
            return load_guild_config(session, str(guild_id))

    def scope_for(self, guild_id: int | str | None) -> QuestionScope:
        if guild_id is None:
            return QuestionScope()
        config = self.guild_config(guild_id)
        return QuestionScope(
            scope=str(guild_id),
            include_global=config.use_global_corpus,
            emergency_number=config.emergency_number,
            keep_flagged_text=config.record_flagged_text,
        )

    def ask(
        self, question: str, guild_id: int | str | None, asker: str, channel: str = "discord"
    ) -> Reply:
        """Answer `question` and store the reply (blocking: run it off the event loop)."""
        where = self.scope_for(guild_id)
        result = self.service.answer(
            question, where, k=RANKED_PER_REPLY, asker=asker, channel=channel
        )
        ranked = [AnswerRef(a.scope, a.id) for a in result.answers]
        shown = min(SHOWN_PER_REPLY, len(ranked))
        with self.database.session() as session:
            reply_id = save_reply(
                session,
                scope=where.scope,
                question_id=result.question_id,
                ranked=ranked,
                shown=shown,
                safety_net=[topic.topic for topic in result.red_flags.safety_net],
            )
            if _may_become_a_phrasing(result):
                top = result.answers[0]
                offer_phrasing(
                    session,
                    scope=where.scope,
                    reply_id=reply_id,
                    text=question,
                    answer_scope=top.scope,
                    answer_id=top.id,
                    member_hash=hash_asker(get_or_create_salt(session), asker),
                )
        return Reply(result=result, reply_id=reply_id, has_more=len(ranked) > shown)

    def answer_screening(
        self, reply_id: str, member: str, concern: str, applies: bool
    ) -> ScreeningReply:
        """Store a member's yes or no to a screening question; what to tell them next.

        A yes is the referral for that concern (and counts as a raised red flag); a no keeps
        the answers as they were given.
        """
        rule = self._rule(concern)
        with self.database.session() as session:
            answered = record_screening_answer(session, reply_id, member, concern, applies)
            if applies and answered.vote is not Vote.UNCHANGED:
                record_escalation(session, answered, rule.level.value, rule.id)
        if not applies:
            return ScreeningReply(SCREENING_NO, None)
        number = self.guild_config(_guild(answered.scope)).emergency_number
        return ScreeningReply(compose_message([rule], number) or rule.title, rule.level)

    def safety_net_applies(self, reply_id: str, member: str) -> ScreeningReply:
        """A member says one of the "get help now" signs under a reply applies to them."""
        with self.database.session() as session:
            answered = record_screening_answer(session, reply_id, member, SAFETY_NET, True)
            topics = [t for t in self._rules.safety_net if t.id in answered.safety_net]
            rules = list({rule.id: rule for t in topics for rule in t.signs}.values())
            if rules and answered.vote is not Vote.UNCHANGED:
                top = max(rules, key=lambda rule: rule.level.rank)
                record_escalation(session, answered, top.level.value, SAFETY_NET)
        number = self.guild_config(_guild(answered.scope)).emergency_number
        level = max((rule.level for rule in rules), default=Level.EMERGENCY)
        return ScreeningReply(safety_net_referral(rules, number), level)

    @property
    def _rules(self) -> RuleSet:
        return self.service.checker.rules

    def _rule(self, concern: str) -> Rule:
        try:
            return self._rules.get(concern)
        except KeyError:
            raise TriagebotError(
                "that question is no longer known to the bot; ask your question again"
            ) from None

    def more_answers(self, reply_id: str, start: int | None = None) -> AnswersPage:
        """A page of the answers a reply ranked but did not show, from position `start`
        (default: right after the reply's own)."""
        with self.database.session() as session:
            page = answers_page(session, reply_id, start, SHOWN_PER_REPLY)
            repository = AnswerRepository(session)
            answers = []
            for ref in page.refs:
                stored = repository.find(ref.scope, ref.id)
                if stored is not None and stored.status == "active":
                    answers.append(_as_retrieved(stored.record, ref.scope))
            return AnswersPage(answers, page.end, page.more)

    def vote(self, reply_id: str, member: str, helpful: bool, seen: int | None = None) -> Vote:
        """A member's vote on the answers they were shown (see `record_vote`). A helpful
        vote proposes the reply's question as a phrasing of its top answer, for a moderator
        to confirm."""
        with self.database.session() as session:
            vote = record_vote(session, reply_id, member, helpful, seen)
            if helpful:
                propose_phrasing(session, reply_id)
            return vote


def _may_become_a_phrasing(result: TriageResult) -> bool:
    """A reply that showed answers to a question raising no concern: a red-flagged
    question is not kept as corpus text, and a withheld reply showed nothing to vote on."""
    return (
        bool(result.answers)
        and not result.advice_withheld
        and result.red_flags.level is Level.NONE
        and not result.red_flags.confirm
    )


def _guild(scope: str) -> str | None:
    return None if scope == GLOBAL_SCOPE else scope


def _as_retrieved(record: AnswerRecord, scope: str) -> RetrievedAnswer:
    return RetrievedAnswer(
        **Citation.fields_of(record),
        scope=scope,
        score=0.0,
        excerpt=_opening(record.body),
        highlights=(),
    )


def _opening(body: str) -> str:
    """The first paragraphs of an answer, up to a budget: the excerpt of a "more" answer."""
    excerpt = ""
    for paragraph in body.strip().split("\n\n"):
        if excerpt and len(excerpt) + len(paragraph) > MORE_EXCERPT_CHARS:
            break
        excerpt = f"{excerpt}\n\n{paragraph}" if excerpt else paragraph
    return excerpt
