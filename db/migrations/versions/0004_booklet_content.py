"""booklet content: the plan's preface, mayor's message, methodology and values

Revision ID: 0004_booklet_content
Revises: 0003_plan_lifecycle
Create Date: 2026-11-30

Adds columns only (no table rebuild), so the freeze triggers of 0003 stay in place.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_booklet_content"
down_revision: str | None = '0003_plan_lifecycle'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOOKLET_TEXTS = ("preface", "mayor_message", "methodology", "plan_values")


def upgrade() -> None:
    with op.batch_alter_table("strategic_plan") as batch:
        for name in BOOKLET_TEXTS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("strategic_plan") as batch:
        for name in reversed(BOOKLET_TEXTS):
            batch.drop_column(name)
