"""replies: what the Discord bot showed, for "more answers" and feedback

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 13:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "replies",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("answer_refs", sa.JSON(), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["asked_questions.id"],
            name=op.f("fk_replies_question_id_asked_questions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replies")),
    )


def downgrade() -> None:
    op.drop_table("replies")
