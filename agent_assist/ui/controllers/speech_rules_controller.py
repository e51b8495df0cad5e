"""The settings dialog's language and speech model, rule pack and script library: the
bundled or installed ones, or a folder the user chooses, checked off the UI thread by the
same loaders a call uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSignalBlocker, Slot

from agent_assist.asr.locate import InstalledModel
from agent_assist.errors import UserError
from agent_assist.settings import Settings
from agent_assist.ui.controllers.settings_relay import SettingsRelay
from agent_assist.ui.controllers.settings_widgets import select_value, show_message
from agent_assist.ui.views.settings_dialog import SettingsDialog

CALL_LANGUAGE = {"zh": "zh-CN", "en": "en-US"}  # the calls' language of each window language


class SpeechRulesController(QObject):
    """Owned by the dialog; its strings are in the SettingsController translation context."""

    def __init__(
        self,
        dialog: SettingsDialog,
        settings: Settings,
        *,
        language: str,
        speech_models: Sequence[InstalledModel],
        missing_model_files: Callable[[Path], Sequence[str]],
        rule_packs: Sequence[str],  # bundled ids
        load_rule_pack: Callable[[Path], object],  # UserError listing the folder's problems
        script_libraries: Sequence[str],  # bundled ids
        load_script_library: Callable[[Path], object],  # UserError listing its problems
    ) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._models = speech_models
        self._missing_model_files = missing_model_files
        self._load_rule_pack = load_rule_pack
        self._load_script_library = load_script_library
        self._relay = SettingsRelay()
        self._relay.done.connect(self._folder_checked)

        d = dialog
        with QSignalBlocker(d.ui_language):
            d.ui_language.setCurrentIndex(
                max(0, d.ui_language.findData(settings.ui_language or language))
            )
        self._list_models(settings.speech_model)
        self._fill_rules(settings, rule_packs, script_libraries)
        d.ui_language.currentIndexChanged.connect(self._refill_models)
        d.choose_model.clicked.connect(self._choose_model)
        d.choose_pack.clicked.connect(self._choose_pack)
        d.choose_library.clicked.connect(self._choose_library)

    def values(self) -> dict[str, object]:
        """The choices as the dialog now shows them (``Settings`` field names)."""
        d = self.dialog
        return {
            "speech_model": d.speech_model.currentData(),
            "rule_pack": d.rule_pack.currentData(),
            "script_library": d.script_library.currentData(),
            "ui_language": d.ui_language.currentData(),
        }

    # --- language and speech model ---------------------------------------------

    @Slot()
    def _refill_models(self) -> None:
        self._list_models(self.dialog.speech_model.currentData())

    def _list_models(self, chosen: str | None) -> None:
        """The installed models for the window language's calls, keeping ``chosen``."""
        d = self.dialog
        lang = CALL_LANGUAGE.get(str(d.ui_language.currentData()), "")
        d.speech_model.clear()
        d.speech_model.addItem(
            QCoreApplication.translate(
                "SettingsController", "Automatic: the installed model for the language"
            ),
            None,
        )
        for model in self._models:
            if model.lang == lang:
                d.speech_model.addItem(model.name, str(model.path))
        select_value(d.speech_model, chosen, chosen or "")

    @Slot()
    def _choose_model(self) -> None:
        folder = self.dialog.choose_folder(
            QCoreApplication.translate("SettingsController", "Choose a speech model folder")
        )
        if folder is None:
            return
        missing = self._missing_model_files(folder)
        if missing:
            show_message(
                self.dialog.model_message,
                QCoreApplication.translate(
                    "SettingsController",
                    "{folder} is not a Vosk speech model: it lacks {files}. Choose the folder "
                    "that holds the model's am and conf folders.",
                ).format(folder=folder, files=", ".join(missing)),
            )
            return
        show_message(self.dialog.model_message, "")
        select_value(self.dialog.speech_model, str(folder), str(folder))

    # --- rule pack and script library ---------------------------------------------

    def _fill_rules(
        self, settings: Settings, rule_packs: Sequence[str], script_libraries: Sequence[str]
    ) -> None:
        d = self.dialog
        d.rule_pack.addItem(
            QCoreApplication.translate(
                "SettingsController", "Automatic: the bundled pack for the call's language"
            ),
            None,
        )
        for pack in rule_packs:
            d.rule_pack.addItem(pack, pack)
        select_value(d.rule_pack, settings.rule_pack, settings.rule_pack or "")
        d.script_library.addItem(
            QCoreApplication.translate(
                "SettingsController", "Automatic: the bundled library for the call's language"
            ),
            None,
        )
        for library in script_libraries:
            d.script_library.addItem(library, library)
        select_value(d.script_library, settings.script_library, settings.script_library or "")

    @Slot()
    def _choose_pack(self) -> None:
        self._check_folder(
            "rule_pack",
            QCoreApplication.translate("SettingsController", "Choose a rule pack folder"),
            self._load_rule_pack,
        )

    @Slot()
    def _choose_library(self) -> None:
        self._check_folder(
            "script_library",
            QCoreApplication.translate("SettingsController", "Choose a script library folder"),
            self._load_script_library,
        )

    def _check_folder(self, task: str, title: str, load: Callable[[Path], object]) -> None:
        folder = self.dialog.choose_folder(title)
        if folder is None:
            return
        show_message(
            self.dialog.rules_message,
            QCoreApplication.translate("SettingsController", "Checking {folder}…").format(
                folder=folder
            ),
        )

        def checked() -> Path:
            load(folder)  # raises with every problem the folder has
            return folder

        self._relay.spawn(task, checked)

    @Slot(str, object)
    def _folder_checked(self, task: str, result: object) -> None:
        d = self.dialog
        combo = {"rule_pack": d.rule_pack, "script_library": d.script_library}[task]
        if isinstance(result, UserError):
            show_message(self.dialog.rules_message, str(result))
            return
        show_message(self.dialog.rules_message, "")
        select_value(combo, str(result), str(result))
