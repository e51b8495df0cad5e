"""``agent-assist transcribe --as USER`` runs the versions published for the user's team."""

from __future__ import annotations

from agent_assist.cli.transcribe_cmd import _team_of
from agent_assist.store.database import Database
from tests.core.store.builders import team_of


def test_the_as_user_brings_their_team(db: Database) -> None:
    ann, *_ = team_of(db)
    assert ann.team_id is not None
    assert _team_of(db, "ann") == ann.team_id
    assert _team_of(db, "tia") is None  # no team: every team's versions
    assert _team_of(db, None) is None
    assert _team_of(db, "nobody") is None  # the recorder says the user is unknown
    assert _team_of(None, "ann") is None  # --no-store: the shipped files
