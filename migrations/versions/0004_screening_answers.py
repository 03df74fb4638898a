"""screening answers, and the safety-net topics a reply listed

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reply_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("member_hash", sa.String(length=64), nullable=False),
        sa.Column("concern", sa.String(length=120), nullable=False),
        sa.Column("applies", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["asked_questions.id"],
            name=op.f("fk_screening_answers_question_id_asked_questions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_answers")),
        sa.UniqueConstraint(
            "reply_id",
            "member_hash",
            "concern",
            name="uq_screening_answers_reply_id_member_hash_concern",
        ),
    )
    # Nullable so that existing replies need no rewrite: NULL reads as no safety-net topics.
    op.add_column("replies", sa.Column("safety_net", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("replies") as batch:
        batch.drop_column("safety_net")
    op.drop_table("screening_answers")
