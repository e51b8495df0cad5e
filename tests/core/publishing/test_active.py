from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from agent_assist import paths
from agent_assist.publishing import active
from agent_assist.publishing.active import (
    active_folder,
    pack_for_call,
    published_dir,
    scripts_for_call,
    version_family,
)
from agent_assist.publishing.bundle import bundle, unbundle
from agent_assist.store.database import Database
from agent_assist.store.engine import open_engine
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.records import Actor
from agent_assist.store.tables import Team
from tests.core.publishing.builders import REF, pack_folder, pack_text, ship_test_packs
from tests.core.store.builders import team_of


@pytest.fixture
def trainer(db: Database, monkeypatch: pytest.MonkeyPatch) -> Actor:
    ship_test_packs(monkeypatch)
    *_, tia = team_of(db)
    return tia.as_actor()


def count_fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each version's content fetched from the database, as it happens."""
    fetched: list[str] = []
    original = LibraryRepository.content

    def content(self: LibraryRepository, kind: str, ref: str, version: str) -> object:
        fetched.append(version)
        return original(self, kind, ref, version)  # type: ignore[arg-type]

    monkeypatch.setattr(LibraryRepository, "content", content)
    return fetched


def test_a_call_runs_the_shipped_pack_until_one_is_published(
    db: Database, trainer: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched = count_fetches(monkeypatch)
    assert pack_for_call(db, REF) == REF
    assert pack_for_call(None, REF) == REF  # no database configured
    assert pack_for_call(db, None) is None  # no pack for the model's language
    assert pack_for_call(db, "none") == "none"

    LibraryRepository(db).publish(trainer, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0"))
    first = pack_for_call(db, REF)
    again = pack_for_call(db, REF)

    version = LibraryRepository(db).active("rule_pack", REF)
    assert version is not None
    expected = published_dir() / "rule_pack" / REF / version.sha256 / REF
    assert first == again == str(expected)
    assert expected.is_relative_to(paths.data_dir())
    assert unbundle(bundle(expected)) == unbundle(pack_text(tmp_path / "x", "2.0"))
    assert fetched == ["2.0"]  # unpacked once; the next call only asked which version


def test_a_folder_named_explicitly_is_kept(db: Database, trainer: Actor, tmp_path: Path) -> None:
    LibraryRepository(db).publish(trainer, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0"))
    mine = str(pack_folder(tmp_path, "draft"))
    assert pack_for_call(db, mine) == mine


def test_rollback_reaches_the_next_call(db: Database, trainer: Actor, tmp_path: Path) -> None:
    library = LibraryRepository(db)
    library.publish(trainer, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0"))
    second = pack_for_call(db, REF)
    library.publish(trainer, "rule_pack", REF, "3.0", pack_text(tmp_path, "3.0", added_rule=True))
    third = pack_for_call(db, REF)
    assert third != second
    assert Path(third).is_dir()
    library.rollback(trainer, "rule_pack", REF)
    assert pack_for_call(db, REF) == second
    library.rollback(trainer, "rule_pack", REF)
    assert pack_for_call(db, REF) == REF


def test_a_database_that_is_away_leaves_the_last_active_version(
    db: Database,
    trainer: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    LibraryRepository(db).publish(trainer, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0"))
    last = pack_for_call(db, REF)
    # Nothing listens on port 9: the connection is refused at once.
    away = Database(open_engine("postgresql+psycopg://nobody@127.0.0.1:9/none"))
    asked: list[str] = []
    original = LibraryRepository.active

    def spy(self: LibraryRepository, kind: str, ref: str, **scope: int | None) -> object:
        asked.append(ref)
        return original(self, kind, ref, **scope)  # type: ignore[arg-type]

    monkeypatch.setattr(LibraryRepository, "active", spy)
    try:
        with caplog.at_level(logging.WARNING, logger=active.__name__):
            assert pack_for_call(away, REF) == last
            assert pack_for_call(away, REF) == last
        assert asked == [REF]  # not asked again at once: calls do not wait on the timeout
        assert "did not answer" in caplog.text
        assert "the last active version" in caplog.text

        # A desktop that never saw a published version runs the shipped files.
        assert pack_for_call(away, REF, root=tmp_path / "fresh") == REF
        monkeypatch.setattr(active, "RETRY_S", 0.0)
        assert pack_for_call(away, REF) == last
        assert len(asked) == 2  # asked again once the pause is over
    finally:
        away.close()


def test_the_script_library_follows_the_active_version(
    db: Database, trainer: Actor, tmp_path: Path
) -> None:
    shipped = paths.resources_dir() / "scripts" / "en-US"
    assert scripts_for_call(db, "en-US") == shipped
    text = bundle(shipped)
    LibraryRepository(db).publish(trainer, "script_library", "en-US", "9", text)
    folder = scripts_for_call(db, "en-US")
    assert folder != shipped
    assert bundle(folder) == text
    assert active_folder(db, "rule_pack", "en-US") is None  # the pack of that id is not


def unpacked(ref: str = REF) -> set[str]:
    """The versions (SHA-256s) unpacked in the data folder."""
    home = published_dir() / "rule_pack" / ref
    return {p.name for p in home.iterdir() if p.is_dir()} if home.is_dir() else set()


def publish(db: Database, trainer: Actor, tmp_path: Path, version: str) -> str:
    """Publish and follow ``version`` (a pack that differs from the others); its SHA-256."""
    text = pack_text(tmp_path / version, version, added_rule=version.endswith("+"))
    LibraryRepository(db).publish(trainer, "rule_pack", REF, version, text)
    pack_for_call(db, REF)
    found = LibraryRepository(db).active("rule_pack", REF)
    assert found is not None
    return found.sha256


def test_a_new_version_removes_all_but_the_one_before_it(
    db: Database, trainer: Actor, tmp_path: Path
) -> None:
    shas = [publish(db, trainer, tmp_path, v) for v in ("2.0", "3.0", "4.0", "5.0")]
    assert unpacked() == set(shas[-2:])  # a call started on 4.0 may still read its files

    # Back to one removed: unpacked again, and the one it replaces is kept in turn.
    LibraryRepository(db).activate(trainer, "rule_pack", REF, "2.0")
    assert pack_for_call(db, REF).startswith(str(published_dir() / "rule_pack" / REF / shas[0]))
    assert unpacked() == {shas[0], shas[3]}


def test_the_version_the_pointer_names_is_never_removed(
    db: Database, trainer: Actor, tmp_path: Path
) -> None:
    home = published_dir() / "rule_pack" / REF
    first, second = (publish(db, trainer, tmp_path, v) for v in ("2.0", "3.0"))
    # Another process sharing the data folder (the command line) went back to 2.0.
    (home / active.POINTER).write_text(json.dumps({"version": "2.0", "sha256": first}))
    third = publish(db, trainer, tmp_path, "4.0")
    assert unpacked() == {first, third}
    assert second not in unpacked()


def test_a_version_that_cannot_be_removed_is_only_logged(
    db: Database,
    trainer: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shas = [publish(db, trainer, tmp_path, v) for v in ("2.0", "3.0")]

    home = published_dir() / "rule_pack" / REF
    rmtree = shutil.rmtree

    def in_use(path: Path, **kwargs: Any) -> None:
        if Path(path).parent == home:  # as another process's open file on some systems
            raise PermissionError(13, "in use", str(path))
        rmtree(path, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", in_use)
    with caplog.at_level(logging.WARNING, logger=active.__name__):
        newest = publish(db, trainer, tmp_path, "4.0")
    assert pack_for_call(db, REF).endswith(f"{newest}/{REF}")
    assert unpacked() == {*shas, newest}
    assert "was not removed" in caplog.text


def test_the_versions_of_one_ref_are_one_family(tmp_path: Path) -> None:
    home = tmp_path / "published" / "rule_pack" / REF
    sha = "ab" * 32
    assert version_family(home / sha / REF) == home
    assert version_family(tmp_path / "packs" / REF) == tmp_path / "packs" / REF
    assert version_family(home / "not-a-sha" / REF) == home / "not-a-sha" / REF


def test_a_call_start_does_not_wait_for_another_desktops_write(
    db: Database, trainer: Actor, tmp_path: Path
) -> None:
    LibraryRepository(db).publish(trainer, "rule_pack", REF, "2.0", pack_text(tmp_path, "2.0"))
    writing, done = threading.Event(), threading.Event()

    def writer() -> None:  # another desktop storing a call, its transaction still open
        with db.session() as session:
            session.add(Team(name="green"))
            session.flush()
            writing.set()
            done.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(10)
        started = time.monotonic()
        folder = pack_for_call(db, REF, root=tmp_path / "published")
        waited = time.monotonic() - started
    finally:
        done.set()
        thread.join(10)
    assert Path(folder).is_relative_to(tmp_path / "published"), "the published version"
    assert waited < 5, f"the look-up queued behind the writer for {waited:.1f} s"
