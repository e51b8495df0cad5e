"""Review queue indexes

Revision ID: 0004
Revises: 0003

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calls_team_severity",
            ["team_id", "max_severity", "critical_count", "started_at"],
            unique=False,
        )
        batch_op.create_index("ix_calls_team_started", ["team_id", "started_at"], unique=False)

    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flags_category"))
        batch_op.create_index("ix_flags_category", ["category", "call_id", "state"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index("ix_flags_category")
        batch_op.create_index(
            batch_op.f("ix_flags_category"), ["category", "call_id"], unique=False
        )

    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index("ix_calls_team_started")
        batch_op.drop_index("ix_calls_team_severity")
