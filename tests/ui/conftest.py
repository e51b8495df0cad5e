"""Safety nets for every window test."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def _no_modal_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A modal message box in an offscreen test waits forever for a click: fail at once
    instead (a test that expects one replaces it). Afterwards, collect the test's Qt
    objects here, on the main thread: a collection that happens to run on a worker
    thread would delete widgets there, which Qt does not survive. What survives the
    collection is then frozen (out of the collector's sight, as the desktop does after its
    warm-up): the next test's collection walks only what that test made, a few
    milliseconds instead of a few hundred across the whole heap. Frozen objects are never
    collected, on any thread; reference counting still frees them."""

    def refuse(*args: Any, **_kwargs: Any) -> None:
        raise AssertionError(f"a modal message box opened in a test: {args[1:3]}")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
    yield
    gc.collect()
    gc.freeze()
