"""kill -9 in the middle of a call: every final segment and flag shown is in the database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent_assist.store.database import open_database
from agent_assist.store.tables import FlagRow, Segment

_ROOT = Path(__file__).resolve().parents[3]


def run_and_kill(env: dict[str, str], finals_wanted: int) -> list[dict[str, Any]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.durable_call"],
        cwd=_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    events: list[dict[str, Any]] = []
    try:
        for line in proc.stdout:
            events.append(json.loads(line))
            if sum(e["type"] == "final" for e in events) >= finals_wanted:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    return events


def test_a_killed_call_keeps_every_final_segment_and_flag(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "AGENT_ASSIST_DB_URL": db_url, "AGENT_ASSIST_DATA_DIR": str(tmp_path)}
    events = run_and_kill(env, finals_wanted=6)
    finals = [e for e in events if e["type"] == "final"]
    flags = {e["flag_id"]: e["state"] for e in events if e["type"] == "flag"}
    assert finals
    assert "confirmed" in flags.values()
    db = open_database(db_url)
    try:
        with db.session() as session:
            stored = {(s.utterance, s.text) for s in session.scalars(select(Segment))}
            stored_flags = {f.flag_id: f.state for f in session.scalars(select(FlagRow))}
    finally:
        db.close()
    for final in finals:
        # The phone number the collector read out was masked before it was stored.
        masked = final["text"].replace("一三八 零零一三 八零零零", "一三八 **** 八零零零")
        assert (final["utterance"], masked) in stored
    for flag_id, state in flags.items():
        assert stored_flags.get(flag_id) == state
    assert not list(tmp_path.glob("spool/spool-*.jsonl"))
