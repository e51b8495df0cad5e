"""The collector's window: worklist from the store, a call followed live (pytest-qt, offscreen)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_assist.call.demo import MODEL_NAME
from agent_assist.compliance.worklist import WorklistItem
from agent_assist.errors import StoreError, UserError
from agent_assist.events import CallEnded, Event, Final, Flag, Partial
from agent_assist.store.database import open_database
from agent_assist.store.tables import Call, FlagRow, Promise
from agent_assist.ui import run
from agent_assist.ui.controllers.main_controller import MainController
from agent_assist.ui.transcript_model import TranscriptModel
from agent_assist.ui.views.main_window import MainWindow
from tests.support.databases import copy_sqlite


def partial(text: str, utterance: int = 0) -> Partial:
    return Partial(speaker="agent", utterance=utterance, text=text, start_ms=0, t_ms=100)


def final(text: str, utterance: int = 0) -> Final:
    return Final(speaker="agent", utterance=utterance, text=text, start_ms=0, end_ms=900, t_ms=1000)


def threat(state: str = "confirmed") -> Flag:
    return Flag(
        flag_id="f1",
        state=state,  # type: ignore[arg-type]
        rule_id="zh.agent.threat.visit_workplace",
        category="agent.threat",
        severity="critical",
        speaker="agent",
        utterance=0,
        text="我明天去你单位闹",
        start=1,
        end=6,
        kind="exact",
        score=1.0,
        explanation="威胁到单位闹事属于暴力催收",
        reply="zh.reply.rephrase_respectfully",
        t_ms=1000,
    )


def test_partials_grow_one_row_and_flags_mark_it(qtbot: QtBot) -> None:
    model = TranscriptModel()
    for event in (
        partial("我明天"),
        partial("我明天去你单位"),
        final("我明天去你单位闹"),
        threat(),
    ):
        model.on_event(event)
    assert model.rowCount() == 1
    row = model.utterance(0)
    assert (row.text, row.final, [f.flag_id for f in row.flags]) == (
        "我明天去你单位闹",
        True,
        ["f1"],
    )
    assert "威胁" in model.data(model.index(0), 3)  # the tooltip explains the flag
    model.on_event(threat("retracted"))
    assert model.utterance(0).flags == ()


@pytest.fixture(scope="module")
def demo_url(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return copy_sqlite(demo_db_file, tmp_path_factory.mktemp("ui") / "demo.db")


@pytest.fixture
def window(qtbot: QtBot, demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", demo_url)
    shown = run.build("zhang.wei")
    qtbot.addWidget(shown)
    shown.refresh_action.trigger()  # the app reads the worklist once the window is up
    qtbot.waitUntil(lambda: shown.worklist.model().rowCount() > 0, timeout=10_000)
    return shown


@pytest.mark.slow
def test_the_worklist_comes_from_the_store(window: MainWindow) -> None:
    model = window.worklist.model()
    assert model.rowCount() > 10
    assert model.data(model.index(0, 0)).startswith("DEMO-CN-")


@pytest.mark.slow
def test_a_call_is_followed_and_a_crossed_line_raises_the_banner(
    window: MainWindow, qtbot: QtBot
) -> None:
    controller = window.findChild(run.MainController)
    assert controller is not None
    events: list[Event] = [partial("我明天"), final("我明天去你单位闹"), threat()]
    events.append(CallEnded(reason="completed", t_ms=2000))
    stored: list[Event] = []
    with qtbot.waitSignal(controller.bridge.finished, timeout=5000):
        controller.bridge.pump(iter(events), stored.append)
    assert window.transcript.model().rowCount() == 1
    assert not window.banner.isHidden()
    assert window.banner.category.text() == "Threat"
    assert window.alerts.cards() == []  # the banner says it
    assert stored == events  # kept before shown
    window.banner.acknowledge.click()
    assert window.banner.isHidden()


def test_an_unknown_user_is_a_clear_message(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", demo_url)
    with pytest.raises(UserError, match="agent-assist db demo"):
        run.build("nobody")


@pytest.mark.slow
def test_a_demo_call_plays_through_the_real_session_and_is_stored(
    qtbot: QtBot, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", demo_url)
    shown = run.build("zhang.wei", demo_speed=40)
    qtbot.addWidget(shown)
    assert shown.demo_action.isEnabled()
    assert not shown.start_action.isEnabled()  # no speech model loaded in this test
    shown.demo_action.trigger()
    assert shown.stop_action.isEnabled()
    qtbot.waitUntil(shown.demo_action.isEnabled, timeout=30_000)
    assert shown.transcript.model().rowCount() >= 4
    assert not shown.banner.isHidden()  # the dialogue's collector threatens a workplace visit
    cues = [card for card in shown.alerts.cards() if card.kind == "cue"]
    assert cues  # the debtor is short of money, then threatens to complain
    assert any(not card.reply.isHidden() for card in cues)
    db = open_database(demo_url)
    try:
        with db.session() as session:
            stored = session.scalars(select(Call).where(Call.model == MODEL_NAME)).all()
        assert stored
        assert stored[-1].flag_count >= 1
    finally:
        db.close()


@pytest.mark.slow
def test_a_whole_demo_call_on_the_selected_case_is_followed_and_wrapped_up(
    qtbot: QtBot, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Transcript grows, a crossed line raises the banner, the debtor's cue changes the
    suggested script, and the wrap-up saves the call, its promise and its flags."""
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", demo_url)
    shown = run.build("zhang.wei", demo_speed=40)
    qtbot.addWidget(shown)
    shown.refresh_action.trigger()  # the app reads the worklist once the window is up
    qtbot.waitUntil(lambda: shown.worklist.model().rowCount() > 0, timeout=10_000)
    window_controller = shown.findChild(run.MainController)
    assert window_controller is not None
    worklist = window_controller.worklist
    row = next(  # a case whose status lets it be called: a blocked one keeps no promise
        r for r in range(worklist.rowCount()) if not worklist.item(r).priority.blocked
    )
    shown.worklist.selectRow(row)
    case_ref = shown.worklist.model().data(shown.worklist.model().index(row, 0)).split(" ")[0]
    assert shown.profile.case_ref.text() == case_ref  # the profile follows the selection
    opening = shown.scripts.context.text()
    assert shown.scripts.lines.count() > 0  # and so do the suggested lines
    contexts: list[str] = []
    window_controller.bridge.received.connect(
        lambda _e: contexts.append(shown.scripts.context.text())
    )

    shown.demo_action.trigger()
    qtbot.waitUntil(lambda: shown.findChild(run.WrapUpDialog) is not None, timeout=30_000)
    dialog = shown.findChild(run.WrapUpDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert shown.transcript.model().rowCount() >= 8  # the dialogue's turns
    assert not shown.banner.isHidden()  # the collector threatened a visit to the workplace
    assert "Hardship" in " ".join(contexts)  # the script answered the debtor's cues
    assert shown.scripts.context.text() != opening
    assert dialog.outcome.currentData() == "promise_to_pay"  # heard, prefilled
    assert dialog.promise_check.isChecked()
    promised = dialog.promise_amount.text()

    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save_button.click()
    db = open_database(demo_url)
    try:
        with db.session() as session:
            call = session.scalars(
                select(Call)
                .where(Call.outcome == "promise_to_pay")
                .order_by(Call.started_at.desc())
            ).first()
            assert call is not None
            assert call.case_id is not None
            promises = session.scalars(select(Promise).where(Promise.call_id == call.id)).all()
            categories = set(
                session.scalars(select(FlagRow.category).where(FlagRow.call_id == call.id))
            )
    finally:
        db.close()
    assert [p.amount for p in promises] == [Decimal(promised)]
    assert {"agent.threat", "debtor.hardship", "debtor.promise_to_pay"} <= categories


def test_the_worklist_is_read_off_the_ui_thread_and_a_failure_is_a_message(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    readers: list[str] = []

    def unreachable() -> list[WorklistItem]:
        readers.append(threading.current_thread().name)
        raise StoreError("the team database at db.bank.local does not answer; check the network")

    controller = MainController(window, unreachable)
    controller.refresh()
    assert not window.refresh_action.isEnabled()  # one read at a time
    qtbot.waitUntil(window.refresh_action.isEnabled, timeout=5000)
    assert readers == ["worklist"]
    assert "does not answer" in window.statusBar().currentMessage()
    assert controller.worklist.rowCount() == 0
