"""SQLAlchemy models. Alembic migrations in migrations/ are the only way this schema is
created or changed; a test fails when these models and the migrations disagree."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so that migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ACTIVE = "active"
RETIRED = "retired"


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Answer(Base):
    """A curated answer. `public_id` is the id users see; it is unique within a scope."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("scope", "public_id", name="uq_answers_scope_public_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), index=True)
    public_id: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    question: Mapped[str | None] = mapped_column(Text)
    also_asked: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    content_hash: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))

    revisions: Mapped[list[AnswerRevision]] = relationship(
        back_populates="answer", order_by="AnswerRevision.revision", cascade="all, delete-orphan"
    )


class AnswerRevision(Base):
    """Every version an answer has had, including status changes, with who made it."""

    __tablename__ = "answer_revisions"
    __table_args__ = (
        UniqueConstraint("answer_id", "revision", name="uq_answer_revisions_answer_id_revision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    question: Mapped[str | None] = mapped_column(Text)
    also_asked: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(300))

    answer: Mapped[Answer] = relationship(back_populates="revisions")


class AskedQuestion(Base):
    """A question put to the bot. The asker is kept only as a salted hash, and the text
    only while the question is unanswered (moderators need it to write an answer)."""

    __tablename__ = "asked_questions"
    __table_args__ = (Index("ix_asked_questions_unanswered", "scope", "answered", "text_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    asker_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    text_key: Mapped[str | None] = mapped_column(String(64))
    answered: Mapped[bool] = mapped_column(Boolean)
    red_flag_level: Mapped[str] = mapped_column(String(16), default="none")
    answer_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(16), default="cli")


class Feedback(Base):
    """A helpful / not helpful vote on a reply: one vote per member per reply."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("reply_id", "member_hash", name="uq_feedback_reply_id_member_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reply_id: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("asked_questions.id", ondelete="SET NULL")
    )
    scope: Mapped[str] = mapped_column(String(64))
    member_hash: Mapped[str] = mapped_column(String(64))
    helpful: Mapped[bool] = mapped_column(Boolean)
    answer_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Reply(Base):
    """A reply the bot sent: the answers it ranked, how many it has shown so far, and
    where it searched, so that "more answers" and feedback work after a restart."""

    __tablename__ = "replies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("asked_questions.id", ondelete="SET NULL")
    )
    scope: Mapped[str] = mapped_column(String(64))
    answer_refs: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    """[scope, answer id] pairs, best first: the shown answers, then the next ones."""
    shown: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    safety_net: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    """The safety-net topics the reply listed, for its "one of these applies to me" button."""


class ScreeningAnswer(Base):
    """A member's yes or no to a screening question (or to a safety-net list) under a reply.

    Stored like feedback: the member only as a salted hash, one answer per member, reply and
    concern (answering again changes it), deleted with everything else by forget-me.
    """

    __tablename__ = "screening_answers"
    __table_args__ = (
        UniqueConstraint(
            "reply_id",
            "member_hash",
            "concern",
            name="uq_screening_answers_reply_id_member_hash_concern",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reply_id: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("asked_questions.id", ondelete="SET NULL")
    )
    scope: Mapped[str] = mapped_column(String(64))
    member_hash: Mapped[str] = mapped_column(String(64))
    concern: Mapped[str] = mapped_column(String(120))
    """A catalogue concern id, or "safety-net" for the "one of these applies to me" button."""
    applies: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Phrasing(Base):
    """A member's question offered as another way of asking an existing answer.

    Offered when a reply showed answers (the question's text and the top answer, kept only
    as long as unanswered questions are); proposed when a member marks that reply helpful;
    confirmed or rejected by a moderator. A confirmed phrasing of the scope's own answer is
    written into the answer's `also_asked`; one of a shared answer (the starter corpus)
    stays here as an overlay that only this scope's index reads. Until it is confirmed the
    asker is kept only as a salted hash, and forget-me deletes the row.
    """

    __tablename__ = "phrasings"
    __table_args__ = (Index("ix_phrasings_scope_status", "scope", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))
    """The scope whose searches the phrasing serves."""
    answer_scope: Mapped[str] = mapped_column(String(64))
    answer_id: Mapped[str] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    reply_id: Mapped[str | None] = mapped_column(String(64), index=True)
    member_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RedFlagEvent(Base):
    """A raised red flag: level and rule always; the message only where the guild opted in."""

    __tablename__ = "red_flag_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("asked_questions.id", ondelete="SET NULL")
    )
    scope: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(16))
    rule_id: Mapped[str] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IndexBuildRecord(Base):
    """One index build of one scope, as the builder reported it."""

    __tablename__ = "index_builds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), index=True)
    build_id: Mapped[str] = mapped_column(String(64), unique=True)
    model: Mapped[str] = mapped_column(String(300))
    dimension: Mapped[int] = mapped_column(Integer)
    answer_count: Mapped[int] = mapped_column(Integer, default=0)
    passage_count: Mapped[int] = mapped_column(Integer, default=0)
    embedded_count: Mapped[int] = mapped_column(Integer, default=0)
    corpus_checksum: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EmbeddingCacheEntry(Base):
    """A text's embedding, keyed by model and content hash, so rebuilds embed only changes."""

    __tablename__ = "embedding_cache"

    model: Mapped[str] = mapped_column(String(300), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    dimension: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Who changed what: every moderator or operator action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class GuildSettings(Base):
    """Per-guild configuration, changed through /triage config."""

    __tablename__ = "guild_settings"

    guild_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    help_forum_channel_id: Mapped[str | None] = mapped_column(String(64))
    curator_role_id: Mapped[str | None] = mapped_column(String(64))
    emergency_number: Mapped[str | None] = mapped_column(String(32))
    use_global_corpus: Mapped[bool] = mapped_column(Boolean, default=True)
    record_flagged_text: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))


class AppSecret(Base):
    """Secrets the app makes for itself, such as the salt for hashing askers."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
