"""Working copies (SQLite and PostgreSQL): made once from the active published version or
the shipped files, then kept; what they started from is remembered; versions to publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist import paths
from agent_assist.errors import UserError
from agent_assist.publishing.bundle import bundle, unbundle
from agent_assist.publishing.working_copy import (
    ORIGIN_FILE,
    drafts_dir,
    open_working_copy,
    suggest_version,
)
from agent_assist.rules.loader import load_pack
from agent_assist.store.database import Database
from agent_assist.store.library_repo import SHIPPED, LibraryRepository
from agent_assist.store.records import Actor
from tests.core.publishing.builders import PACKS, REF, pack_text, ship_test_packs
from tests.core.store.builders import team_of


@pytest.fixture
def trainer(db: Database, monkeypatch: pytest.MonkeyPatch) -> Actor:
    ship_test_packs(monkeypatch)  # mini-zh is published, as the ids desktops follow are
    *_, tia = team_of(db)
    return tia.as_actor()


def test_a_working_copy_starts_from_the_shipped_files_when_nothing_is_published(
    db: Database,
) -> None:
    copy = open_working_copy(LibraryRepository(db), "rule_pack", REF, PACKS / REF)

    assert copy.folder == paths.data_dir() / "drafts" / "rule_pack" / REF
    assert copy.folder.parent.parent == drafts_dir()
    assert copy.started_from == SHIPPED
    assert copy.made_now
    assert unbundle(bundle(copy.folder)) == unbundle(bundle(PACKS / REF))
    assert load_pack(copy.folder).info.id == REF  # the folder is named as the loader wants


def test_a_working_copy_starts_from_the_active_published_version(
    db: Database, trainer: Actor, tmp_path: Path
) -> None:
    library = LibraryRepository(db)
    published = pack_text(tmp_path, "2.0", added_rule=True)
    library.publish(trainer, "rule_pack", REF, "2.0", published)

    copy = open_working_copy(library, "rule_pack", REF, PACKS / REF)

    assert copy.started_from == "2.0"
    assert bundle(copy.folder) == published  # byte for byte; the note is left out
    assert (copy.folder / ORIGIN_FILE).is_file()
    rules = {rule.id for rule in load_pack(copy.folder).rules}
    assert "zh.agent.threat.purple_elephant" in rules


def test_a_working_copy_is_kept_with_its_edits_and_its_origin(
    db: Database, trainer: Actor, tmp_path: Path
) -> None:
    library = LibraryRepository(db)
    first = open_working_copy(library, "rule_pack", REF, PACKS / REF)
    edited = first.folder / "rules" / "agent.yaml"
    edited.write_text("# mine\n" + edited.read_text(encoding="utf-8"), encoding="utf-8")
    library.publish(trainer, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0"))

    again = open_working_copy(library, "rule_pack", REF, PACKS / REF)

    assert again.folder == first.folder
    assert not again.made_now
    assert again.started_from == SHIPPED  # what it was made from, not what is active now
    assert edited.read_text(encoding="utf-8").startswith("# mine\n")


def test_a_folder_without_its_note_says_nothing_about_its_origin(db: Database) -> None:
    copy = open_working_copy(LibraryRepository(db), "rule_pack", REF, PACKS / REF)
    (copy.folder / ORIGIN_FILE).unlink()
    again = open_working_copy(LibraryRepository(db), "rule_pack", REF, PACKS / REF)
    assert again.started_from is None


def test_nothing_published_nor_shipped_is_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="neither published nor shipped"):
        open_working_copy(LibraryRepository(db), "script_library", "ko-KR", tmp_path / "none")
    assert not (drafts_dir() / "script_library" / "ko-KR").exists()


@pytest.mark.parametrize(
    ("own", "published", "expected"),
    [
        ("2026.11.1", [], "2026.11.1"),
        ("2026.11.1", ["2026.11.1"], "2026.11.2"),
        ("2026.11.1", ["2026.11.1", "2026.11.2"], "2026.11.3"),
        ("1.9", ["1.9"], "1.10"),
        ("v3-beta", ["v3-beta"], "v4-beta"),
        ("draft", ["draft"], "draft.1"),
        ("", [], "1"),
    ],
)
def test_the_suggested_version_is_the_drafts_own_or_the_next_free_one(
    own: str, published: list[str], expected: str
) -> None:
    assert suggest_version(own, published) == expected
