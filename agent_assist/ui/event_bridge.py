"""Carries a call's events from its session thread onto the Qt thread.

A plain thread drains ``CallSession.events()`` and emits each event through a
signal; Qt queues the delivery to the receiver's (GUI) thread, so only UI
slots touch widgets. Events are immutable values, safe to hand across.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal

from agent_assist.events import CallEnded, Event


class EventBridge(QObject):
    received = Signal(object)  # one Event
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None

    def pump(self, events: Iterable[Event], record: Callable[[Event], None] | None = None) -> None:
        """Start forwarding ``events`` (stored first through ``record``, when given)."""

        def run() -> None:
            for event in events:
                if record is not None:
                    record(event)  # kept before it is shown
                self.received.emit(event)
                if isinstance(event, CallEnded):
                    break
            self.finished.emit()

        self._thread = threading.Thread(target=run, name="ui-event-bridge", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()
