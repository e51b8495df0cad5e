"""The review window's "Note a missed flag…" (pytest-qt, offscreen, SQLite and PostgreSQL):
M on a transcript line opens the dialog with the line's words and its speaker's categories;
saving stores the masked note off the UI thread; a refusal keeps the dialog open."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_assist.privacy import mask_text
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.database import Database, open_database
from agent_assist.store.proposals_repo import ProposalRepository
from agent_assist.store.records import UserRecord
from agent_assist.store.tables import MissedFlag
from agent_assist.ui import review_run
from agent_assist.ui.review.controllers.call_review_controller import CallReviewController
from agent_assist.ui.review.controllers.missed_flag_controller import MissedFlagController
from agent_assist.ui.review.views.call_panel import CallPanel
from tests.core.store.builders import ended, final, flag, started, team_of

DEBTOR_LINE = "你 再 打 一 三 八 零 零 一 三 八 零 零 零 我 就 去 投诉 你"


@dataclass(frozen=True)
class Lead:
    db: Database
    lee: UserRecord


@pytest.fixture
def lead(db: Database) -> Lead:
    """Lee leads team red; Ann's call c1: her threat (flagged), then the debtor's line."""
    ann, _bo, lee, *_ = team_of(db)
    ops = CallOps(str, user_id=ann.id, team_id=ann.team_id)
    events = (
        started("c1"),
        final(1, "我们明天就去你单位找你领导"),
        final(2, DEBTOR_LINE, "debtor"),
        flag("f1"),
        ended(),
    )
    for event in events:
        for op in ops.ops_for(event):
            apply_op(db, op)
    return Lead(db, lee)


@dataclass
class Opened:
    window: QMainWindow
    panel: CallPanel
    call: CallReviewController
    missed: MissedFlagController


@pytest.fixture
def review(qtbot: QtBot, lead: Lead) -> Opened:
    """The review window's call panel with its controllers, as ``review_run`` wires them
    (without the live floor's watcher, which outlives a test on its own schedule)."""
    window, panel = QMainWindow(), CallPanel()
    window.setCentralWidget(panel)
    actor = lead.lee.as_actor()
    call = CallReviewController(panel, CallRepository(lead.db, str), actor, lambda _rule: "")
    proposals = ProposalRepository(lead.db, mask_text)
    missed = MissedFlagController(panel, call, proposals, actor, parent=window)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # shortcuts go to the active window
    qtbot.waitUntil(window.isActiveWindow)
    return Opened(window, panel, call, missed)


def stored(db: Database) -> list[tuple[str, int, str, str, str]]:
    with db.session() as session:
        rows = session.scalars(select(MissedFlag).order_by(MissedFlag.id))
        return [(m.speaker, m.utterance, m.category, m.text, m.note) for m in rows]


def test_m_on_a_line_notes_its_words_for_the_trainers(
    qtbot: QtBot, lead: Lead, review: Opened
) -> None:
    panel = review.panel
    panel.note_missed.click()
    assert panel.status.text() == "Open a call first."
    review.call.open("c1")
    qtbot.waitUntil(lambda: review.call.transcript.rowCount() == 2)

    line = review.call.transcript.index(1)  # the debtor's line
    panel.transcript.selectionModel().select(line, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(panel.transcript, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: review.missed.dialog is not None)  # a shortcut clicks after 100 ms
    dialog = review.missed.dialog
    assert dialog is not None
    assert dialog.line.text() == "Debtor, line 2"
    assert dialog.words.toPlainText() == DEBTOR_LINE
    names = [dialog.category.itemText(i) for i in range(dialog.category.count())]
    assert "Complaint threat" in names
    assert "Threat" not in names  # the collector's categories are not offered for a debtor
    dialog.category.setCurrentIndex(names.index("Complaint threat"))
    qtbot.keyClicks(dialog.note, "no rule caught it")
    with qtbot.waitSignal(review.missed.noted, timeout=10_000):
        dialog.save.click()
    qtbot.waitUntil(lambda: review.missed.dialog is None)
    assert panel.status.text() == "Missed flag noted for the trainers."
    # Masked on the way in: the spoken phone number does not reach the trainers.
    ((speaker, utterance, category, text, note),) = stored(lead.db)
    assert (speaker, utterance, category, note) == (
        "debtor",
        2,
        "debtor.complaint_threat",
        "no rule caught it",
    )
    assert "一 三 八 零 零 一 三 八 零 零 零" not in text
    assert text.startswith("你 再 打")

    # The same words again: refused, and the dialog stays open to change them.
    panel.transcript.selectionModel().select(line, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    panel.note_missed.click()
    again = review.missed.dialog
    assert again is not None
    again.category.setCurrentIndex(names.index("Complaint threat"))
    again.save.click()
    qtbot.waitUntil(lambda: "already noted" in again.status.text())
    assert again.isVisible()
    assert again.save.isEnabled()
    assert len(stored(lead.db)) == 1


def test_without_a_selected_line_the_selected_flags_line_is_used(
    qtbot: QtBot, lead: Lead, review: Opened
) -> None:
    review.call.open("c1")
    qtbot.waitUntil(lambda: review.call.flags.rowCount() == 1)
    assert review.call.selected_flag() is not None  # the first flag is selected on opening
    review.panel.note_missed.click()
    dialog = review.missed.dialog
    assert dialog is not None
    assert dialog.line.text() == "Collector, line 1"
    assert dialog.words.toPlainText() == "我们明天就去你单位找你领导"
    dialog.words.setPlainText("  ")
    dialog.save.click()
    assert dialog.status.text() == "Write the words that should have been flagged."
    dialog.reject()
    qtbot.waitUntil(lambda: review.missed.dialog is None)
    assert stored(lead.db) == []


def test_the_review_window_has_it_for_its_call_panel(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'wired.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    team_of(db)
    db.close()
    window = review_run.build("lee", "en")
    qtbot.addWidget(window)
    missed = window.findChild(MissedFlagController)
    assert missed is not None
    assert missed.panel is window.call
    assert window.call.note_missed.shortcut().toString() == "M"
