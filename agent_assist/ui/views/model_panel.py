"""The speech model panel: why a model is needed, download one or choose a folder. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class ModelPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#modelPanel{background:#fff8e1}")

        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight:bold")
        self.heading.setWordWrap(True)
        self.dismiss = QPushButton(self.tr("Not now"))
        self.explanation = QLabel(
            self.tr(
                "Live transcripts and flags need a speech model for the call's language. "
                "Speech is recognised on this PC: no audio or text leaves it. Download a "
                "model once, or choose a model folder you already have. The demo call "
                "works without one."
            )
        )
        self.explanation.setWordWrap(True)

        # Labelled with the language and size by the controller (sizes from the catalogue).
        self.download_zh = QPushButton()
        self.download_en = QPushButton()
        self.choose_folder = QPushButton(self.tr("Choose a model folder…"))

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.status = QLabel()  # MB done of total, or what is happening
        self.cancel = QPushButton(self.tr("Cancel"))
        # What went wrong and what to do.
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b00020")
        for widget in (self.progress, self.status, self.cancel, self.message):
            widget.hide()

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.dismiss)
        actions = QHBoxLayout()
        for button in (self.download_zh, self.download_en, self.choose_folder):
            actions.addWidget(button)
        actions.addStretch(1)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.status)
        progress.addWidget(self.cancel)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.explanation)
        column.addLayout(actions)
        column.addLayout(progress)
        column.addWidget(self.message)
        self.hide()  # until the model controller finds no usable model
