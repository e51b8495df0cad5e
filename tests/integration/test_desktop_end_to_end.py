"""The desktop end to end: ``agent-assist-desktop --call`` on an X server (Xvfb), speech
played into a PulseAudio null sink, the real Korean model decoding it, a rule of the
test-only Korean pack firing, and the call stored and ended on SIGTERM."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from sqlalchemy import select

from agent_assist.audio import synth
from agent_assist.settings import save_settings
from agent_assist.store.database import open_database
from agent_assist.store.tables import Call, FlagRow, Segment
from tests.conftest import require_real
from tests.core.store.builders import team_of
from tests.support.korean import PACK, THREAT_RULE, write_threat_call
from tests.support.pulse import PulseServer
from tests.support.xvfb import XvfbServer

pytestmark = [pytest.mark.real, pytest.mark.slow]

T = TypeVar("T")

# A fresh null sink's monitor misses about the first half second of the first sound played
# into it; the threat is in the first words, so the call opens with silence, as calls do.
LEAD_IN_S = 1.5
START_S = 60.0  # model load and call start
FLAG_S = 90.0
EXIT_S = 30.0


@pytest.fixture
def xvfb() -> Iterator[XvfbServer]:
    require_real(XvfbServer.available(), "Xvfb is not installed (apt-get install xvfb)")
    folder = Path(tempfile.mkdtemp(prefix="xvfb-"))
    server = XvfbServer(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def threat_call_with_lead_in(path: Path) -> Path:
    require_real(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    write_threat_call(path)
    with wave.open(str(path)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        speech = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    silence = np.zeros((int(LEAD_IN_S * rate), channels), dtype="<i2")
    return synth.write_wav(path, np.concatenate([silence, speech.reshape(-1, channels)]), rate)


def wait_for(
    what: str, found: Callable[[], T | None], seconds: float, app: subprocess.Popen[bytes]
) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = found()
        if value is not None:
            return value
        if app.poll() is not None:
            raise AssertionError(f"the app exited with {app.returncode} before {what}")
        time.sleep(0.5)
    raise AssertionError(f"no {what} within {seconds} s")


def test_a_live_call_in_the_desktop_is_decoded_flagged_and_stored(
    pulse: PulseServer, xvfb: XvfbServer, korean_model_path: Path, tmp_path: Path
) -> None:
    wav = threat_call_with_lead_in(tmp_path / "threat.wav")
    data = tmp_path / "data"
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    db = open_database(url)
    collector = team_of(db)[0]
    db.close()
    save_settings(
        {
            "speech_model": str(korean_model_path),
            "rule_pack": str(PACK.resolve()),
            "audio_devices": ("pulse",),
        },
        data / "settings.toml",
    )

    def stored(query: Callable[..., T]) -> T:
        store = open_database(url, upgrade=False)
        try:
            with store.session() as session:
                return query(session)
        finally:
            store.close()

    env = {
        **pulse.client_env(),
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": xvfb.display,
        "AGENT_ASSIST_DATA_DIR": str(data),
        "AGENT_ASSIST_DB_URL": url,
    }
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    command = [
        str(Path(sys.executable).parent / "agent-assist-desktop"),
        *("--as", collector.username, "--lang", "en", "--call"),
    ]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        app = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr
        )
    try:
        call_id = wait_for(
            "call row",
            lambda: stored(lambda s: s.scalars(select(Call.id)).first()),
            START_S,
            app,
        )
        # Capturing from the sink's monitor: what is played now is heard from its start.
        wait_for(
            "recording stream",
            lambda: pulse.pactl("list", "short", "source-outputs") or None,
            10,
            app,
        )
        pulse.play(wav)
        wait_for(
            f"confirmed {THREAT_RULE} flag",
            lambda: stored(
                lambda s: s.scalars(
                    select(FlagRow).where(
                        FlagRow.rule_id == THREAT_RULE, FlagRow.state == "confirmed"
                    )
                ).first()
            ),
            FLAG_S,
            app,
        )
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=EXIT_S) == 0
    except BaseException:
        print("--- app stdout\n", out.read_text(errors="replace")[-4000:])
        print("--- app stderr\n", err.read_text(errors="replace")[-4000:])
        print("--- pulseaudio\n", pulse.log())
        print("--- xvfb\n", xvfb.log())
        raise
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(timeout=10)

    call = stored(lambda s: s.get(Call, call_id))
    segments = stored(lambda s: list(s.scalars(select(Segment).where(Segment.call_id == call_id))))
    (flag,) = stored(lambda s: list(s.scalars(select(FlagRow).where(FlagRow.call_id == call_id))))
    assert call is not None
    assert (call.end_reason, call.user_id) == ("stopped", collector.id)
    assert call.ended_at is not None
    assert (flag.rule_id, flag.state, flag.speaker) == (THREAT_RULE, "confirmed", "agent")
    (heard,) = [s.text for s in segments if (s.speaker, s.utterance) == ("agent", flag.utterance)]
    assert flag.span_text in heard
    assert "조시" in heard  # Korean words, as the model decodes them
