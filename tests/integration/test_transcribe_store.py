"""``agent-assist transcribe`` keeps what it hears: real Vosk, real database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from agent_assist.cli import main
from agent_assist.store.database import open_database
from agent_assist.store.tables import Call, Recording, Segment

pytestmark = [pytest.mark.real, pytest.mark.slow, pytest.mark.usefixtures("models_loaded_once")]


def stored_segments(url: str) -> set[tuple[str, int, str]]:
    db = open_database(url)
    try:
        with db.session() as session:
            return {(s.speaker, s.utterance, s.text) for s in session.scalars(select(Segment))}
    finally:
        db.close()


def test_a_transcribed_call_is_in_the_database(
    call_wav: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    assert main(["transcribe", str(call_wav), "--model", "ko", "--no-partials"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    finals = {
        (e["speaker"], e["utterance"], e["text"])
        for e in lines
        if e["type"] == "final" and e["text"].strip()
    }
    assert finals
    assert stored_segments(url) == finals
    db = open_database(url)
    try:
        with db.session() as session:
            call = session.scalars(select(Call)).one()
    finally:
        db.close()
    assert call.id == lines[0]["call_id"]
    assert call.end_reason == "completed"


def test_no_store_keeps_nothing(
    mono_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", f"sqlite:///{tmp_path / 'calls.db'}")
    assert main(["transcribe", str(mono_wav), "--model", "ko", "--no-store"]) == 0
    assert not (tmp_path / "calls.db").exists()


def test_an_unreachable_team_server_is_reported_before_the_call(
    mono_wav: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert main(["transcribe", str(mono_wav), "--model", "ko"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "server is running" in err


def test_kill_9_mid_call_loses_no_final_segment(call_wav: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    env = {**os.environ, "AGENT_ASSIST_DB_URL": url}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "agent-assist"),
            "transcribe",
            str(call_wav),
            "--model",
            "ko",
            "--realtime",
            "--no-partials",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    finals: set[tuple[str, int, str]] = set()
    try:
        for line in proc.stdout:
            event = json.loads(line)
            if event["type"] == "final" and event["text"].strip():
                finals.add((event["speaker"], event["utterance"], event["text"]))
            if len(finals) >= 2:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the call ended before it could be killed"
    assert finals <= stored_segments(url)


def test_recording_is_off_unless_turned_on_then_kept_with_its_retention(
    mono_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(data))
    monkeypatch.delenv("AGENT_ASSIST_DB_URL", raising=False)
    assert main(["transcribe", str(mono_wav), "--model", "ko"]) == 0
    assert not (data / "recordings").exists()
    (data / "settings.toml").write_text(
        "[recording]\nenabled = true\nretention_days = 7\n", encoding="utf-8"
    )
    assert main(["transcribe", str(mono_wav), "--model", "ko"]) == 0
    (wav,) = (data / "recordings").glob("*-agent.wav")
    db = open_database(f"sqlite:///{data / 'agent-assist.db'}")
    try:
        with db.session() as session:
            row = session.scalars(select(Recording)).one()
    finally:
        db.close()
    assert row.path == str(wav)
    assert (row.delete_after - row.created_at).days == 7
