"""The team lead's review window on SQLite and PostgreSQL (pytest-qt, offscreen): filters
narrow the queue and its count, the keyboard moves and opens, verdicts and notes are
stored, a collector is turned away, and calls written meanwhile show up."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_assist.errors import UserError
from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import packs_dir
from agent_assist.store.audit import read_audit
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import UserRecord
from agent_assist.store.tables import CoachingNote
from agent_assist.ui import review_run
from agent_assist.ui.review.controllers.call_review_controller import CallReviewController
from agent_assist.ui.review.controllers.queue_controller import QueueController
from agent_assist.ui.review.views.review_window import ReviewWindow
from tests.core.store.builders import flag, team_of
from tests.ui.review.stored_calls import flag_on, write_call


@dataclass(frozen=True)
class Team:
    db: Database
    ann: UserRecord
    bo: UserRecord
    lee: UserRecord
    kim: UserRecord


@pytest.fixture
def team(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Team:
    """Team red: Ann and Bo collect, Lee leads; Kim leads team blue."""
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", db_url)
    ann, bo, lee, kim, _tia = team_of(db)
    return Team(db, ann, bo, lee, kim)


@dataclass
class Opened:
    window: ReviewWindow
    queue: QueueController
    call: CallReviewController

    def count(self) -> str:
        return self.window.queue.count.text()

    def listed(self) -> list[str]:
        model = self.queue.model
        return [model.call(row).id for row in range(model.rowCount())]


def open_review(qtbot: QtBot, username: str) -> Opened:
    window = review_run.build(username, "en")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    queue = window.findChild(QueueController)
    call = window.findChild(CallReviewController)
    assert queue is not None
    assert call is not None
    opened = Opened(window, queue, call)
    qtbot.waitUntil(lambda: opened.count().endswith(" calls"))
    return opened


def choose(combo: QComboBox, text: str) -> None:
    at = combo.findText(text)
    assert at >= 0, f"{text!r} is not among {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(at)


def test_filters_narrow_the_queue_and_its_count(qtbot: QtBot, team: Team) -> None:
    insult = replace(flag("f2", severity="warning"), category="agent.insult")
    write_call(team.db, "ann-threat", team.ann, 2, flag("f1"))
    write_call(team.db, "bo-insult", team.bo, 3, insult)
    write_call(team.db, "bo-threat", team.bo, 4, flag("f1"))
    write_call(team.db, "blue-call", team.kim, 4, flag("f1"))  # another team's
    review = open_review(qtbot, team.lee.username)
    assert review.count() == "3 calls"
    # The page and the count are read apart: the page may come second.
    qtbot.waitUntil(lambda: review.listed() == ["bo-threat", "bo-insult", "ann-threat"])

    choose(review.window.queue.collector, "Bo")
    qtbot.waitUntil(lambda: review.count() == "2 calls")
    choose(review.window.queue.category, "Insult")
    qtbot.waitUntil(lambda: review.listed() == ["bo-insult"])
    qtbot.waitUntil(lambda: review.count() == "1 calls")
    choose(review.window.queue.category, "Any")
    choose(review.window.queue.min_severity, "Critical")
    qtbot.waitUntil(lambda: review.listed() == ["bo-threat"])

    choose(review.window.queue.collector, "Any")
    choose(review.window.queue.order, "Most severe first")
    qtbot.waitUntil(lambda: review.listed() == ["bo-threat", "ann-threat"])
    review.window.queue.until.setDate(QDate(2026, 11, 3))
    qtbot.waitUntil(lambda: review.listed() == ["ann-threat"])
    qtbot.waitUntil(lambda: review.count() == "1 calls")


def test_keys_move_through_the_queue_and_enter_opens_an_audited_call(
    qtbot: QtBot, team: Team
) -> None:
    write_call(team.db, "older", team.ann, 2, flag("f1"))
    write_call(team.db, "newer", team.bo, 3, flag("f1"))
    review = open_review(qtbot, team.lee.username)
    table = review.window.queue.table
    qtbot.waitUntil(lambda: len(review.listed()) == 2)
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert review.queue.selected_call() == "newer"
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert review.queue.selected_call() == "older"
    qtbot.keyClick(table, Qt.Key.Key_K)
    assert review.queue.selected_call() == "newer"
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert review.queue.selected_call() == "older"

    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: review.call.detail is not None)
    assert review.call.detail is not None
    assert review.call.detail.call.id == "older"
    assert review.window.call.heading.text().startswith("Ann, ")
    assert review.call.transcript.rowCount() == 1
    assert review.call.flags.rowCount() == 1
    entries = [(e.actor_id, e.action, e.target_id) for e in read_audit(team.db, SYSTEM)]
    assert (team.lee.id, "read_call", "older") in entries


def test_selecting_a_flag_brings_its_words_into_view(qtbot: QtBot, team: Team) -> None:
    write_call(team.db, "long", team.ann, 2, flag_on(3, "early"), flag_on(75, "late"), lines=80)
    review = open_review(qtbot, team.lee.username)
    review.window.resize(1200, 700)
    review.call.open("long")
    qtbot.waitUntil(lambda: review.call.flags.rowCount() == 2)
    transcript = review.window.call.transcript

    def in_view(utterance: int) -> bool:
        rect = transcript.visualRect(review.call.transcript.index(utterance - 1))
        return rect.isValid() and transcript.viewport().rect().contains(rect.center())

    review.window.call.flags.selectRow(1)
    qtbot.waitUntil(lambda: in_view(75))
    assert not in_view(3)
    review.window.call.flags.selectRow(0)
    qtbot.waitUntil(lambda: in_view(3))
    assert not in_view(75)


def test_verdicts_and_a_note_are_stored_and_the_call_shows_as_reviewed(
    qtbot: QtBot, team: Team
) -> None:
    write_call(team.db, "c1", team.ann, 2, flag_on(1, "a"), flag_on(2, "b"), lines=3)
    review = open_review(qtbot, team.lee.username)
    review.call.open("c1")
    qtbot.waitUntil(lambda: review.call.flags.rowCount() == 2)
    panel = review.window.call
    panel.flags.setFocus()
    first, second = (review.call.flags.flag(row) for row in (0, 1))
    assert review.call.selected_flag() == first
    qtbot.keyClick(panel.flags, Qt.Key.Key_N)
    assert review.call.selected_flag() == second
    qtbot.keyClick(panel.flags, Qt.Key.Key_P)
    assert review.call.selected_flag() == first
    qtbot.keyClick(panel.flags, Qt.Key.Key_2)  # the first flag: a false positive
    qtbot.keyClick(panel.flags, Qt.Key.Key_3)  # then the next: needs coaching
    calls = CallRepository(team.db, str)

    def verdicts() -> list[str | None]:
        # An audited read (it writes too) while the window writes: they take turns.
        return [f.verdict for f in calls.get(SYSTEM, "c1").flags]

    qtbot.waitUntil(lambda: verdicts() == ["false_positive", "needs_coaching"])
    qtbot.waitUntil(lambda: review.call.flags.flag(1).verdict == "needs_coaching")

    qtbot.keyClicks(panel.note, "slow down123")  # typed digits stay in the note
    assert panel.note.toPlainText() == "slow down123"
    panel.send_note.click()
    qtbot.waitUntil(lambda: panel.status.text() == "Coaching note sent.")
    with team.db.session() as session:
        notes = [(n.text, n.collector_id) for n in session.scalars(select(CoachingNote))]
    assert notes == [("slow down123", team.ann.id)]
    assert verdicts() == ["false_positive", "needs_coaching"]

    panel.mark_reviewed.click()
    qtbot.waitUntil(lambda: "c1" not in review.listed())
    assert calls.get(SYSTEM, "c1").call.review_state == "reviewed"
    choose(review.window.queue.review_state, "Reviewed")
    qtbot.waitUntil(lambda: review.listed() == ["c1"])
    assert review.queue.model.data(review.queue.model.index(0, 6)) == "Reviewed"


def test_a_collector_is_told_the_window_is_for_team_leads(
    qtbot: QtBot, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UserError, match="team leads and admins"):
        review_run.build(team.ann.username, "en")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: told.append(text))
    assert review_run.main(["--as", team.ann.username, "--lang", "en"]) == 2
    assert told
    assert "Sign in as your team lead" in told[0]


def test_calls_written_by_two_collectors_show_while_the_lead_refreshes(
    qtbot: QtBot, team: Team
) -> None:
    review = open_review(qtbot, team.lee.username)
    assert review.count() == "0 calls"
    per_collector = 6

    def collect(who: UserRecord) -> None:
        for n in range(per_collector):
            write_call(team.db, f"{who.username}-{n}", who, 10 + n, flag("f1"), lines=3)

    writers = [threading.Thread(target=collect, args=(who,)) for who in (team.ann, team.bo)]
    for writer in writers:
        writer.start()
    while any(writer.is_alive() for writer in writers):
        review.queue.refresh()
        qtbot.wait(20)
    for writer in writers:
        writer.join()
    review.queue.refresh()
    qtbot.waitUntil(lambda: review.count() == f"{2 * per_collector} calls")
    # The page and the count are read on threads of their own: either may come first.
    qtbot.waitUntil(lambda: len(set(review.listed())) == 2 * per_collector)


def test_a_flag_says_why_its_rule_flags(qtbot: QtBot, team: Team) -> None:
    rule = load_pack(packs_dir() / "zh-CN").rule("zh.agent.threat.violence")
    write_call(team.db, "c1", team.ann, 2, replace(flag_on(1, "a"), rule_id=rule.id))
    review = open_review(qtbot, team.lee.username)
    review.call.open("c1")
    qtbot.waitUntil(lambda: review.call.flags.rowCount() == 1)
    flags = review.call.flags
    why = flags.data(flags.index(0, flags.columnCount() - 1))
    assert why == rule.explanation
    assert flags.data(flags.index(0, 0)) == "0:01"  # 1.9 s into the call
    assert flags.data(flags.index(0, 1)) == "Threat"
