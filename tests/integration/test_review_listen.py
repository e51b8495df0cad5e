"""Listening around a flag in the review window through a real PulseAudio server and
PortAudio: the seconds around the flag play in real time on the default output."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from agent_assist.store.database import open_database
from agent_assist.ui import review_run
from agent_assist.ui.review.controllers.call_review_controller import CallReviewController
from tests.core.store.builders import flag, team_of
from tests.support.pulse import PulseServer
from tests.ui.review.stored_calls import write_call
from tests.ui.review.test_listen import open_call, record

pytestmark = [pytest.mark.real, pytest.mark.slow, pytest.mark.usefixtures("no_stray_threads")]


def test_the_stretch_around_a_flag_plays_on_the_real_output(
    qtbot: QtBot, pulse: PulseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'review.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    try:
        ann, _bo, lee, _kim, _tia = team_of(db)
        write_call(db, "recorded", ann, 2, flag("f1"))
        record(db, tmp_path, "recorded", seconds=6)
    finally:
        db.close()
    window = review_run.build(lee.username, "en")  # the real sounddevice module
    qtbot.addWidget(window)
    window.show()
    review = window.findChild(CallReviewController)
    assert review is not None
    open_call(qtbot, review, "recorded")

    started = time.monotonic()
    review.panel.play.click()
    qtbot.waitUntil(lambda: review.panel.status.text().startswith("Played"), timeout=20_000)
    assert review.panel.status.text() == "Played 0:00–0:04."
    assert time.monotonic() - started >= 4.0  # 4.8 s of audio, played at its own pace
    window.close()
