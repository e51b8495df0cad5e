"""The settings dialog's test recording: a few seconds of each metered speaker, judged by
its level and played back through the default output (off the UI thread)."""

from __future__ import annotations

import contextlib
import time

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Slot

from agent_assist.audio.convert import Int16Array
from agent_assist.audio.level_check import Verdict, check_level
from agent_assist.audio.setup_check import RATE, RECORD_S, play_back
from agent_assist.errors import UserError
from agent_assist.events import Speaker
from agent_assist.ui.controllers.audio_setup_controller import AudioSetupController
from agent_assist.ui.controllers.settings_relay import SettingsRelay
from agent_assist.ui.views.settings_dialog import SettingsDialog

_GRACE_S = 3.0  # a test recording ends this long after its time even if a device stalls


class RecordingCheckController(QObject):
    """Owned by the dialog; its strings are in the SettingsController translation context."""

    def __init__(self, dialog: SettingsDialog, setup: AudioSetupController) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._setup = setup
        self._relay = SettingsRelay()
        self._relay.done.connect(self._played_back)
        self._recording_until: float | None = None
        self._playing = False
        self.recording: dict[Speaker, Int16Array] = {}  # the last test recording
        self._summary = ""  # how it sounded

        dialog.test_recording.setEnabled(False)
        dialog.test_recording.clicked.connect(self.start_test_recording)
        setup.reopened.connect(self._setup_reopened)
        setup.polled.connect(self._polled)
        dialog.finished.connect(self.shutdown)

    @Slot()
    def start_test_recording(self) -> None:
        if not self._can_record():
            return
        self._setup.tap.start_recording()
        self._recording_until = time.monotonic() + RECORD_S + _GRACE_S
        self.dialog.test_recording.setEnabled(False)
        self.dialog.recording_status.setText(
            QCoreApplication.translate(
                "SettingsController",
                "Recording {seconds} s: say a few words into the headset, and have the "
                "debtor's side play some sound…",
            ).format(seconds=RECORD_S)
        )

    @Slot()
    def shutdown(self) -> None:
        """Stop recording and playing back: the dialog is done."""
        self._recording_until = None
        sd = self._setup.sd
        if self._playing and sd is not None:
            with contextlib.suppress(Exception):  # the output may be gone already
                sd.stop()

    def _can_record(self) -> bool:
        idle = self._recording_until is None and not self._playing
        return idle and bool(self._setup.heard())

    @Slot()
    def _setup_reopened(self) -> None:
        if self._recording_until is not None:  # what it recorded is of the previous set-up
            self._recording_until = None
            self.dialog.recording_status.setText(
                QCoreApplication.translate(
                    "SettingsController", "The set-up changed: press Test recording again."
                )
            )
        self.dialog.test_recording.setEnabled(self._can_record())

    @Slot()
    def _polled(self) -> None:
        self._check_recording()
        self.dialog.test_recording.setEnabled(self._can_record())

    def _check_recording(self) -> None:
        if self._recording_until is None:
            return
        tap = self._setup.tap
        seconds = tap.recorded_seconds()
        done = all(seconds.get(s, 0.0) >= RECORD_S for s in self._setup.heard())
        if not done and time.monotonic() < self._recording_until:
            return
        self._recording_until = None
        self.recording = tap.stop_recording()
        self._summary = summary = self._describe_recording()
        empty = np.zeros(0, dtype=np.int16)
        clips = [self.recording.get(s, empty) for s in self._setup.metered]
        sd = self._setup.sd
        if not any(len(clip) for clip in clips) or sd is None:
            self.dialog.recording_status.setText(summary)
            return
        self.dialog.recording_status.setText(
            summary + "\n" + QCoreApplication.translate("SettingsController", "Playing it back…")
        )
        self._playing = True
        self._relay.spawn("playback", lambda: play_back(sd, clips))

    def _describe_recording(self) -> str:
        lines = []
        for speaker in self._setup.metered:
            role = self._setup.roles[speaker]
            samples = self.recording.get(speaker)
            if samples is None or len(samples) == 0:
                lines.append(
                    QCoreApplication.translate(
                        "SettingsController", "{role}: no audio arrived."
                    ).format(role=role)
                )
                continue
            check = check_level(samples, RATE)
            lines.append(_verdict_text(check.verdict).format(role=role, peak=check.peak_dbfs))
        return "\n".join(lines)

    @Slot(str, object)
    def _played_back(self, _task: str, result: object) -> None:
        self._playing = False
        if isinstance(result, UserError):
            outcome = QCoreApplication.translate(
                "SettingsController",
                "It could not be played back ({problem}); judge it by the levels above.",
            ).format(problem=result)
        elif len(self.recording) > 1:
            outcome = QCoreApplication.translate(
                "SettingsController",
                "Played back through the default output: the collector left, the debtor right.",
            )
        else:
            outcome = QCoreApplication.translate(
                "SettingsController", "Played back through the default output."
            )
        self.dialog.recording_status.setText(self._summary + "\n" + outcome)
        self.dialog.test_recording.setEnabled(self._can_record())


def _verdict_text(verdict: Verdict) -> str:
    """What to tell about a recording so judged: a format with {role} and {peak}."""
    if verdict == "clipped":
        return QCoreApplication.translate(
            "SettingsController",
            "{role}: too loud, it clipped ({peak:.0f} dB peak): turn the input volume down.",
        )
    if verdict == "silent":
        return QCoreApplication.translate(
            "SettingsController",
            "{role}: silent ({peak:.0f} dB peak). Check that the right device is "
            "chosen and not muted.",
        )
    if verdict == "quiet":
        return QCoreApplication.translate(
            "SettingsController",
            "{role}: quiet ({peak:.0f} dB peak): turn the input volume up or bring "
            "the microphone closer.",
        )
    return QCoreApplication.translate(
        "SettingsController", "{role}: good level ({peak:.0f} dB peak)."
    )
