"""Listening to a call under review around its selected flag: both speakers, a few seconds
either side of the flagged utterance, from the recording kept when the bank turned
recording on. Reading the files and playing run off the UI thread; a second press stops."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from agent_assist.audio.clip import around, read_clip
from agent_assist.audio.devices import SoundDevice
from agent_assist.audio.setup_check import play_back
from agent_assist.errors import UserError
from agent_assist.ui.background import in_background
from agent_assist.ui.review.controllers.call_review_controller import CallReviewController
from agent_assist.ui.review.names import clock

log = logging.getLogger(__name__)

SPEAKERS = ("agent", "debtor")  # left and right


class NotRecorded(UserError):
    pass


class PlaybackController(QObject):
    _done = Signal(object)  # (the label of what was played, or None when stopped)
    _failed = Signal(object)

    def __init__(
        self,
        review: CallReviewController,
        recordings: Callable[[str], dict[str, Path]],  # call id → speaker → WAV (audited)
        load_sounddevice: Callable[[], SoundDevice],  # AudioError when PortAudio is missing
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or review)
        self._review = review
        self._recordings = recordings
        self._load_sounddevice = load_sounddevice
        self._sd: SoundDevice | None = None
        self._playing = False
        self.button = review.panel.play
        self.button.clicked.connect(self.toggle)
        self._done.connect(self._finished)
        self._failed.connect(self._problem)

    def toggle(self) -> None:
        if self._playing:
            self.stop()
        else:
            self.play()

    def play(self) -> None:
        """Play the seconds around the selected flag's utterance."""
        detail, flag = self._review.detail, self._review.selected_flag()
        if detail is None or flag is None:
            self._review.panel.status.setText(self.tr("Select a flag to listen around it."))
            return
        said = next(
            (
                s
                for s in detail.segments
                if (s.speaker, s.utterance) == (flag.speaker, flag.utterance)
            ),
            None,
        )
        start_ms, end_ms = around(*(said.start_ms, said.end_ms) if said else (flag.t_ms, flag.t_ms))
        call_id = detail.call.id
        label = f"{clock(start_ms)}–{clock(end_ms)}"

        def work() -> str | None:
            files = self._recordings(call_id)
            if not files:
                raise NotRecorded(
                    self.tr(
                        "This call was not recorded (recording is off in the collector's "
                        "settings, or its retention period is over)."
                    )
                )
            missing = [str(p) for p in files.values() if not p.exists()]
            if missing:
                raise NotRecorded(
                    self.tr(
                        "The recording is kept on the collector's computer ({0}); it is not "
                        "on this one."
                    ).format(", ".join(missing))
                )
            clip = read_clip(files, start_ms, end_ms)
            if self._sd is None:
                self._sd = self._load_sounddevice()
            tracks = [clip.tracks[s] for s in SPEAKERS if s in clip.tracks]
            play_back(self._sd, tracks, clip.rate)
            return label if self._playing else None

        self._playing = True
        self.button.setText(self.tr("L · Stop"))
        self._review.panel.status.setText(self.tr("Playing {0}…").format(label))
        in_background("review-listen", work, self._done, self._failed)

    def stop(self) -> None:
        self._playing = False
        if self._sd is not None:
            with contextlib.suppress(Exception):
                self._sd.stop()

    def _reset(self) -> None:
        self._playing = False
        self.button.setText(self.tr("L · Listen"))

    @Slot(object)
    def _finished(self, label: str | None) -> None:
        self._reset()
        self._review.panel.status.setText(
            self.tr("Played {0}.").format(label) if label else self.tr("Stopped.")
        )

    @Slot(object)
    def _problem(self, error: Exception) -> None:
        self._reset()
        if isinstance(error, UserError):
            self._review.panel.status.setText(str(error))
            return
        log.error("playing a recording failed", exc_info=error)
        self._review.panel.status.setText(self.tr("Cannot play the recording ({0}).").format(error))
