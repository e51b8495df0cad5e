"""Active versions per team: a version active for every team, or for one team

Revision ID: 0006
Revises: 0005

The primary key changes from (kind, ref) to an id, which neither database alters in
place; the table holds one row per pack or library, so its rows are read, the table is
made again and the rows written back (team_id NULL: active for every team, as before).

"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rows(every_team_only: bool = False) -> list[dict[str, Any]]:
    # Read through typed columns: SQLite hands back set_at as text otherwise, which the
    # insert would refuse.
    old = sa.table("active_versions", *(sa.column(c.name, c.type) for c in _common()))
    query = sa.select(old)
    if every_team_only:
        query = query.where(sa.column("team_id").is_(None))
    return [dict(row._mapping) for row in op.get_bind().execute(query)]


def _common() -> list[sa.Column[Any]]:
    return [
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    rows = _rows()
    op.drop_table("active_versions")
    table = op.create_table(
        "active_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        *_common(),
        sa.ForeignKeyConstraint(["set_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref", "team_id", name="uq_active_versions_team"),
    )
    op.create_index(
        "uq_active_versions_every_team",
        "active_versions",
        ["kind", "ref"],
        unique=True,
        sqlite_where=sa.text("team_id IS NULL"),
        postgresql_where=sa.text("team_id IS NULL"),
    )
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    """Downgrade schema: the every-team rows are kept; a team's own activations are lost
    (its desktops follow the every-team version again)."""
    rows = _rows(every_team_only=True)
    op.drop_index("uq_active_versions_every_team", table_name="active_versions")
    op.drop_table("active_versions")
    table = op.create_table(
        "active_versions",
        *_common(),
        sa.ForeignKeyConstraint(["set_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("kind", "ref"),
    )
    if rows:
        op.bulk_insert(table, rows)
