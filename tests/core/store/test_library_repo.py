from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from agent_assist.errors import AccessDenied, StoreError, UserError
from agent_assist.publishing.bundle import bundle
from agent_assist.publishing.validate import InvalidVersion
from agent_assist.store.audit import read_audit
from agent_assist.store.database import Database
from agent_assist.store.library_repo import SHIPPED, LibraryRepository
from agent_assist.store.people_repo import SYSTEM
from tests.core.publishing.builders import PACKS, REF, pack_text, ship_test_packs
from tests.core.store.builders import team_of


@pytest.fixture(autouse=True)
def _test_packs_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    ship_test_packs(monkeypatch)  # mini-zh is one of the ids desktops follow


def trail(db: Database) -> list[tuple[str, str, int | None, str]]:
    """The publishing audit entries, oldest first: (action, target, author, detail)."""
    entries = [e for e in read_audit(db, SYSTEM, limit=1000) if e.target_type == "rule_pack"]
    return [(e.action, e.target_id, e.actor_id, e.detail) for e in reversed(entries)]


def test_trainers_publish_versions_every_desktop_can_load(db: Database, tmp_path: Path) -> None:
    ann, _bo, _lee, _kim, tia = team_of(db)
    content = pack_text(tmp_path, "1.0")
    library = LibraryRepository(db)
    first = library.publish(tia.as_actor(), "rule_pack", REF, "1.0", content)
    again = library.publish(tia.as_actor(), "rule_pack", REF, "1.0", content)
    assert again == first
    library.publish(tia.as_actor(), "rule_pack", REF, "1.1", pack_text(tmp_path, "1.1"))
    listed = library.versions("rule_pack", REF)
    assert [(v.version, v.publisher) for v in listed] == [("1.1", "tia"), ("1.0", "tia")]
    assert [v.publisher_name for v in listed] == ["Tia", "Tia"]  # their display name
    assert library.content("rule_pack", REF, "1.0").content == content
    assert listed[0].active_for == (None,)  # every team's
    assert listed[1].active_for == ()
    assert library.active("rule_pack", REF) == replace(listed[0], publisher=None, active_for=())
    assert trail(db) == [
        ("publish", "mini-zh@1.0", tia.id, first.sha256),
        ("activate", "mini-zh@1.0", tia.id, f"was {SHIPPED}"),
        ("publish", "mini-zh@1.1", tia.id, listed[0].sha256),
        ("activate", "mini-zh@1.1", tia.id, "was 1.0"),
    ]
    with pytest.raises(AccessDenied):
        library.publish(ann.as_actor(), "rule_pack", REF, "1.2", pack_text(tmp_path, "1.2"))
    # Everybody reads: a collector's desktop asks which version to run.
    assert [v.version for v in LibraryRepository(db).versions("rule_pack", REF)] == ["1.1", "1.0"]


def test_a_version_cannot_change_once_published(db: Database, tmp_path: Path) -> None:
    *_, tia = team_of(db)
    library = LibraryRepository(db)
    library.publish(tia.as_actor(), "rule_pack", REF, "1", pack_text(tmp_path, "1"))
    with pytest.raises(StoreError, match="raise the version"):
        library.publish(
            tia.as_actor(), "rule_pack", REF, "1", pack_text(tmp_path, "2", added_rule=True)
        )


def test_what_the_loader_refuses_is_never_stored(db: Database, tmp_path: Path) -> None:
    *_, tia = team_of(db)
    library = LibraryRepository(db)
    with pytest.raises(InvalidVersion, match=r"rules/a\.yaml:4:11: `\[` is never closed"):
        library.publish(tia.as_actor(), "rule_pack", "broken", "1", bundle(PACKS / "broken"))
    with pytest.raises(UserError, match="does not match its folder name 'mini-en'"):
        library.publish(tia.as_actor(), "rule_pack", "mini-en", "9", pack_text(tmp_path, "9"))
    with pytest.raises(UserError, match="not a bundle"):
        library.publish(tia.as_actor(), "rule_pack", REF, "9", "just text")
    assert library.versions("rule_pack", "broken") == []
    assert library.versions("rule_pack", "mini-en") == []
    assert library.active("rule_pack", REF) is None
    assert trail(db) == []


def test_rollback_walks_back_to_the_shipped_files(db: Database, tmp_path: Path) -> None:
    ann, _bo, lee, _kim, tia = team_of(db)
    trainer = tia.as_actor()
    library = LibraryRepository(db)
    for version in ("1", "2", "3"):
        library.publish(trainer, "rule_pack", REF, version, pack_text(tmp_path, version))
    assert library.active("rule_pack", REF) is not None
    for role in (ann.as_actor(), lee.as_actor()):
        with pytest.raises(AccessDenied):
            library.rollback(role, "rule_pack", REF)
        with pytest.raises(AccessDenied):
            library.activate(role, "rule_pack", REF, "1")

    back = [library.rollback(trainer, "rule_pack", REF) for _ in range(3)]
    assert [b.version if b else None for b in back] == ["2", "1", None]
    assert library.active("rule_pack", REF) is None
    assert library.active_content("rule_pack", REF) is None
    with pytest.raises(StoreError, match="shipped with the app already"):
        library.rollback(trainer, "rule_pack", REF)

    library.activate(trainer, "rule_pack", REF, "2")
    picked = library.rollback(trainer, "rule_pack", REF, to="3")
    assert picked is not None
    assert picked.version == "3"
    live = library.active_content("rule_pack", REF)
    assert live is not None
    assert live.content == library.content("rule_pack", REF, "3").content
    assert library.rollback(trainer, "rule_pack", REF, to=SHIPPED) is None
    with pytest.raises(StoreError, match="has not been published"):
        library.activate(trainer, "rule_pack", REF, "4")

    steps = [(action, target, detail) for action, target, _by, detail in trail(db)][6:]
    assert steps == [
        ("rollback", "mini-zh@2", "was 3"),
        ("rollback", "mini-zh@1", "was 2"),
        ("rollback", "mini-zh@shipped", "1"),
        ("activate", "mini-zh@2", "was shipped"),
        ("rollback", "mini-zh@3", "was 2"),
        ("rollback", "mini-zh@shipped", "3"),
    ]
    assert {by for *_, by, _detail in trail(db)} == {tia.id}


def test_publishing_without_activating_leaves_desktops_alone(db: Database, tmp_path: Path) -> None:
    *_, tia = team_of(db)
    library = LibraryRepository(db)
    library.publish(tia.as_actor(), "rule_pack", REF, "1", pack_text(tmp_path, "1"))
    content = pack_text(tmp_path, "2", added_rule=True)
    library.publish(tia.as_actor(), "rule_pack", REF, "2", content, activate=False)
    live = library.active("rule_pack", REF)
    assert live is not None
    assert live.version == "1"
    # The same files again, asked to be live: stored once, activated now.
    library.publish(tia.as_actor(), "rule_pack", REF, "2", content)
    live = library.active("rule_pack", REF)
    assert live is not None
    assert live.version == "2"
    assert [a for a, *_ in trail(db)] == ["publish", "activate", "publish", "activate"]
    with pytest.raises(StoreError, match="other than 'shipped'"):
        library.publish(tia.as_actor(), "rule_pack", REF, SHIPPED, content)
