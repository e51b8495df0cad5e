"""Slow work off the UI thread, its outcome back through queued signals.

The work runs on a plain thread; ``done`` gets its result, ``failed`` the exception.
Both signals belong to a QObject of the UI thread, so Qt queues their delivery there
and only slots on the UI thread touch widgets. A window closed meanwhile is no error:
the outcome then has nobody to go to and is dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import SignalInstance


def emit_if_alive(signal: SignalInstance, value: object) -> bool:
    """Emit; False when the signal's object was deleted (its window closed)."""
    try:
        signal.emit(value)
    except RuntimeError:
        return False
    return True


def in_background(
    name: str, work: Callable[[], object], done: SignalInstance, failed: SignalInstance
) -> threading.Thread:
    def run() -> None:
        try:
            result = work()
        except Exception as exc:  # reported on the UI thread, never raised here
            emit_if_alive(failed, exc)
        else:
            emit_if_alive(done, result)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread
