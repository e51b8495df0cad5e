"""Finds and loads the speech model on a worker thread, so the window stays responsive.

Loading a real Vosk model takes seconds. The worker reports through a queued
signal; only the outcome of the latest request reaches the public signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from agent_assist import app
from agent_assist.asr.catalogue import normalize_lang
from agent_assist.asr.locate import InstalledModel, installed_models, resolve_model
from agent_assist.asr.model import LoadedModel, RecognizerSettings
from agent_assist.errors import UserError

LoadModel = Callable[[InstalledModel], LoadedModel]

_log = logging.getLogger(__name__)


def load_for_calls(installed: InstalledModel) -> LoadedModel:
    """The model with the decoder settings live calls use."""
    return app.load_installed(installed, RecognizerSettings())


class ModelController(QObject):
    loading = Signal(str)  # what is being loaded, for the status line
    ready = Signal(object)  # the LoadedModel
    missing = Signal(str)  # the catalogue language (zh-CN, en-US) with no model installed
    failed = Signal(str)  # what went wrong and what to do
    # After each of the above: the model (None until ready) and a line saying where it stands.
    changed = Signal(object, str)

    # Worker → UI thread: request number, outcome (the public signal's name), its value.
    _report = Signal(int, str, object)

    def __init__(
        self, models_dir: Path, parent: QObject | None = None, *, load: LoadModel = load_for_calls
    ) -> None:
        super().__init__(parent)
        self.models_dir = models_dir
        self.language = ""  # the language of the latest request
        self._load = load
        self._request = 0
        self._thread: threading.Thread | None = None
        self._report.connect(self._on_report)

    def start(self, spec: str | None, language: str) -> None:
        """Load ``spec`` (a language or a model folder), or the model for ``language`` if None."""
        self._request += 1
        self.language = normalize_lang(language) or language
        self._thread = threading.Thread(
            target=self._run,
            args=(self._request, spec or self.language),
            name="ui-model-load",
            daemon=True,
        )
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the latest request's worker has finished (within ``timeout`` seconds)."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self, request: int, target: str) -> None:
        try:
            lang = normalize_lang(target)
            if lang is not None and all(m.lang != lang for m in installed_models(self.models_dir)):
                self._report.emit(request, "missing", lang)
                return
            installed = resolve_model(target, self.models_dir)
            status = self.tr("Loading the speech model {name}…").format(name=installed.name)
            self._report.emit(request, "loading", status)
            self._report.emit(request, "ready", self._load(installed))
        except UserError as exc:
            self._report.emit(request, "failed", str(exc))
        except Exception:  # a defect: logged, and the window still says what happened
            _log.exception("loading the speech model %r failed", target)
            message = self.tr(
                "The speech model {name} could not be loaded because of an internal error; "
                "the details are in the log. Choose another model folder or restart the app."
            ).format(name=target)
            self._report.emit(request, "failed", message)

    @Slot(int, str, object)
    def _on_report(self, request: int, outcome: str, value: object) -> None:
        if request != self._request:
            return  # a newer request superseded this one
        signals = {
            "loading": self.loading,
            "ready": self.ready,
            "missing": self.missing,
            "failed": self.failed,
        }
        signals[outcome].emit(value)
        if isinstance(value, LoadedModel):
            self.changed.emit(value, self.tr("Speech model: {name}").format(name=value.name))
        elif outcome == "loading":
            self.changed.emit(None, value)
        elif outcome == "missing":
            self.changed.emit(None, self.tr("No speech model installed: demo call only"))
        else:
            self.changed.emit(None, self.tr("No speech model loaded"))
