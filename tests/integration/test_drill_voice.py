"""A spoken drill end to end: ``agent-assist drill run --voice`` listens to a PulseAudio
null sink through PortAudio, the real Korean model decodes espeak-ng's Korean threat as
the trainee's answer, the test-only Korean pack flags it, and the drill is stored with a
low score that names the flag."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent_assist.store.database import open_database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.people_repo import SYSTEM
from tests.core.store.builders import team_of
from tests.integration.test_desktop_end_to_end import threat_call_with_lead_in
from tests.support.korean import THREAT_RULE
from tests.support.pulse import PulseServer

pytestmark = [pytest.mark.real, pytest.mark.slow]

SCENARIO = Path(__file__).parents[1] / "data" / "training" / "mini-ko" / "threat.yaml"
LISTEN_S = 60.0  # model load and microphone open
DONE_S = 90.0


def test_a_spoken_drill_is_decoded_scored_and_stored(
    pulse: PulseServer, korean_model_path: Path, tmp_path: Path
) -> None:
    wav = threat_call_with_lead_in(tmp_path / "answer.wav")
    url = f"sqlite:///{tmp_path / 'drills.db'}"
    db = open_database(url)
    trainee = team_of(db)[0]
    db.close()
    env = {**pulse.client_env(), "AGENT_ASSIST_DB_URL": url}
    command = [
        str(Path(sys.executable).parent / "agent-assist"),
        *("drill", "run", str(SCENARIO), "--as", trainee.username, "--voice"),
        *("--model", str(korean_model_path), "--device", "pulse"),
    ]
    out = tmp_path / "out.txt"
    with out.open("wb") as stdout:
        drill = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + LISTEN_S
        while not pulse.pactl("list", "short", "source-outputs"):  # the microphone is open
            assert drill.poll() is None, out.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the drill never opened the microphone"
            time.sleep(0.5)
        pulse.play(wav)
        assert drill.wait(DONE_S) == 0, out.read_text(encoding="utf-8")
    finally:
        if drill.poll() is None:
            drill.kill()
            drill.wait()
    printed = out.read_text(encoding="utf-8")
    assert "debtor> 여보세요?" in printed
    assert f"! critical {THREAT_RULE}" in printed

    db = open_database(url)
    try:
        drills = DrillRepository(db, str)
        (summary,) = drills.history(SYSTEM)
        detail = drills.get(SYSTEM, summary.id)
    finally:
        db.close()
    assert (summary.username, summary.pack_ref) == (trainee.username, "mini-ko")
    assert [t.speaker for t in detail.turns] == ["debtor", "agent"]
    assert THREAT_RULE in {flag["rule_id"] for flag in detail.turns[1].flags}
    report = detail.report
    assert report is not None
    assert report["mode"] == "voice"
    assert report["complete"] is True
    assert summary.score is not None
    assert summary.score <= 40
    assert [flag["rule_id"] for flag in report["flags"]] == [THREAT_RULE]
    tone = next(c for c in report["components"] if c["name"] == "tone")
    assert tone["score"] is not None  # spoken: the tone was judged
