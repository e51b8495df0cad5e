"""The trainer window's "Publish" tab: whom the actions are for (all teams or one team),
and per rule pack and script library being edited, the draft's folder, the published
versions (the active one marked, where each is active), Publish this draft…, Make active,
Roll back… and a status line. Layout only; ``publish_controller`` holds the behaviour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_assist.store.library_repo import Kind, TeamRef


class PublishSection(QGroupBox):
    """One pack or library: its draft, its versions, its buttons."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.draft = QLabel()
        self.draft.setWordWrap(True)
        self.draft.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions = QTableView()
        self.versions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions.horizontalHeader().setStretchLastSection(True)
        self.versions.verticalHeader().setVisible(False)
        self.publish = QPushButton(self.tr("Publish this draft…"))
        self.activate = QPushButton(self.tr("Make active"))
        self.rollback = QPushButton(self.tr("Roll back…"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.publish)
        buttons.addStretch(1)
        buttons.addWidget(self.activate)
        buttons.addWidget(self.rollback)
        column = QVBoxLayout(self)
        column.addWidget(self.draft)
        column.addWidget(self.versions, 1)
        column.addLayout(buttons)
        column.addWidget(self.status)


class PublishPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(
            self.tr(
                "Publishing makes a version the one desktops run from their next call, "
                "without a restart: for all teams, or for one team first, whose desktops then "
                "run it instead of all teams' version. Every publish, activation and rollback "
                "is recorded with your name."
            )
        )
        self.heading.setWordWrap(True)
        self.refresh = QPushButton(self.tr("Refresh"))
        self.scope = QComboBox()  # None: all teams, else the team (a TeamRef)
        self.scope.addItem(self.tr("All teams"), None)
        scope_label = QLabel(self.tr("For:"))
        scope_label.setBuddy(self.scope)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(scope_label)
        top.addWidget(self.scope)
        top.addWidget(self.refresh)
        self._column = QVBoxLayout(self)
        self._column.addLayout(top)
        self.sections: dict[Kind, PublishSection] = {}

    def set_teams(self, teams: list[TeamRef]) -> None:
        """The "For:" choices: all teams, then each team; the chosen one stays chosen,
        without a change signal (the listing shown is its own already)."""
        shown = [self.scope.itemData(at) for at in range(1, self.scope.count())]
        if shown == teams:
            return
        chosen = self.scope.currentData()
        self.scope.blockSignals(True)
        while self.scope.count() > 1:
            self.scope.removeItem(1)
        for team in teams:
            self.scope.addItem(team.name, team)
        self.scope.setCurrentIndex(max(self.scope.findData(chosen), 0))
        self.scope.blockSignals(False)

    def add_section(self, kind: Kind, title: str) -> PublishSection:
        section = PublishSection(title)
        self.sections[kind] = section
        self._column.addWidget(section, 1)
        return section
