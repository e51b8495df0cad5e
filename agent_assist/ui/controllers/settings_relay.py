"""The settings dialog's slow work (device probing, playback, folder checks, the connection
test, the user list) on threads of its own, each result carried back to the UI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from agent_assist.errors import UserError

_log = logging.getLogger(__name__)


class SettingsRelay(QObject):
    """Runs work on a thread and emits its result on ``done``. Not owned by the dialog, so
    a result that arrives after the dialog closed still has a live sender; connect ``done``
    to a slot of a controller the dialog owns, and the result goes nowhere once it is gone."""

    done = Signal(str, object)  # task, its value or the UserError it raised

    def spawn(self, task: str, work: Callable[[], object]) -> None:
        defect = UserError(
            QCoreApplication.translate(
                "SettingsController",
                "Something went wrong inside Agent Assist; the details are in its log. "
                "Try again, or restart Agent Assist.",
            )
        )

        def run() -> None:
            result: object
            try:
                result = work()
            except UserError as exc:
                result = exc
            except Exception:  # a defect: logged, and the dialog still answers
                _log.exception("settings: %s failed", task)
                result = defect
            self.done.emit(task, result)

        threading.Thread(target=run, name=f"settings-{task}", daemon=True).start()
