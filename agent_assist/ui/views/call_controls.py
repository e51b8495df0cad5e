"""Call controls: start, end, demo, how long the call runs, what the app is doing, and a
level meter per side. Layout only."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QWidget,
)

METER_STEPS = 100  # a meter's range: 0 (silence) … METER_STEPS (full scale)


class CallControls(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_action = QAction(self.tr("Start call"), self)
        self.start_action.setToolTip(self.tr("Listen to the headset and follow the call live"))
        self.stop_action = QAction(self.tr("End call"), self)
        self.demo_action = QAction(self.tr("Demo call"), self)
        self.demo_action.setToolTip(self.tr("Play a scripted call: no microphone or model needed"))
        for action in (self.start_action, self.stop_action, self.demo_action):
            action.setEnabled(False)  # the controller enables what can be done

        buttons = QHBoxLayout()
        for action in (self.start_action, self.stop_action, self.demo_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setMinimumHeight(30)
            buttons.addWidget(button)

        self.timer = QLabel("00:00")
        self.timer.setStyleSheet("font-family:monospace;font-size:14pt")
        self.timer.setToolTip(self.tr("How long the call has run"))

        self.collector_meter = _meter()
        self.debtor_meter = _meter()
        meters = QGridLayout()
        meters.setVerticalSpacing(2)
        for row, (label, meter) in enumerate(
            ((self.tr("Collector"), self.collector_meter), (self.tr("Debtor"), self.debtor_meter))
        ):
            meters.addWidget(QLabel(label), row, 0)
            meters.addWidget(meter, row, 1)

        # What the app is doing: loading the model, listening, or what went wrong and what to do.
        self.status = QLabel()
        self.status.setWordWrap(True)

        strip = QHBoxLayout(self)
        strip.setContentsMargins(6, 4, 6, 4)
        strip.addLayout(buttons)
        strip.addSpacing(12)
        strip.addWidget(self.timer)
        strip.addSpacing(12)
        strip.addLayout(meters)
        strip.addSpacing(12)
        strip.addWidget(self.status, 1)


def _meter() -> QProgressBar:
    meter = QProgressBar()
    meter.setRange(0, METER_STEPS)
    meter.setValue(0)
    meter.setTextVisible(False)
    meter.setFixedHeight(10)
    meter.setFixedWidth(180)
    return meter
