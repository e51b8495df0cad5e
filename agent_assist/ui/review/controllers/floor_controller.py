"""The live floor's behaviour: a ``FloorWatcher`` thread reads the floor, and each new
snapshot crosses to the UI thread by a queued signal before it touches the tables."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from agent_assist.errors import UserError
from agent_assist.store.floor import FloorSnapshot, FloorWatcher
from agent_assist.ui.background import emit_if_alive
from agent_assist.ui.review.floor_model import CriticalFlagsModel, FloorCallsModel
from agent_assist.ui.review.views.floor_panel import FloorPanel

log = logging.getLogger(__name__)

OnChange = Callable[[FloorSnapshot], None]
OnError = Callable[[Exception], None]
# Builds the watcher (not yet started) that reports to the two callbacks.
Watch = Callable[[OnChange, OnError], FloorWatcher]


class FloorController(QObject):
    _changed = Signal(object)  # FloorSnapshot
    _failed = Signal(object)  # the exception

    def __init__(
        self,
        panel: FloorPanel,
        watch: Watch,
        explain: Callable[[str], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self._watch = watch
        self._watcher: FloorWatcher | None = None
        self.calls = FloorCallsModel(self)
        self.critical = CriticalFlagsModel(explain, self)
        panel.calls.setModel(self.calls)
        panel.critical.setModel(self.critical)
        panel.status.setText(self.tr("Watching the floor…"))
        self._changed.connect(self._show)
        self._failed.connect(self._problem)

    def start(self) -> None:
        if self._watcher is not None:
            return
        # The signals are bound here: emitting them after the window is gone is then a
        # dropped snapshot, not an error on the watcher's thread.
        changed, failed = self._changed, self._failed

        def on_change(snapshot: FloorSnapshot) -> None:
            emit_if_alive(changed, snapshot)

        def on_error(error: Exception) -> None:
            emit_if_alive(failed, error)

        self._watcher = self._watch(on_change, on_error)
        self._watcher.start()

    def stop(self) -> None:
        """End the watcher's thread (the window closes). Touches no widget."""
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    @Slot(object)
    def _show(self, snapshot: FloorSnapshot) -> None:
        self.calls.set_rows(snapshot.calls)
        self.critical.set_rows(snapshot.critical)
        self.panel.status.setText(
            self.tr("{calls} calls in progress, {critical} critical flags").format(
                calls=len(snapshot.calls), critical=len(snapshot.critical)
            )
        )

    @Slot(object)
    def _problem(self, error: Exception) -> None:
        if isinstance(error, UserError):
            self.panel.status.setText(str(error))
            return
        log.error("the live floor could not be read", exc_info=error)
        self.panel.status.setText(
            self.tr("The floor could not be read ({0}); trying again.").format(error)
        )
