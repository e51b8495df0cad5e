"""The speech model: loaded off the UI thread; without one, a panel downloads or adds one."""

from __future__ import annotations

import itertools
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from agent_assist.asr.catalogue import CatalogueEntry
from agent_assist.asr.fetch import Opener, Response, part_path
from agent_assist.asr.locate import InstalledModel, is_model_dir
from agent_assist.asr.model import LoadedModel
from agent_assist.ui.controllers.model_controller import LoadModel, ModelController, load_for_calls
from agent_assist.ui.controllers.model_download_controller import (
    DOWNLOADS,
    ModelDownloadController,
)
from agent_assist.ui.views.model_panel import ModelPanel
from tests.core.asr.test_fetch import MODEL, entry_for, model_zip
from tests.support.http_server import FileServer, serve_files


@dataclass
class Panel:
    view: ModelPanel
    models: ModelController
    downloads: ModelDownloadController
    models_dir: Path


def stand_in_load(installed: InstalledModel) -> LoadedModel:
    # The served archive holds a stand-in model Vosk cannot read (real loads are tested below).
    return LoadedModel(installed.path, installed.name, 16000, None, installed.lang)


@pytest.fixture
def panels(qtbot: QtBot) -> Iterator[list[Panel]]:
    made: list[Panel] = []
    yield made
    for panel in made:  # no worker outlives its widgets
        assert panel.downloads.wait(30)
        assert panel.models.wait(60)


@pytest.fixture
def server() -> Iterator[FileServer]:
    with serve_files() as running:
        yield running


def make_panel(
    qtbot: QtBot,
    panels: list[Panel],
    models_dir: Path,
    *,
    downloads: Mapping[str, CatalogueEntry] = DOWNLOADS,
    load: LoadModel = stand_in_load,
    opener: Opener = urllib.request.urlopen,
) -> Panel:
    view = ModelPanel()
    qtbot.addWidget(view)
    models = ModelController(models_dir, view, load=load)
    controller = ModelDownloadController(view, models, downloads=downloads, opener=opener)
    panels.append(Panel(view, models, controller, models_dir))
    return panels[-1]


def missing_panel(qtbot: QtBot, panel: Panel) -> None:
    """Start with no Mandarin model installed: the panel appears."""
    with qtbot.waitSignal(panel.models.missing, timeout=10_000) as missing:
        panel.models.start(None, "zh")
    assert missing.args == ["zh-CN"]
    assert not panel.view.isHidden()


def test_without_a_model_the_panel_explains_and_offers_both_downloads(
    qtbot: QtBot, panels: list[Panel], tmp_path: Path
) -> None:
    panel = make_panel(qtbot, panels, tmp_path / "models")
    assert panel.view.isHidden()
    with qtbot.waitSignal(panel.models.changed, timeout=10_000) as changed:
        missing_panel(qtbot, panel)
    assert changed.args == [None, "No speech model installed: demo call only"]
    view = panel.view
    assert "Mandarin" in view.heading.text()
    assert "leaves" in view.explanation.text()  # nothing leaves the PC
    assert view.download_zh.text() == "Download Mandarin model (44 MB)"
    assert view.download_en.text() == "Download English model (41 MB)"
    assert view.download_zh.isEnabled()
    assert view.choose_folder.isEnabled()
    assert view.progress.isHidden()
    assert view.cancel.isHidden()
    view.dismiss.click()  # the window stays usable without a model: the demo call works
    assert view.isHidden()
    panel.downloads.reopen()  # File → Speech model… brings it back
    assert not view.isHidden()
    assert view.download_zh.isEnabled()


def test_a_folder_that_is_not_a_model_is_a_clear_message(
    qtbot: QtBot, panels: list[Panel], tmp_path: Path
) -> None:
    panel = make_panel(qtbot, panels, tmp_path / "models")
    (tmp_path / "empty").mkdir()
    with qtbot.waitSignal(panel.models.failed, timeout=10_000) as failed:
        panel.models.start(str(tmp_path / "empty"), "zh")
    assert "is not a Vosk model folder" in failed.args[0]
    assert not panel.view.isHidden()
    assert "is not a Vosk model folder" in panel.view.message.text()
    assert panel.view.choose_folder.isEnabled()  # another folder or a download fixes it


@pytest.mark.real
def test_a_download_shows_progress_installs_and_loads(
    qtbot: QtBot, panels: list[Panel], server: FileServer, tmp_path: Path
) -> None:
    data = model_zip()
    server.add("/m.zip", data)
    entry = entry_for(data, server.url("/m.zip"))
    panel = make_panel(qtbot, panels, tmp_path / "models", downloads={"zh-CN": entry})
    view = panel.view
    assert view.download_en.isHidden()  # only what can be downloaded is offered
    missing_panel(qtbot, panel)
    seen: list[tuple[int, str]] = []
    view.progress.valueChanged.connect(lambda value: seen.append((value, view.status.text())))

    states: list[tuple[object, str]] = []
    panel.models.changed.connect(lambda model, status: states.append((model, status)))

    with qtbot.waitSignal(panel.models.ready, timeout=10_000) as ready:
        view.download_zh.click()
        assert not view.download_zh.isEnabled()  # one download at a time

    model = ready.args[0]
    assert isinstance(model, LoadedModel)
    assert states == [
        (None, f"Loading the speech model {MODEL}…"),
        (model, f"Speech model: {MODEL}"),
    ]
    assert (model.path, model.lang) == (tmp_path / "models" / MODEL, "zh-CN")
    assert is_model_dir(model.path)
    assert seen[-1] == (1000, "0.3 of 0.3 MB")
    assert [value for value, _ in seen] == sorted(value for value, _ in seen)
    assert view.isHidden()


class GatedOpener:
    """Real HTTP, but after the first chunk each read waits until ``gate`` is set."""

    def __init__(self) -> None:
        self.gate = threading.Event()

    def __call__(self, request: urllib.request.Request, *, timeout: float) -> Response:
        return _GatedResponse(urllib.request.urlopen(request, timeout=timeout), self.gate)


class _GatedResponse:
    def __init__(self, inner: Response, gate: threading.Event) -> None:
        self._inner = inner
        self._gate = gate
        self._reads = 0
        self.status: int = inner.status
        self.headers: Message = inner.headers

    def read(self, amt: int, /) -> bytes:
        if self._reads:
            assert self._gate.wait(10)
        self._reads += 1
        return self._inner.read(amt)

    def close(self) -> None:
        self._inner.close()


@pytest.mark.real
def test_cancel_keeps_the_part_and_download_again_resumes(
    qtbot: QtBot, panels: list[Panel], server: FileServer, tmp_path: Path
) -> None:
    data = model_zip()
    server.add("/m.zip", data)
    entry = entry_for(data, server.url("/m.zip"))
    opener = GatedOpener()
    panel = make_panel(
        qtbot, panels, tmp_path / "models", downloads={"zh-CN": entry}, opener=opener
    )
    view = panel.view
    missing_panel(qtbot, panel)

    view.download_zh.click()
    qtbot.waitUntil(lambda: view.progress.value() > 0, timeout=10_000)  # mid-way
    assert not view.cancel.isHidden()
    view.cancel.click()
    opener.gate.set()
    qtbot.waitUntil(lambda: not view.message.isHidden(), timeout=10_000)
    assert "cancelled" in view.message.text()
    assert view.download_zh.isEnabled()
    kept = part_path(entry, panel.models_dir).stat().st_size
    assert 0 < kept < len(data)

    with qtbot.waitSignal(panel.models.ready, timeout=10_000):
        view.download_zh.click()
    assert server.range_headers("/m.zip") == [None, f"bytes={kept}-"]
    assert not part_path(entry, panel.models_dir).exists()
    assert view.isHidden()


@pytest.mark.real
def test_a_checksum_mismatch_is_a_clear_message(
    qtbot: QtBot, panels: list[Panel], server: FileServer, tmp_path: Path
) -> None:
    data = model_zip()
    server.add("/m.zip", data)
    good = entry_for(data, server.url("/m.zip"))
    tampered = CatalogueEntry(good.lang, MODEL, good.url, "0" * 64, len(data), "")
    panel = make_panel(qtbot, panels, tmp_path / "models", downloads={"zh-CN": tampered})
    view = panel.view
    missing_panel(qtbot, panel)

    view.download_zh.click()
    qtbot.waitUntil(lambda: not view.message.isHidden(), timeout=10_000)

    assert view.message.text().startswith("The download failed:")
    assert "SHA-256" in view.message.text()
    assert not (panel.models_dir / MODEL).exists()
    assert view.download_zh.isEnabled()
    assert view.progress.isHidden()


@pytest.mark.real
@pytest.mark.slow
def test_choosing_the_korean_model_folder_makes_it_ready(
    qtbot: QtBot, panels: list[Panel], tmp_path: Path, korean_model_path: Path
) -> None:
    panel = make_panel(qtbot, panels, tmp_path / "models", load=load_for_calls)
    view = panel.view
    missing_panel(qtbot, panel)

    chosen: list[str] = []
    panel.downloads.folder_chosen.connect(chosen.append)
    view.choose_folder.click()
    dialog = view.findChild(QFileDialog)
    assert dialog is not None
    with qtbot.waitSignal(panel.models.ready, timeout=60_000) as ready:
        dialog.selectFile(str(korean_model_path))
        dialog.accept()

    model = ready.args[0]
    assert isinstance(model, LoadedModel)
    assert model.path == panel.models_dir / korean_model_path.name  # copied in: it stays
    assert chosen == [str(model.path)]  # and the settings will name it
    assert model.vosk_model is not None
    assert view.isHidden()


@pytest.mark.real
@pytest.mark.slow
def test_loading_a_real_model_leaves_the_event_loop_turning(
    qtbot: QtBot, panels: list[Panel], tmp_path: Path, korean_model_path: Path
) -> None:
    panel = make_panel(qtbot, panels, tmp_path / "models", load=load_for_calls)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    statuses: list[str] = []
    panel.models.loading.connect(statuses.append)

    timer.start()
    with qtbot.waitSignal(panel.models.ready, timeout=60_000) as ready:
        panel.models.start(str(korean_model_path), "ko")
    timer.stop()

    assert ready.args[0].vosk_model is not None
    assert statuses == [f"Loading the speech model {korean_model_path.name}…"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert len(ticks) > 50  # the load takes seconds; the loop ticked all along
    assert max(gaps) < 0.5
