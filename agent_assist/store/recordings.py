"""Call audio, only when a bank turns recording on, and never past its retention period.

One 16-bit mono WAV per speaker in the data folder's ``recordings/``; the
database keeps where each file is and when it must go. ``purge_expired``
deletes both; the app runs it whenever it records and ``agent-assist db
purge`` runs it on demand (e.g. from cron on a team's machines).
"""

from __future__ import annotations

import threading
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from agent_assist.audio.frames import Frame
from agent_assist.errors import StoreError
from agent_assist.store.access import require_call_access
from agent_assist.store.audit import write_audit
from agent_assist.store.database import Database
from agent_assist.store.records import Actor
from agent_assist.store.tables import Call, Recording


class CallAudioRecorder:
    """A frame tap: appends each speaker's audio to that speaker's WAV file."""

    def __init__(self, folder: Path, call_id: str) -> None:
        self._folder = folder
        self._call_id = call_id
        self._files: dict[str, wave.Wave_write] = {}
        self._paths: dict[str, Path] = {}
        self._lock = threading.Lock()  # two devices deliver on two threads

    def __call__(self, frame: Frame) -> None:
        with self._lock:
            out = self._files.get(frame.speaker)
            if out is None:
                self._folder.mkdir(parents=True, exist_ok=True)
                path = self._folder / f"{self._call_id}-{frame.speaker}.wav"
                out = wave.open(str(path), "wb")  # noqa: SIM115 - closed in close()
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(frame.rate)
                self._files[frame.speaker] = out
                self._paths[frame.speaker] = path
            out.writeframes(frame.pcm)

    def close(self) -> dict[str, Path]:
        """Finish the files; returns speaker → file."""
        with self._lock:
            for out in self._files.values():
                out.close()
            self._files.clear()
            return dict(self._paths)


def register(
    db: Database, call_id: str, files: dict[str, Path], retention_days: int, now: datetime
) -> None:
    with db.session() as session:
        for speaker, path in files.items():
            session.add(
                Recording(
                    call_id=call_id,
                    speaker=speaker,
                    path=str(path),
                    created_at=now,
                    delete_after=now + timedelta(days=retention_days),
                )
            )


def call_recordings(db: Database, actor: Actor, call_id: str) -> dict[str, Path]:
    """The call's audio files by speaker (none: it was not recorded, or its retention is
    over), for someone who may read the call; listening to another's call is audited."""
    with db.session() as session:
        call = session.get(Call, call_id)
        if call is None:
            raise StoreError(f"no call {call_id}")
        require_call_access(actor, call.user_id, call.team_id)
        rows = session.scalars(select(Recording).where(Recording.call_id == call_id))
        files = {row.speaker: Path(row.path) for row in rows}
        if files and actor.user_id != call.user_id:
            write_audit(session, actor, "listen_call", "call", call_id)
        return files


def purge_expired(db: Database, now: datetime | None = None) -> int:
    """Delete recordings past their retention (files and rows); returns how many."""
    now = now or datetime.now(UTC)
    with db.session() as session:
        expired = list(session.scalars(select(Recording).where(Recording.delete_after <= now)))
        for row in expired:
            Path(row.path).unlink(missing_ok=True)
            session.delete(row)
    return len(expired)
