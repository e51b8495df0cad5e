"""The settings dialog's flow: the saved settings shown, the signed-in user chosen from the
database's users, what changed written on OK, and a restart offered when a change only
applies at start.

Each tab's behaviour has its controller: the audio set-up (``audio_setup_controller``)
and its test recording (``recording_check_controller``), language, speech model and rules
(``speech_rules_controller``), the database (``database_setting_controller``). Everything
from the core arrives in :class:`SettingsServices`, filled by ``ui/run.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSignalBlocker, Slot

from agent_assist.asr.locate import InstalledModel
from agent_assist.audio.convert import Int16Array
from agent_assist.audio.devices import SoundDevice
from agent_assist.errors import UserError
from agent_assist.events import Speaker
from agent_assist.settings import Settings
from agent_assist.store.records import UserRecord
from agent_assist.ui.controllers.audio_setup_controller import AudioSetupController
from agent_assist.ui.controllers.database_setting_controller import DatabaseSettingController
from agent_assist.ui.controllers.recording_check_controller import RecordingCheckController
from agent_assist.ui.controllers.settings_relay import SettingsRelay
from agent_assist.ui.controllers.settings_widgets import select_value, show_message
from agent_assist.ui.controllers.speech_rules_controller import SpeechRulesController
from agent_assist.ui.views.settings_dialog import SettingsDialog

# Settings read once at start: changing them asks to restart.
RESTART_FIELDS = ("database_url", "user", "ui_language")


@dataclass(frozen=True)
class SettingsServices:
    """What the dialog uses from the core and the running app."""

    load_sounddevice: Callable[[], SoundDevice]  # AudioError when PortAudio is missing
    speech_models: Callable[[], Sequence[InstalledModel]]
    missing_model_files: Callable[[Path], Sequence[str]]
    rule_packs: Callable[[], Sequence[str]]  # bundled ids
    load_rule_pack: Callable[[Path], object]  # UserError listing the folder's problems
    script_libraries: Callable[[], Sequence[str]]  # bundled ids
    load_script_library: Callable[[Path], object]  # UserError listing the folder's problems
    check_database: Callable[[str], str | None]  # its schema revision; UserError if unreachable
    active_users: Callable[[], Sequence[UserRecord]]
    save: Callable[[Mapping[str, object]], Settings]
    restart: Callable[[Collection[str]], None]  # the changed settings that needed it
    embedded_database: Path
    database_from_env: bool = False


class SettingsController(QObject):
    def __init__(
        self,
        dialog: SettingsDialog,
        settings: Settings,
        services: SettingsServices,
        *,
        language: str,
        username: str,
    ) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._services = services
        self._relay = SettingsRelay()
        self._relay.done.connect(self._users_found)

        self.audio = AudioSetupController(dialog, settings, services.load_sounddevice)
        self.recording_check = RecordingCheckController(dialog, self.audio)
        self.speech_rules = SpeechRulesController(
            dialog,
            settings,
            language=language,
            speech_models=services.speech_models(),
            missing_model_files=services.missing_model_files,
            rule_packs=services.rule_packs(),
            load_rule_pack=services.load_rule_pack,
            script_libraries=services.script_libraries(),
            load_script_library=services.load_script_library,
        )
        self.database = DatabaseSettingController(
            dialog,
            settings.database_url,
            services.check_database,
            embedded_database=services.embedded_database,
            from_env=services.database_from_env,
        )
        self._fill_user(settings.user or username)
        self._initial = self._values()

        dialog.buttons.accepted.connect(self.save)
        self._relay.spawn("users", services.active_users)

    @property
    def recording(self) -> dict[Speaker, Int16Array]:
        """The last test recording."""
        return self.recording_check.recording

    # --- the signed-in user ----------------------------------------------------

    def _fill_user(self, username: str) -> None:
        self.dialog.user.addItem(username, username)
        self.dialog.user_status.setText(self.tr("Loading the users…"))

    @Slot(str, object)
    def _users_found(self, _task: str, result: object) -> None:
        d = self.dialog
        if isinstance(result, UserError):
            d.user_status.setText(
                self.tr("The users could not be read: {problem}").format(problem=result)
            )
            return
        assert isinstance(result, Sequence)
        current = d.user.currentData()
        with QSignalBlocker(d.user):
            d.user.clear()
            for user in result:
                d.user.addItem(f"{user.display_name} ({user.username})", user.username)
            select_value(
                d.user, current, self.tr("{name} (not an active user)").format(name=current)
            )
        d.user_status.setText(
            ""
            if d.user.currentData() in {u.username for u in result}
            else self.tr("{name} is not an active user of this database: choose another.").format(
                name=current
            )
        )

    # --- saving --------------------------------------------------------------

    def _values(self) -> dict[str, object]:
        """The settings as the dialog now shows them (``Settings`` field names)."""
        return {
            **self.audio.values(),
            **self.speech_rules.values(),
            "database_url": self.database.url(),
            "user": self.dialog.user.currentData(),
        }

    @Slot()
    def save(self) -> None:
        """Write what changed; ask to restart when a change only applies at start."""
        show_message(self.dialog.error, "")
        try:
            values = self._values()
        except UserError as exc:
            show_message(self.dialog.error, str(exc))
            return
        changes = {k: v for k, v in values.items() if v != self._initial[k]}
        if not changes:
            self.dialog.accept()
            return
        try:
            self._services.save(changes)
        except (UserError, OSError) as exc:
            message = self.tr("The settings could not be saved: {problem}").format(problem=exc)
            show_message(self.dialog.error, message)
            return
        pending = [name for name in RESTART_FIELDS if name in changes]
        if not pending:
            self.dialog.accept()
            return
        names = {
            "database_url": self.tr("the database"),
            "user": self.tr("the signed-in user"),
            "ui_language": self.tr("the window language"),
        }
        text = self.tr("Saved. These changes take effect when Agent Assist restarts:")
        box, restart = self.dialog.restart_prompt(
            text + "".join(f"\n• {names[name]}" for name in pending)
        )
        box.finished.connect(lambda _code: self._answered(box.clickedButton() == restart, pending))
        box.open()

    def _answered(self, restart: bool, pending: Collection[str]) -> None:
        if restart:
            try:
                self._services.restart(pending)
            except UserError as exc:
                show_message(self.dialog.error, str(exc))
                return
        self.dialog.accept()
