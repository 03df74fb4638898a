"""phrasings: members' questions offered, proposed and confirmed as ways of asking an answer

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 19:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "phrasings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("answer_scope", sa.String(length=64), nullable=False),
        sa.Column("answer_id", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reply_id", sa.String(length=64), nullable=True),
        sa.Column("member_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phrasings")),
    )
    op.create_index("ix_phrasings_scope_status", "phrasings", ["scope", "status"])
    op.create_index(op.f("ix_phrasings_reply_id"), "phrasings", ["reply_id"])
    op.create_index(op.f("ix_phrasings_member_hash"), "phrasings", ["member_hash"])


def downgrade() -> None:
    op.drop_index(op.f("ix_phrasings_member_hash"), table_name="phrasings")
    op.drop_index(op.f("ix_phrasings_reply_id"), table_name="phrasings")
    op.drop_index("ix_phrasings_scope_status", table_name="phrasings")
    op.drop_table("phrasings")
