"""``agent-assist transcribe --as USER`` runs the versions published for the user's team,
and the call is recorded as theirs: the user is looked up once per call."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from agent_assist import cli
from agent_assist.cli.transcribe_cmd import _user_of
from agent_assist.errors import StoreError
from agent_assist.store import tables as t
from agent_assist.store.database import Database, open_database
from tests.core.store.builders import team_of


def test_the_as_user_brings_their_team(db: Database) -> None:
    ann, *_ = team_of(db)
    assert ann.team_id is not None
    assert _user_of(db, "ann") == ann
    tia = _user_of(db, "tia")
    assert tia is not None
    assert tia.team_id is None  # no team: every team's versions
    assert _user_of(db, None) is None
    with pytest.raises(StoreError, match="no active user named 'nobody'; see `agent-assist db"):
        _user_of(db, "nobody")
    assert _user_of(None, "ann") is None  # --no-store: the shipped files, nothing recorded


def test_the_call_is_stored_as_the_users_and_an_unknown_user_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    try:
        ann, *_ = team_of(db)
    finally:
        db.close()
    call = ["demo-call", "--dialogue", "en-threats", "--speed", "2000", "--pack", "none"]
    assert cli.main([*call, "--as", "nobody"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no active user named 'nobody'; see `agent-assist db demo`" in err

    assert cli.main([*call, "--as", "ann"]) == 0
    db = open_database(url)
    try:
        with db.session() as session:
            stored = session.scalars(select(t.Call)).one()
            owner = (stored.user_id, stored.team_id)
    finally:
        db.close()
    assert owner == (ann.id, ann.team_id)
