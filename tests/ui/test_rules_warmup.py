"""The desktop keeps the rule packs of the next calls compiled while it is idle: the team's
active version at launch, and a version published later before the call that needs it."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from agent_assist import app
from agent_assist.publishing.active import pack_for_call, published_dir
from agent_assist.rules.registry import resolve_pack
from agent_assist.store.database import open_database
from agent_assist.store.library_repo import LibraryRepository
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.ui import run
from agent_assist.ui.controllers.rules_warmup_controller import RulesWarmUpController
from tests.core.publishing.builders import REF, pack_text, ship_test_packs
from tests.core.store.builders import team_of


def test_a_check_is_skipped_during_a_call_and_while_the_last_one_runs() -> None:
    owner = QObject()
    busy = True
    release = threading.Event()
    asked: list[Sequence[str]] = []

    def warm_up(packs: Sequence[str]) -> None:
        asked.append(packs)
        release.wait(5)

    rules = RulesWarmUpController(owner, warm_up, lambda: busy)
    first = rules.start(["zh-CN", "en-US", "zh-CN"])  # at launch, whatever happens
    assert rules.check() is None  # a call is starting or running
    busy = False
    assert rules.check() is None  # the launch's compile still runs
    release.set()
    first.join(5)
    again = rules.check()
    assert again is not None
    again.join(5)
    assert asked == [("zh-CN", "en-US")] * 2


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    db = open_database(url)
    team_of(db)
    db.close()
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    ship_test_packs(monkeypatch)
    monkeypatch.setattr(app, "_compiled", {})
    gc.unfreeze()  # what tests/ui/conftest.py froze: the test sees the warm-up's freeze alone
    yield url
    gc.unfreeze()  # what the warm-up froze is the test's, not the app's


def test_a_version_published_while_the_window_is_idle_is_compiled_without_a_call(
    qtbot: QtBot, db_url: str, tmp_path: Path
) -> None:
    window = run.build("ann", "en")
    qtbot.addWidget(window)
    rules = window.findChild(RulesWarmUpController)
    assert rules is not None
    rules.start([REF]).join(30)
    assert app.compiled_folders() == [resolve_pack(REF).resolve()]  # nothing published yet
    assert gc.get_freeze_count() > 0

    trainer_db = open_database(db_url, upgrade=False)
    try:
        tia = PeopleRepository(trainer_db).find("tia")
        assert tia is not None
        text = pack_text(tmp_path, "2.0", added_rule=True)
        LibraryRepository(trainer_db).publish(tia.as_actor(), "rule_pack", REF, "2.0", text)
        thread = rules.check()
        assert thread is not None
        thread.join(30)
        published = Path(pack_for_call(trainer_db, REF))
    finally:
        trainer_db.close()
    assert published.is_relative_to(published_dir())
    assert published.resolve() in app.compiled_folders()  # the next call finds it compiled
