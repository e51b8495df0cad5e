"""Keeps the rule packs of the next calls compiled while the window is idle.

Compiling a pack holds the interpreter for most of a second: at call start it would freeze
the window. The packs are compiled once the window is up; then, every minute between
calls, the team's active version is asked for again, so a version published meanwhile is
compiled before the call that needs it. The window's thread only starts a short thread:
the database and the compiling are never on it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Slot

log = logging.getLogger(__name__)

CHECK_MS = 60_000

WarmUp = Callable[[Sequence[str]], object]  # compiles what the next call would run


class RulesWarmUpController(QObject):
    def __init__(
        self,
        parent: QObject,
        warm_up: WarmUp,
        busy: Callable[[], bool],
        *,
        check_ms: int = CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self._warm_up = warm_up
        self._busy = busy  # a call is starting or running: it has its pack already
        self._packs: tuple[str, ...] = ()
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check)

    def start(self, packs: Sequence[str]) -> threading.Thread:
        """Compile ``packs`` now, whether a call runs or not, then keep them current."""
        self._packs = tuple(dict.fromkeys(packs))
        self._timer.start()
        return self._run()

    @Slot()
    def check(self) -> threading.Thread | None:
        """Compile the versions the next call would run; None when a call is starting or
        running, or the last check has not finished."""
        if self._busy() or (self._thread is not None and self._thread.is_alive()):
            return None
        return self._run()

    def _run(self) -> threading.Thread:
        packs, warm_up = self._packs, self._warm_up

        def run() -> None:
            try:
                warm_up(packs)
            except Exception:  # the call that needs the pack compiles it and says what is wrong
                log.exception("the rule packs could not be compiled ahead")

        self._thread = threading.Thread(target=run, name="rules", daemon=True)
        self._thread.start()
        return self._thread
