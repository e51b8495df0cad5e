"""Alerts during a call: the banner for a crossed line, cue cards, tone nudges. Layout only.

Calm when nothing happens (a grey line, no colour); a collector line crossed is a
red banner that stays until it is acknowledged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# What a card is about: its colours (background, border).
CARD_STYLES = {
    "cue": ("#fff8e1", "#f0a020"),  # the debtor said something to answer
    "warning": ("#fdecea", "#d32f2f"),  # a collector flag below critical
    "missed": ("#fdecea", "#d32f2f"),  # a required statement not said in time
}


class AlertBanner(QFrame):
    """A collector line crossed: red, large, until the collector acknowledges it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setStyleSheet(
            "#alertBanner{background:#b00020;border-radius:4px}"
            "#alertBanner QLabel{color:white}"
            "#alertBanner QPushButton{background:white;color:#b00020;font-weight:bold;"
            "padding:6px 14px;border-radius:3px}"
        )
        self.category = QLabel()
        self.category.setStyleSheet("font-size:18pt;font-weight:bold")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("font-size:13pt")
        # How many lines were crossed since the last acknowledgement, when more than one.
        self.count = QLabel()
        self.count.setStyleSheet("font-size:13pt;font-weight:bold")
        self.count.hide()
        self.acknowledge = QPushButton(self.tr("Acknowledge"))
        title = QHBoxLayout()
        title.addWidget(self.category)
        title.addSpacing(16)
        title.addWidget(self.count)
        title.addStretch(1)
        text = QVBoxLayout()
        text.addLayout(title)
        text.addWidget(self.explanation)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 10, 12, 10)
        row.addLayout(text, 1)
        row.addWidget(self.acknowledge, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()


class AlertCard(QFrame):
    """One debtor cue, collector warning or missed statement: what it is, what was said,
    and the line to answer with."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        background, border = CARD_STYLES[kind]
        self.setObjectName("alertCard")
        self.setStyleSheet(
            f"#alertCard{{background:{background};border-left:4px solid {border};"
            "border-radius:3px}"
        )
        self.title = QLabel()
        self.title.setStyleSheet("font-weight:bold")
        self.said = QLabel()  # rich text: the words that matched are bold
        self.said.setWordWrap(True)
        self.said.setTextFormat(Qt.TextFormat.RichText)
        self.reply = QLabel()
        self.reply.setWordWrap(True)
        self.reply.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reply.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 6)
        column.setSpacing(2)
        column.addWidget(self.title)
        column.addWidget(self.said)
        column.addWidget(self.reply)


class AlertsPanel(QWidget):
    """The side column's alerts: a passing nudge, then cards, newest on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Alerts"))
        self.title.setStyleSheet("font-weight:bold")
        # A tone nudge (too fast, too loud, talking over): shown a few seconds, then gone.
        self.nudge = QLabel()
        self.nudge.setWordWrap(True)
        self.nudge.setStyleSheet("color:#7a4f00;background:#fff3cd;padding:4px;font-style:italic")
        self.nudge.hide()
        self.calm = QLabel(self.tr("Nothing needs your attention."))
        self.calm.setStyleSheet("color:#9e9e9e")

        holder = QWidget()
        self._cards = QVBoxLayout(holder)
        self._cards.setContentsMargins(0, 0, 0, 0)
        self._cards.addStretch(1)  # cards gather at the top
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(holder)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.nudge)
        column.addWidget(self.calm)
        column.addWidget(scroll, 1)

    def add_card(self, card: AlertCard) -> None:
        """Put ``card`` on top: the newest is read first."""
        self._cards.insertWidget(0, card)
        self.calm.hide()

    def remove_card(self, card: AlertCard) -> None:
        self._cards.removeWidget(card)
        card.hide()
        card.deleteLater()
        self.calm.setVisible(not self.cards())

    def cards(self) -> list[AlertCard]:
        """The cards shown, newest first."""
        items = (self._cards.itemAt(i) for i in range(self._cards.count()))
        found = (item.widget() for item in items if item is not None)
        return [card for card in found if isinstance(card, AlertCard)]
