"""The Publish tab's versions of a pack or library: as listed for the trainer (newest
first, who published each, which one the chosen scope's desktops run, where each is
active) and as the versions table shows them."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from agent_assist.store.library_repo import EVERY_TEAM, SHIPPED, Kind, Published
from agent_assist.ui.rows_model import RowsModel

ACTIVE_COLOUR = QColor("#1b5e20")
SHA_SHOWN = 12


@dataclass(frozen=True)
class VersionRow:
    published: Published
    by: str
    active: bool


@dataclass(frozen=True)
class Listing:
    kind: Kind
    ref: str
    rows: tuple[VersionRow, ...]
    team: str | None = None  # the scope listed: one team's desktops, None for every team's

    def active(self) -> VersionRow | None:
        return next((row for row in self.rows if row.active), None)

    def before_active(self) -> str | None:
        """What a rollback of the listed scope goes back to, as the repository does it: the
        version published before the scope's own one (the list is newest first, the
        repository's order); past the oldest, SHIPPED for every team, and for a team, past
        the versions newer than every team's, EVERY_TEAM. None: nothing to roll back."""
        own = next(
            (at for at, r in enumerate(self.rows) if self.team in r.published.active_for), None
        )
        if own is None:
            return None
        older = self.rows[own + 1 :]
        if self.team is None:
            return older[0].published.version if older else SHIPPED
        every = next((at for at, r in enumerate(self.rows) if None in r.published.active_for), None)
        if not older or (every is not None and own + 1 >= every):
            return EVERY_TEAM
        return older[0].published.version


class VersionsModel(RowsModel[VersionRow]):
    def columns(self) -> tuple[str, ...]:
        return (
            self.tr("Version"),
            self.tr("Published by"),
            self.tr("When"),
            self.tr("SHA-256"),
            self.tr("Active"),
            self.tr("Active for"),
        )

    def cells(self, row: VersionRow) -> tuple[str, ...]:
        p = row.published
        when = p.published_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return (
            p.version,
            row.by,
            when,
            p.sha256[:SHA_SHOWN],
            self.tr("ACTIVE") if row.active else "",
            ", ".join(self.tr("All teams") if t is None else t for t in p.active_for),
        )

    def foreground(self, row: VersionRow, column: int) -> QColor | None:
        return ACTIVE_COLOUR if row.active else None

    def tooltip(self, row: VersionRow, column: int) -> str | None:
        return row.published.sha256 if column == 3 else None
