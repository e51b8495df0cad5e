"""Settings: audio set-up with live meters, language and speech model, rule pack and
script library, database, signed-in user. Layout only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

# The meters span this many dB below full scale; quieter shows as empty.
METER_RANGE_DB = 60


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)

        tabs = QTabWidget()
        tabs.addTab(self._audio_tab(), self.tr("Audio"))
        tabs.addTab(self._speech_tab(), self.tr("Language and speech"))
        tabs.addTab(self._rules_tab(), self.tr("Rules and scripts"))
        tabs.addTab(self._database_tab(), self.tr("Database"))
        tabs.addTab(self._user_tab(), self.tr("User"))
        self.tabs = tabs

        # Why OK did nothing (the settings file could not be written, a choice is missing).
        self.error = _message_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(tabs)
        column.addWidget(self.error)
        column.addWidget(self.buttons)

    def _audio_tab(self) -> QWidget:
        self.audio_mode = QComboBox()
        self.audio_mode.addItem(self.tr("One device per speaker"), "devices")
        self.audio_mode.addItem(self.tr("One stereo device, one speaker per channel"), "stereo")

        self.agent_device = QComboBox()
        self.debtor_device = QComboBox()
        separate = QFormLayout()
        separate.addRow(self.tr("Collector's microphone"), self.agent_device)
        separate.addRow(self.tr("Debtor (loopback or second device)"), self.debtor_device)

        self.stereo_device = QComboBox()
        self.agent_channel = QComboBox()
        self.agent_channel.addItem(self.tr("Left"), 0)
        self.agent_channel.addItem(self.tr("Right"), 1)
        stereo = QFormLayout()
        stereo.addRow(self.tr("Stereo device"), self.stereo_device)
        stereo.addRow(self.tr("Collector's channel"), self.agent_channel)

        self.mode_pages = QStackedWidget()  # page order follows the mode combo's items
        for form in (separate, stereo):
            page = QWidget()
            form.setContentsMargins(0, 0, 0, 0)
            page.setLayout(form)
            self.mode_pages.addWidget(page)
        self.audio_mode.currentIndexChanged.connect(self.mode_pages.setCurrentIndex)

        self.agent_meter = _meter()
        self.debtor_meter = _meter()
        meters = QFormLayout()
        meters.addRow(self.tr("Collector level"), self.agent_meter)
        meters.addRow(self.tr("Debtor level"), self.debtor_meter)

        self.test_recording = QPushButton(self.tr("Test recording"))
        self.recording_status = QLabel()
        self.recording_status.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_recording)
        test_row.addWidget(self.recording_status, 1)

        self.audio_message = _message_label()  # a missing device, no PortAudio, a lost stream

        tab = QWidget()
        column = QVBoxLayout(tab)
        mode = QFormLayout()
        mode.addRow(self.tr("Set-up"), self.audio_mode)
        column.addLayout(mode)
        column.addWidget(self.mode_pages)
        column.addLayout(meters)
        column.addLayout(test_row)
        column.addWidget(self.audio_message)
        column.addStretch(1)
        return tab

    def _speech_tab(self) -> QWidget:
        self.ui_language = QComboBox()
        # Each language in its own words, so anyone can find theirs.
        self.ui_language.addItem("中文", "zh")
        self.ui_language.addItem("English", "en")
        self.speech_model = QComboBox()
        self.choose_model = QPushButton(self.tr("Choose folder…"))
        self.model_message = _message_label()
        form = QFormLayout()
        form.addRow(self.tr("Window language"), self.ui_language)
        form.addRow("", _note(self.tr("Takes effect when Agent Assist restarts.")))
        form.addRow(self.tr("Speech model"), _with_button(self.speech_model, self.choose_model))
        return _tab(form, self.model_message)

    def _rules_tab(self) -> QWidget:
        self.rule_pack = QComboBox()
        self.choose_pack = QPushButton(self.tr("Choose folder…"))
        self.script_library = QComboBox()
        self.choose_library = QPushButton(self.tr("Choose folder…"))
        # A chosen folder's problems, one per line, as file:line:column: message.
        self.rules_message = _message_label()
        form = QFormLayout()
        form.addRow(self.tr("Rule pack"), _with_button(self.rule_pack, self.choose_pack))
        form.addRow(
            self.tr("Script library"), _with_button(self.script_library, self.choose_library)
        )
        return _tab(form, self.rules_message)

    def _database_tab(self) -> QWidget:
        self.embedded = QRadioButton(self.tr("Embedded database on this PC"))
        self.embedded_path = QLabel()
        self.embedded_path.setWordWrap(True)
        self.server = QRadioButton(self.tr("Team server"))
        self.server_url = QLineEdit()
        self.server_url.setPlaceholderText(
            self.tr("postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE")
        )
        self.test_connection = QPushButton(self.tr("Test connection"))
        self.connection_status = QLabel()
        self.connection_status.setWordWrap(True)
        self.connection_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.database_env = _note(
            self.tr(
                "AGENT_ASSIST_DB_URL is set in this PC's environment: it is used instead "
                "of the database chosen here."
            )
        )
        self.database_env.hide()
        choice = QButtonGroup(self)
        choice.addButton(self.embedded)
        choice.addButton(self.server)
        column = QVBoxLayout()
        column.addWidget(self.embedded)
        column.addWidget(self.embedded_path)
        column.addWidget(self.server)
        column.addWidget(_with_button(self.server_url, self.test_connection))
        column.addWidget(self.connection_status)
        column.addWidget(self.database_env)
        column.addWidget(_note(self.tr("Takes effect when Agent Assist restarts.")))
        tab = QWidget()
        tab.setLayout(column)
        column.addStretch(1)
        return tab

    def _user_tab(self) -> QWidget:
        self.user = QComboBox()
        self.user_status = QLabel()
        self.user_status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Signed in as"), self.user)
        form.addRow("", _note(self.tr("Takes effect when Agent Assist restarts.")))
        return _tab(form, self.user_status)

    def set_level(self, meter: QProgressBar, peak_dbfs: float | None) -> None:
        """Show a speaker's peak level; None empties the meter (no audio from that speaker)."""
        if peak_dbfs is None:
            meter.setValue(0)
            meter.setFormat("")
            return
        meter.setValue(round(max(0.0, METER_RANGE_DB + peak_dbfs) * 100 / METER_RANGE_DB))
        meter.setFormat(self.tr("{level:.0f} dB").format(level=peak_dbfs))

    def choose_folder(self, title: str) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, title)
        return Path(folder) if folder else None

    def restart_prompt(self, text: str) -> tuple[QMessageBox, QPushButton]:
        """A question to restart now or later; the caller opens it. Returns it and its
        "Restart now" button."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Settings saved"), text)
        box.setParent(self, box.windowFlags())
        restart = box.addButton(self.tr("Restart now"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        return box, restart


def _meter() -> QProgressBar:
    meter = QProgressBar()
    meter.setRange(0, 100)
    meter.setValue(0)
    meter.setFormat("")
    return meter


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color:#b00020")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color:#555")
    return label


def _with_button(field: QWidget, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    return row


def _tab(form: QFormLayout, message: QLabel) -> QWidget:
    tab = QWidget()
    column = QVBoxLayout(tab)
    column.addLayout(form)
    column.addWidget(message)
    column.addStretch(1)
    return tab
