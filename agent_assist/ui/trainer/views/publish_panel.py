"""The trainer window's "Publish" tab: per rule pack and script library being edited, the
draft's folder, the published versions (the active one marked), Publish this draft…, Make
active, Roll back… and a status line. Layout only; ``publish_controller`` holds the
behaviour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_assist.store.library_repo import Kind


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
                "Publishing makes a version the one every desktop of the team runs from its "
                "next call, without a restart. Every publish, activation and rollback is "
                "recorded with your name."
            )
        )
        self.heading.setWordWrap(True)
        self.refresh = QPushButton(self.tr("Refresh"))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh)
        self._column = QVBoxLayout(self)
        self._column.addLayout(top)
        self.sections: dict[Kind, PublishSection] = {}

    def add_section(self, kind: Kind, title: str) -> PublishSection:
        section = PublishSection(title)
        self.sections[kind] = section
        self._column.addWidget(section, 1)
        return section
