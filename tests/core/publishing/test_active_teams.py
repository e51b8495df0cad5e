"""Desktops of two teams sharing one data folder (SQLite and PostgreSQL): each follows its
team's version, remembers it under its own pointer, and never loses the other's files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_assist.publishing import active
from agent_assist.publishing.active import pack_for_call, published_dir, scripts_for_call
from agent_assist.store.database import Database
from agent_assist.store.engine import open_engine
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.records import Actor
from tests.core.publishing.builders import REF, pack_text, ship_test_packs
from tests.core.store.builders import team_of


@pytest.fixture
def trainer(db: Database, monkeypatch: pytest.MonkeyPatch) -> Actor:
    ship_test_packs(monkeypatch)
    *_, tia = team_of(db)
    return tia.as_actor()


def sha_of(path: str) -> str:
    return Path(path).parent.name


def test_each_team_follows_its_own_version_and_pointer(
    db: Database, trainer: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = LibraryRepository(db)
    red, blue = library.team_named("red").id, library.team_named("blue").id
    library.publish(trainer, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0"))
    text = pack_text(tmp_path, "3.0", added_rule=True)
    library.publish(trainer, "rule_pack", REF, "3.0", text, team_id=red)

    for_red, for_blue = pack_for_call(db, REF, team_id=red), pack_for_call(db, REF, team_id=blue)
    assert for_red != for_blue
    assert pack_for_call(db, REF) == for_blue  # no team: every team's version
    home = published_dir() / "rule_pack" / REF
    pointers = {p.name: json.loads(p.read_text()) for p in home.glob("active*.json")}
    assert {name: seen["version"] for name, seen in pointers.items()} == {
        "active.json": "2.0",
        f"active-team-{red}.json": "3.0",
        f"active-team-{blue}.json": "2.0",
    }

    # The database goes away: each team keeps to the version it saw last.
    away = Database(open_engine("postgresql+psycopg://nobody@127.0.0.1:9/none"))
    try:
        assert pack_for_call(away, REF, team_id=red) == for_red
        assert pack_for_call(away, REF, team_id=blue) == for_blue
    finally:
        away.close()

    # Blue moves on twice; red's version (named by red's pointer) stays unpacked.
    for version in ("4.0", "5.0"):
        library.publish(trainer, "rule_pack", REF, version, pack_text(tmp_path / version, version))
        pack_for_call(db, REF, team_id=blue)
    unpacked = {p.name for p in home.iterdir() if p.is_dir()}
    assert sha_of(for_red) in unpacked
    assert Path(for_red).is_dir()

    # Red rolled back past its own version follows every team again.
    library.rollback(trainer, "rule_pack", REF, team_id=red)
    assert pack_for_call(db, REF, team_id=red) == pack_for_call(db, REF, team_id=blue)


def test_a_team_scope_reaches_the_script_library(
    db: Database, trainer: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent_assist import paths
    from agent_assist.publishing.bundle import bundle

    library = LibraryRepository(db)
    red = library.team_named("red").id
    shipped = paths.resources_dir() / "scripts" / "en-US"
    library.publish(trainer, "script_library", "en-US", "9", bundle(shipped), team_id=red)
    assert scripts_for_call(db, "en-US") == shipped
    assert scripts_for_call(db, "en-US", team_id=red) != shipped
    assert active.pointer_name(red) == f"active-team-{red}.json"
