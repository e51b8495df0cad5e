"""The settings dialog's database: the embedded file or a team server's URL, shown with
its password masked, and a connection test off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Slot

from agent_assist.errors import UserError
from agent_assist.store.url_masking import mask_password, restore_password
from agent_assist.ui.controllers.settings_relay import SettingsRelay
from agent_assist.ui.views.settings_dialog import SettingsDialog


class DatabaseSettingController(QObject):
    """Owned by the dialog; its strings are in the SettingsController translation context."""

    def __init__(
        self,
        dialog: SettingsDialog,
        saved_url: str | None,
        check_database: Callable[[str], str | None],  # its schema revision; UserError if not
        *,
        embedded_database: Path,
        from_env: bool,
    ) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._saved_url = saved_url
        self._check_database = check_database
        self._relay = SettingsRelay()
        self._relay.done.connect(self._connection_tested)
        self._tested_url = ""

        d = dialog
        d.embedded_path.setText(str(embedded_database))
        d.server_url.setText(mask_password(saved_url, saved_url) if saved_url else "")
        (d.embedded if saved_url is None else d.server).setChecked(True)
        d.database_env.setVisible(from_env)
        self._database_mode()
        d.embedded.toggled.connect(self._database_mode)
        d.test_connection.clicked.connect(self.test_connection)

    def url(self) -> str | None:
        """The URL the dialog now shows, its saved password put back; None for the
        embedded database. UserError when the server's URL is missing."""
        if self.dialog.embedded.isChecked():
            return None
        typed = self.dialog.server_url.text().strip()
        if not typed:
            raise UserError(
                QCoreApplication.translate(
                    "SettingsController",
                    "Enter the team server's URL, e.g. "
                    "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE, or choose the "
                    "embedded database.",
                )
            )
        return restore_password(typed, self._saved_url or "")

    @Slot()
    def _database_mode(self) -> None:
        server = self.dialog.server.isChecked()
        self.dialog.server_url.setEnabled(server)
        self.dialog.test_connection.setEnabled(server)

    @Slot()
    def test_connection(self) -> None:
        status = self.dialog.connection_status
        try:
            url = self.url()
        except UserError as exc:
            status.setText(str(exc))
            return
        if url is None:
            return
        self._tested_url = url
        self.dialog.test_connection.setEnabled(False)
        status.setText(QCoreApplication.translate("SettingsController", "Connecting…"))
        check = self._check_database
        self._relay.spawn("database", lambda: check(url))

    @Slot(str, object)
    def _connection_tested(self, _task: str, result: object) -> None:
        self._database_mode()
        if isinstance(result, UserError):
            text = QCoreApplication.translate(
                "SettingsController", "Cannot connect: {problem}"
            ).format(problem=result)
        elif result is None:
            text = QCoreApplication.translate(
                "SettingsController",
                "Connected. The database is empty: Agent Assist creates its tables when it "
                "starts with it.",
            )
        else:
            text = QCoreApplication.translate("SettingsController", "Connected.")
        self.dialog.connection_status.setText(mask_password(text, self._tested_url))
