"""A Qt binding that mishandles references would abort a long call, not fail a test.

PySide6 6.12.0 returned ``True`` from ``Signal.emit()`` without a reference of its
own: every event the bridge carried cost ``True`` one reference, and after some
thousands Python aborted ("bool_dealloc"). The pinned binding must keep them even.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    fired = Signal(object)


def test_emitting_a_signal_keeps_the_reference_counts_of_true_and_false(qtbot: QtBot) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for n in range(200):
        emitter.fired.emit(n)
    assert len(received) == 200
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
