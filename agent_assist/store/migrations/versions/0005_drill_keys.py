"""Drill keys: a drill's writes replay from a spool without duplicates

Revision ID: 0005
Revises: 0004

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("drill_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_drill_sessions_key"), ["key"], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("drill_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drill_sessions_key"))
    # Not in the batch: on SQLite a batch rebuilds the table, and dropping the old one
    # deletes every drill's turns (foreign keys on, ON DELETE CASCADE). SQLite 3.35+
    # drops the column in place.
    op.drop_column("drill_sessions", "key")
