from __future__ import annotations

import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.database import Database
from agent_assist.store.recordings import CallAudioRecorder, purge_expired, register
from agent_assist.store.tables import Recording
from tests.core.store.builders import started
from tests.support.fakes import voiced


def test_audio_is_written_per_speaker_and_deleted_after_its_retention(
    db: Database, tmp_path: Path
) -> None:
    for op in CallOps(str).ops_for(started("c1")):
        apply_op(db, op)
    audio = CallAudioRecorder(tmp_path, "c1")
    for i in range(5):
        audio(voiced("agent", i * 1600))
        audio(voiced("debtor", i * 1600))
    files = audio.close()
    assert set(files) == {"agent", "debtor"}
    with wave.open(str(files["agent"]), "rb") as wav:
        assert (wav.getframerate(), wav.getnframes()) == (16000, 8000)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    register(db, "c1", files, retention_days=30, now=now)
    assert purge_expired(db, now + timedelta(days=29)) == 0
    assert all(p.exists() for p in files.values())
    assert purge_expired(db, now + timedelta(days=30)) == 2
    assert not any(p.exists() for p in files.values())
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Recording)) == 0


def test_a_call_s_recordings_are_for_those_who_may_read_it_and_listening_is_audited(
    db: Database, tmp_path: Path
) -> None:
    from agent_assist.errors import AccessDenied
    from agent_assist.store.audit import read_audit
    from agent_assist.store.people_repo import SYSTEM
    from agent_assist.store.recordings import call_recordings
    from tests.core.store.builders import team_of

    ann, _bo, lee, kim, _tia = team_of(db)
    ops = CallOps(str, user_id=ann.id, team_id=ann.team_id)
    for call_id in ("recorded", "unrecorded"):
        for op in ops.ops_for(started(call_id)):
            apply_op(db, op)
    audio = CallAudioRecorder(tmp_path, "recorded")
    audio(voiced("agent", 0))
    register(db, "recorded", audio.close(), 30, datetime.now(UTC))

    assert call_recordings(db, ann.as_actor(), "recorded") == {
        "agent": tmp_path / "recorded-agent.wav"
    }
    assert set(call_recordings(db, lee.as_actor(), "recorded")) == {"agent"}
    assert call_recordings(db, lee.as_actor(), "unrecorded") == {}
    with pytest.raises(AccessDenied):
        call_recordings(db, kim.as_actor(), "recorded")
    listens = [
        (e.actor_id, e.target_id) for e in read_audit(db, SYSTEM) if e.action == "listen_call"
    ]
    assert listens == [(lee.id, "recorded")]  # the collector's own, and nothing heard: not audited
