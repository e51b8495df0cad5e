"""Versions active for every team or for one team (SQLite and PostgreSQL), and what
publishing refuses before anything is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.paths import resources_dir
from agent_assist.publishing.bundle import bundle
from agent_assist.store.database import Database
from agent_assist.store.library_repo import EVERY_TEAM, SHIPPED, LibraryRepository
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.records import Actor
from tests.core.publishing.builders import REF, pack_text, ship_test_packs
from tests.core.store.builders import team_of
from tests.core.store.test_library_repo import trail


@pytest.fixture
def tia(db: Database, monkeypatch: pytest.MonkeyPatch) -> Actor:
    ship_test_packs(monkeypatch)
    *_, trainer = team_of(db)
    return trainer.as_actor()


def teams(db: Database) -> tuple[int, int]:
    library = LibraryRepository(db)
    return library.team_named("red").id, library.team_named("blue").id


def running(library: LibraryRepository, team_id: int | None) -> str | None:
    found = library.active("rule_pack", REF, team_id=team_id)
    return None if found is None else found.version


def publish_three(db: Database, tia: Actor, tmp_path: Path) -> LibraryRepository:
    """1 and 2 for every team (2 active), 3 published only."""
    library = LibraryRepository(db)
    for version in ("1", "2", "3"):
        text = pack_text(tmp_path, version, added_rule=version == "3")
        library.publish(tia, "rule_pack", REF, version, text, activate=version != "3")
    return library


def test_a_team_runs_its_own_version_and_the_others_every_teams(
    db: Database, tia: Actor, tmp_path: Path
) -> None:
    red, blue = teams(db)
    library = publish_three(db, tia, tmp_path)
    library.activate(tia, "rule_pack", REF, "3", team_id=red)
    assert (running(library, red), running(library, blue), running(library, None)) == (
        "3",
        "2",
        "2",
    )
    content = library.active_content("rule_pack", REF, team_id=red)
    assert content is not None
    assert content.meta.version == "3"
    listed = {v.version: v.active_for for v in library.versions("rule_pack", REF)}
    assert listed == {"3": ("red",), "2": (None,), "1": ()}

    # A newer every-team version leaves red on its own.
    library.activate(tia, "rule_pack", REF, "1")
    assert (running(library, red), running(library, blue)) == ("3", "1")
    library.activate(tia, "rule_pack", REF, "3", team_id=blue)
    listed = {v.version: v.active_for for v in library.versions("rule_pack", REF)}
    assert listed == {"3": ("blue", "red"), "2": (), "1": (None,)}

    # A team's version and nothing for every team: the others run the shipped files.
    library.rollback(tia, "rule_pack", REF, to=SHIPPED)
    assert (running(library, red), running(library, None)) == ("3", None)


def test_a_teams_rollback_ends_in_following_every_team(
    db: Database, tia: Actor, tmp_path: Path
) -> None:
    red, blue = teams(db)
    library = LibraryRepository(db)
    for version in ("1", "2", "3", "4"):
        text = pack_text(tmp_path, version)
        library.publish(tia, "rule_pack", REF, version, text, activate=False)
    library.activate(tia, "rule_pack", REF, "2")
    library.activate(tia, "rule_pack", REF, "4", team_id=red)

    back = library.rollback(tia, "rule_pack", REF, team_id=red)
    assert back is not None
    assert back.version == "3"  # still newer than every team's 2
    assert library.rollback(tia, "rule_pack", REF, team_id=red) is None  # past its own
    assert running(library, red) == "2"
    with pytest.raises(StoreError, match="team red follows every team's version"):
        library.rollback(tia, "rule_pack", REF, team_id=red)
    library.activate(tia, "rule_pack", REF, "1", team_id=red)
    with pytest.raises(StoreError, match="--to every-team makes it follow every team's"):
        library.rollback(tia, "rule_pack", REF, team_id=red, to=SHIPPED)
    with pytest.raises(StoreError, match="is for one team"):
        library.rollback(tia, "rule_pack", REF, to=EVERY_TEAM)
    assert running(library, red) == "1"  # the refused rollbacks changed nothing

    # Every team's rollback leaves a team's own version alone.
    back = library.rollback(tia, "rule_pack", REF)
    assert back is not None
    assert (back.version, running(library, blue), running(library, red)) == ("1", "1", "1")

    library.activate(tia, "rule_pack", REF, "4", team_id=blue)
    assert library.rollback(tia, "rule_pack", REF, team_id=blue, to=EVERY_TEAM) is None
    assert running(library, blue) == "1"

    steps = [(action, target, detail) for action, target, _by, detail in trail(db)][4:]
    assert steps == [
        ("activate", "mini-zh@2", "was shipped"),
        ("activate", "mini-zh@4", "was every-team (2); team red"),
        ("rollback", "mini-zh@3", "was 4; team red"),
        ("rollback", "mini-zh@every-team", "3; team red"),
        ("activate", "mini-zh@1", "was every-team (2); team red"),
        ("rollback", "mini-zh@1", "was 2"),
        ("activate", "mini-zh@4", "was every-team (1); team blue"),
        ("rollback", "mini-zh@every-team", "4; team blue"),
    ]


def test_a_team_with_no_every_team_version_walks_back_to_the_shipped_files(
    db: Database, tia: Actor, tmp_path: Path
) -> None:
    red, _blue = teams(db)
    library = LibraryRepository(db)
    for version in ("1", "2"):
        text = pack_text(tmp_path, version)
        library.publish(tia, "rule_pack", REF, version, text, team_id=red)
    assert (running(library, red), running(library, None)) == ("2", None)
    back = library.rollback(tia, "rule_pack", REF, team_id=red)
    assert back is not None
    assert back.version == "1"
    assert library.rollback(tia, "rule_pack", REF, team_id=red) is None
    assert running(library, red) is None


def test_team_leads_may_not_publish_for_their_team(
    db: Database, tia: Actor, tmp_path: Path
) -> None:
    lee = PeopleRepository(db).find("lee")
    assert lee is not None
    red, _blue = teams(db)
    library = LibraryRepository(db)
    library.publish(tia, "rule_pack", REF, "1", pack_text(tmp_path, "1"), activate=False)
    with pytest.raises(AccessDenied):
        library.publish(lee.as_actor(), "rule_pack", REF, "2", "x", team_id=red)
    with pytest.raises(AccessDenied):
        library.activate(lee.as_actor(), "rule_pack", REF, "1", team_id=red)
    with pytest.raises(StoreError, match="no team with id 999"):
        library.activate(tia, "rule_pack", REF, "1", team_id=999)
    with pytest.raises(StoreError, match=r"no team named 'green' \(teams: blue, red\)"):
        library.team_named("green")
    assert running(library, red) is None


@pytest.mark.parametrize(
    ("version", "why"),
    [
        ("1." + "9" * 31, "at most 32 characters"),  # 33: the column holds 32
        ("9" * 60, "at most 32 characters"),
    ],
)
def test_a_version_number_longer_than_its_column_is_refused(
    db: Database, tia: Actor, tmp_path: Path, version: str, why: str
) -> None:
    library = LibraryRepository(db)
    text = pack_text(tmp_path, "1")
    with pytest.raises(StoreError, match=why):
        library.publish(tia, "rule_pack", REF, version, text)
    longest = "1." + "9" * 30  # stored on PostgreSQL too, where a longer one would not fit
    assert library.publish(tia, "rule_pack", REF, longest, text).version == longest
    with pytest.raises(StoreError, match="longer than 64 characters"):
        library.publish(tia, "rule_pack", "x" * 65, "1", text)


def test_ids_no_desktop_follows_are_refused(db: Database, tia: Actor, tmp_path: Path) -> None:
    library = LibraryRepository(db)
    with pytest.raises(StoreError, match=r"follow the rule pack ids .*\(broken, mini-en, "):
        library.publish(tia, "rule_pack", "my-pack", "1", pack_text(tmp_path, "1"))
    scripts = bundle(resources_dir() / "scripts" / "en-US")
    with pytest.raises(StoreError, match=r"script library languages .*\(en-US, zh-CN\)"):
        library.publish(tia, "script_library", "fr-FR", "1", scripts)
    assert library.versions("rule_pack", "my-pack") == []
    assert library.versions("script_library", "fr-FR") == []
    assert trail(db) == []
