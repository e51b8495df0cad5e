"""Rule packs compiled once per version of their files, and only the newest version of each
kept (``app.compiled_pack``, ``app.warm_up_rules``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist import app
from agent_assist.publishing.active import pack_for_call
from agent_assist.rules.registry import resolve_pack
from agent_assist.store.database import Database
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.records import Actor
from tests.core.publishing.builders import REF, pack_folder, pack_text, ship_test_packs
from tests.core.store.builders import team_of


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "_compiled", {})


@pytest.fixture
def trainer(db: Database, monkeypatch: pytest.MonkeyPatch) -> Actor:
    ship_test_packs(monkeypatch)
    *_, tia = team_of(db)
    return tia.as_actor()


def test_a_published_version_replaces_the_one_before_in_the_cache(
    db: Database, trainer: Actor, tmp_path: Path
) -> None:
    library = LibraryRepository(db)
    shipped = resolve_pack(REF).resolve()
    assert app.warm_up_rules([REF], db=db) == [shipped]  # nothing published yet
    assert app.warm_up_rules([REF], db=db) == []  # compiled once

    library.publish(trainer, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0"))
    second = Path(pack_for_call(db, REF))
    assert app.warm_up_rules([REF, REF], db=db) == [second]
    first_compiled = app.compiled_pack(str(second))

    library.publish(trainer, "rule_pack", REF, "3.0", pack_text(tmp_path, "3.0", added_rule=True))
    third = Path(pack_for_call(db, REF))
    assert app.warm_up_rules([REF], db=db) == [third]
    # The shipped files stay beside the team's newest version; the older one is let go.
    assert sorted(app.compiled_folders()) == sorted([shipped, third])

    library.rollback(trainer, "rule_pack", REF)
    assert app.compiled_pack(str(second)) is not first_compiled  # compiled again
    assert sorted(app.compiled_folders()) == sorted([shipped, second])


def test_changed_files_of_a_folder_replace_its_compiled_version(tmp_path: Path) -> None:
    folder = pack_folder(tmp_path, "2.0")
    before = app.compiled_pack(str(folder))
    assert app.compiled_pack(str(folder)) is before
    with (folder / "pack.yaml").open("a", encoding="utf-8") as head:
        head.write("\n# changed\n")
    assert app.compiled_pack(str(folder)) is not before
    assert app.compiled_folders() == [folder.resolve()]


def test_a_pack_that_fails_is_left_to_the_call(tmp_path: Path) -> None:
    assert app.warm_up_rules([str(tmp_path / "missing")]) == []
