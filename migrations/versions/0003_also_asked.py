"""answers.also_asked: other ways members ask what an answer answers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 16:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("answers", "answer_revisions")


def upgrade() -> None:
    # Nullable so that existing rows need no rewrite; the store reads NULL as no phrasings.
    for table in TABLES:
        op.add_column(table, sa.Column("also_asked", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("also_asked")
