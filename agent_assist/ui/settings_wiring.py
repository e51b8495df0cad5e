"""The desktop's Settings dialog wired to the core: the services it works with, the check
of a database URL, and starting the desktop again when a setting needs it."""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Sequence

from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from agent_assist import paths
from agent_assist.errors import UserError
from agent_assist.settings import DB_URL_ENV, load_settings, save_settings
from agent_assist.store.database import Database
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.ui.controllers.settings_controller import SettingsController, SettingsServices
from agent_assist.ui.views.settings_dialog import SettingsDialog

# The command-line flags that override a setting, by setting.
SETTING_FLAGS = {"user": "--as", "ui_language": "--lang"}


def open_settings(window: QWidget, db: Database, username: str, lang: str) -> None:
    try:
        settings = load_settings()
    except UserError as exc:
        QMessageBox.warning(window, "Agent Assist", str(exc))
        return
    dialog = SettingsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    services = settings_services(db)
    SettingsController(dialog, settings, services, language=lang, username=username)
    dialog.open()


def settings_services(db: Database) -> SettingsServices:
    """The core behind the Settings dialog, on the open database."""
    from agent_assist.asr.locate import installed_models, missing_model_files
    from agent_assist.cli.devices_cmd import load_sounddevice
    from agent_assist.publishing.active import followed_refs
    from agent_assist.rules.loader import load_pack
    from agent_assist.rules.registry import bundled_packs
    from agent_assist.rules.taxonomy import load_taxonomy
    from agent_assist.script_library import load_library
    from agent_assist.script_library.loader import FILE_NAME
    from agent_assist.store.engine import DB_FILE
    from agent_assist.store.people_repo import SYSTEM

    return SettingsServices(
        load_sounddevice=load_sounddevice,
        speech_models=lambda: installed_models(paths.models_dir()),
        missing_model_files=missing_model_files,
        rule_packs=bundled_packs,
        load_rule_pack=load_pack,
        script_libraries=lambda: followed_refs("script_library"),
        load_script_library=lambda folder: load_library(folder / FILE_NAME, load_taxonomy().keys()),
        check_database=check_database,
        active_users=lambda: PeopleRepository(db).team_members(SYSTEM),
        save=save_settings,
        restart=restart,
        embedded_database=paths.data_dir() / DB_FILE,
        database_from_env=bool(os.environ.get(DB_URL_ENV)),
    )


def check_database(url: str) -> str | None:
    """Connect to ``url`` and read its schema revision, changing nothing."""
    from sqlalchemy.exc import DBAPIError

    from agent_assist.errors import StoreError
    from agent_assist.store.engine import describe, open_engine
    from agent_assist.store.migrate import current_revision, one_line

    try:
        engine = open_engine(url)
    except ValueError as exc:  # a port that is not a number
        raise StoreError(
            f"the database URL is not valid ({exc}); expected "
            "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from exc
    try:
        return current_revision(engine)
    except DBAPIError as exc:
        raise StoreError(
            f"{describe(url)}: {one_line(exc.orig)}. Check the server's address and port, "
            "the user name and the password."
        ) from exc
    finally:
        engine.dispose()


def restart(changed: Collection[str]) -> None:
    """Start the desktop again as it was started, less the flags that would override the
    changed settings, and quit this one."""
    dropped = {SETTING_FLAGS[name] for name in changed if name in SETTING_FLAGS}
    started, _pid = QProcess.startDetached(
        sys.executable, without_options(sys.orig_argv[1:], dropped)
    )
    if not started:
        raise UserError("Agent Assist could not start again; close it and start it yourself.")
    QApplication.quit()


def without_options(args: Sequence[str], options: Collection[str]) -> list[str]:
    """``args`` without ``--option VALUE`` and ``--option=VALUE`` for each of ``options``."""
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in options:
            skip = True
        elif arg.split("=", 1)[0] not in options:
            kept.append(arg)
    return kept
