"""What the Publish tab asks the trainer (the version to publish under, saving first, a
rollback) and the texts naming a version and the draft being edited. The controller holds
the questions as attributes of these types, so tests answer them without a modal dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from agent_assist.publishing.working_copy import WorkingCopy
from agent_assist.store.library_repo import EVERY_TEAM, SHIPPED, Kind

# (kind, ref, suggested version) → the version to publish under; None: cancelled.
AskVersion = Callable[[Kind, str, str], str | None]
# (files with unsaved changes) → True: save them and publish.
AskSave = Callable[[list[str]], bool]
# (ref, active version, version rolled back to or SHIPPED) → True: roll back.
ConfirmRollback = Callable[[str, str, str], bool]


def ask_version(parent: QWidget, kind: Kind, ref: str, suggested: str) -> str | None:
    title = QCoreApplication.translate("Publish", "Publish this draft")
    label = QCoreApplication.translate("Publish", "Publish {0} as version:").format(ref)
    text, chosen = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, suggested)
    return (text.strip() or None) if chosen else None


def ask_save(parent: QWidget, files: list[str]) -> bool:
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("Publish", "Unsaved changes"),
        QCoreApplication.translate(
            "Publish", "Only saved files are published, and {0} has unsaved changes. Save now?"
        ).format(", ".join(files)),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    return answer == QMessageBox.StandardButton.Save


def confirm_rollback(parent: QWidget, ref: str, current: str, back_to: str) -> bool:
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("Publish", "Roll back"),
        QCoreApplication.translate(
            "Publish", "Roll {0} back from {1} to {2}? Desktops run {2} from their next call."
        ).format(ref, current, version_name(back_to)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def version_name(version: str) -> str:
    if version == SHIPPED:
        return QCoreApplication.translate("Publish", "the files shipped with the app")
    if version == EVERY_TEAM:
        return QCoreApplication.translate("Publish", "all teams' version")
    return version


def describe_draft(folder: str, copy: WorkingCopy | None) -> str:
    """Which folder the window edits and what it started from."""
    if copy is None:
        return QCoreApplication.translate("Publish", "Editing the folder {0}.").format(folder)
    if copy.started_from == SHIPPED:
        started = QCoreApplication.translate("Publish", "from the shipped files")
    elif copy.started_from is None:
        started = QCoreApplication.translate("Publish", "its origin was not recorded")
    else:
        started = QCoreApplication.translate("Publish", "from published {0}").format(
            copy.started_from
        )
    return QCoreApplication.translate("Publish", "Editing the working copy {0} ({1}).").format(
        folder, started
    )
