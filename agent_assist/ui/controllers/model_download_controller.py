"""The model panel's behaviour: download a model (progress, cancel, resume) or add a folder.

Shown when the model controller finds no model for the language, or cannot load
the one it found; hidden once a model is ready. Downloads and copies run on a
worker thread and report through queued signals. A cancelled download keeps
its partial file, and the next download of that model resumes it.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QPushButton

from agent_assist.asr.catalogue import CATALOGUE, CatalogueEntry
from agent_assist.asr.fetch import FetchCancelled, Opener, add_model, fetch_model
from agent_assist.errors import UserError
from agent_assist.ui.controllers.model_controller import ModelController
from agent_assist.ui.views.model_panel import ModelPanel

DOWNLOADS: Mapping[str, CatalogueEntry] = {e.lang: e for e in CATALOGUE if e.downloadable}

_MB = 1_000_000

T = TypeVar("T")


def _mb(size: int) -> str:
    return f"{size / _MB:.1f}"


class ModelDownloadController(QObject):
    # Worker → UI thread.
    _progress = Signal(object, object)  # bytes done, total bytes (None when unknown)
    _installed = Signal(str, str)  # model spec to load (language or folder), its language
    _stopped = Signal(str)  # why nothing was installed
    # A model folder the collector chose: kept in the settings, so the next start finds it.
    folder_chosen = Signal(str)

    def __init__(
        self,
        panel: ModelPanel,
        models: ModelController,
        *,
        downloads: Mapping[str, CatalogueEntry] = DOWNLOADS,
        opener: Opener = urllib.request.urlopen,
    ) -> None:
        super().__init__(panel)
        self.panel = panel
        self._models = models
        self._downloads = downloads
        self._opener = opener
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._buttons: dict[str, QPushButton] = {
            "zh-CN": panel.download_zh,
            "en-US": panel.download_en,
        }
        for lang, button in self._buttons.items():
            entry = downloads.get(lang)
            button.setVisible(entry is not None)
            if entry is not None:
                size = f"{(entry.size_bytes or 0) / _MB:.0f}"
                button.setText(self._download_text(lang, size))
                button.clicked.connect(lambda _=False, lang=lang: self.download(lang))
        panel.choose_folder.clicked.connect(self.choose_folder)
        panel.cancel.clicked.connect(self.cancel)
        panel.dismiss.clicked.connect(self.dismiss)
        # Closing the window stops a download; its partial file stays for the next time.
        cancel = self._cancel
        panel.destroyed.connect(lambda *_: cancel.set())
        self._progress.connect(self._on_progress)
        self._installed.connect(self._on_installed)
        self._stopped.connect(self._on_stopped)
        models.missing.connect(self._on_missing)
        models.failed.connect(self._on_failed)
        models.loading.connect(self._on_loading)
        models.ready.connect(self._on_ready)

    def _download_text(self, lang: str, size: str) -> str:
        if lang == "zh-CN":
            return self.tr("Download Mandarin model ({size} MB)").format(size=size)
        return self.tr("Download English model ({size} MB)").format(size=size)

    @Slot(str)
    def download(self, lang: str) -> None:
        """Download, verify and install the catalogue model for ``lang``, then load it."""
        entry = self._downloads[lang]
        self._cancel.clear()
        self._busy(self.tr("Connecting…"), cancellable=True)
        self._work(self._fetch, entry)

    @Slot()
    def choose_folder(self) -> None:
        dialog = QFileDialog(self.panel, self.tr("Choose a speech model folder"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda folder: self.add_folder(Path(folder)))
        dialog.open()

    def add_folder(self, folder: Path) -> None:
        """Copy a model folder into the models folder, then load it."""
        self._busy(self.tr("Adding the model from {folder}…").format(folder=folder))
        self._work(self._add, folder)

    @Slot()
    def cancel(self) -> None:
        """Stop the download; the part already downloaded is kept for resuming."""
        self._cancel.set()

    @Slot()
    def dismiss(self) -> None:
        self._cancel.set()
        self.panel.hide()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the latest download or copy has finished (within ``timeout`` seconds)."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _work(self, target: Callable[[T], None], argument: T) -> None:
        self._thread = threading.Thread(
            target=target,
            args=(argument,),
            name="ui-model-install",
            daemon=True,
        )
        self._thread.start()

    def _fetch(self, entry: CatalogueEntry) -> None:
        try:
            fetch_model(
                entry,
                self._models.models_dir,
                progress=self._progress.emit,
                opener=self._opener,
                cancel=self._cancel,
            )
        except FetchCancelled:
            self._stopped.emit(
                self.tr(
                    "Download cancelled. The part already downloaded is kept: "
                    "press the download button again to resume."
                )
            )
        except UserError as exc:
            self._stopped.emit(self.tr("The download failed: {reason}").format(reason=exc))
        else:
            self._installed.emit(entry.lang, entry.lang)

    def _add(self, folder: Path) -> None:
        try:
            installed = add_model(folder, self._models.models_dir)
        except UserError as exc:
            self._stopped.emit(str(exc))
        else:
            self._installed.emit(str(installed), self._models.language)

    def _busy(self, status: str, *, cancellable: bool = False) -> None:
        p = self.panel
        for button in (*self._buttons.values(), p.choose_folder):
            button.setEnabled(False)
        p.message.hide()
        p.progress.setRange(0, 0)  # busy until sizes are known
        p.progress.show()
        p.status.setText(status)
        p.status.show()
        p.cancel.setVisible(cancellable)

    def _idle(self) -> None:
        p = self.panel
        for button in (*self._buttons.values(), p.choose_folder):
            button.setEnabled(True)
        for widget in (p.progress, p.status, p.cancel):
            widget.hide()

    @Slot(object, object)
    def _on_progress(self, done: int, total: int | None) -> None:
        p = self.panel
        if total:
            p.progress.setRange(0, 1000)
            p.progress.setValue(min(1000, done * 1000 // total))
            p.status.setText(
                self.tr("{done} of {total} MB").format(done=_mb(done), total=_mb(total))
            )
        else:
            p.status.setText(self.tr("{done} MB").format(done=_mb(done)))

    @Slot()
    def reopen(self) -> None:
        """Show the panel again (after "Not now", or to change the model)."""
        self.panel.heading.setText(self.tr("Download or choose a speech model"))
        if self._thread is None or not self._thread.is_alive():
            self._idle()
            self.panel.message.hide()
        self.panel.show()

    @Slot(str, str)
    def _on_installed(self, spec: str, language: str) -> None:
        if spec != language:  # a folder, not a catalogue download
            self.folder_chosen.emit(spec)
        self._models.start(spec, language)

    @Slot(str)
    def _on_stopped(self, message: str) -> None:
        self._idle()
        self.panel.message.setText(message)
        self.panel.message.show()

    @Slot(str)
    def _on_missing(self, lang: str) -> None:
        names = {"zh-CN": self.tr("Mandarin"), "en-US": self.tr("English")}
        self.panel.heading.setText(
            self.tr("No {language} speech model is installed").format(
                language=names.get(lang, lang)
            )
        )
        self._idle()
        self.panel.message.hide()
        self.panel.show()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.panel.heading.setText(self.tr("The speech model could not be loaded"))
        self._on_stopped(message)
        self.panel.show()

    @Slot(str)
    def _on_loading(self, status: str) -> None:
        if not self.panel.isHidden():
            self._busy(status)

    @Slot(object)
    def _on_ready(self, _model: object) -> None:
        self._idle()
        self.panel.hide()
