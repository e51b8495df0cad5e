"""Listening around a flag in the review window: both speakers' recorded audio from a few
seconds before the flagged utterance to a few after, played off the UI thread; a call
without a recording says so."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from agent_assist.audio.frames import Frame
from agent_assist.store.audit import read_audit
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.recordings import CallAudioRecorder, register
from agent_assist.ui import review_run
from agent_assist.ui.review.controllers.call_review_controller import CallReviewController
from tests.core.store.builders import flag, team_of
from tests.ui.review.stored_calls import write_call

RATE = 16000


class FakeOutput:
    """Stands in for sounddevice: keeps what it was asked to play; stop() ends a play."""

    def __init__(self, hold: bool = False) -> None:
        self.played: list[tuple[np.ndarray, int]] = []
        self._release = threading.Event()
        if not hold:
            self._release.set()

    def play(self, data: np.ndarray, samplerate: int, blocking: bool) -> None:
        self.played.append((data, samplerate))
        self._release.wait(10)

    def stop(self) -> None:
        self._release.set()


def record(db: Database, folder: Path, call_id: str, seconds: int) -> None:
    """The call's audio: each second of the collector's holds its number, the debtor's minus it."""
    audio = CallAudioRecorder(folder, call_id)
    for second in range(seconds):
        for speaker, sign in (("agent", 1), ("debtor", -1)):
            pcm = np.full(RATE, second * sign, dtype=np.int16).tobytes()
            audio(Frame(speaker, pcm, RATE, second * RATE, 0))
    register(db, call_id, audio.close(), 30, datetime.now(UTC))


@pytest.fixture
def lead_window(
    qtbot: QtBot, db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[CallReviewController, SimpleNamespace]:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    ann, _bo, lee, _kim, _tia = team_of(db)
    write_call(db, "recorded", ann, 2, flag("f1"))  # the flag is on utterance 1: 1.0–1.8 s
    write_call(db, "unrecorded", ann, 3, flag("f1"))
    output = SimpleNamespace(device=FakeOutput())
    monkeypatch.setattr(review_run, "load_sounddevice", lambda: output.device)
    window = review_run.build(lee.username, "en")
    qtbot.addWidget(window)
    window.show()
    review = window.findChild(CallReviewController)
    assert review is not None
    output.lee = lee
    return review, output


def open_call(qtbot: QtBot, review: CallReviewController, call_id: str) -> None:
    review.open(call_id)
    qtbot.waitUntil(lambda: review.detail is not None and review.detail.call.id == call_id)
    qtbot.waitUntil(lambda: review.selected_flag() is not None)


def test_listening_plays_both_speakers_around_the_flag_and_is_audited(
    qtbot: QtBot,
    db: Database,
    tmp_path: Path,
    lead_window: tuple[CallReviewController, SimpleNamespace],
) -> None:
    review, output = lead_window
    record(db, tmp_path, "recorded", seconds=8)
    open_call(qtbot, review, "recorded")
    review.panel.play.click()
    qtbot.waitUntil(lambda: review.panel.status.text() == "Played 0:00–0:04.")

    [(stereo, rate)] = output.device.played
    assert rate == RATE
    # 0 s (3 s before the utterance at 1.0 s, not before the call) to 4.8 s (3 s after 1.8 s).
    assert stereo.shape == (4.8 * RATE, 2)
    assert (stereo[0, 0], stereo[-1, 0]) == (0, 4)
    assert (stereo[RATE, 1], stereo[-1, 1]) == (-1, -4)
    assert review.panel.play.text() == "L · Listen"
    listens = [
        (e.actor_id, e.target_id) for e in read_audit(db, SYSTEM) if e.action == "listen_call"
    ]
    assert listens == [(output.lee.id, "recorded")]


def test_a_second_press_stops_the_playing(
    qtbot: QtBot,
    db: Database,
    tmp_path: Path,
    lead_window: tuple[CallReviewController, SimpleNamespace],
) -> None:
    review, output = lead_window
    output.device = FakeOutput(hold=True)
    record(db, tmp_path, "recorded", seconds=8)
    open_call(qtbot, review, "recorded")
    review.panel.play.click()
    qtbot.waitUntil(lambda: review.panel.play.text() == "L · Stop")
    qtbot.waitUntil(lambda: len(output.device.played) == 1)
    review.panel.play.click()
    qtbot.waitUntil(lambda: review.panel.status.text() == "Stopped.")
    assert review.panel.play.text() == "L · Listen"


def test_a_call_without_a_recording_or_with_its_files_elsewhere_says_so(
    qtbot: QtBot,
    db: Database,
    tmp_path: Path,
    lead_window: tuple[CallReviewController, SimpleNamespace],
) -> None:
    review, output = lead_window
    open_call(qtbot, review, "unrecorded")
    review.panel.play.click()
    qtbot.waitUntil(lambda: "This call was not recorded" in review.panel.status.text())

    record(db, tmp_path, "recorded", seconds=3)
    for wav in tmp_path.glob("recorded-*.wav"):
        wav.unlink()  # recorded on the collector's computer, not this one
    open_call(qtbot, review, "recorded")
    review.panel.play.click()
    qtbot.waitUntil(lambda: "kept on the collector's computer" in review.panel.status.text())
    assert output.device.played == []
    assert review.panel.play.isEnabled()
