"""The wrap-up dialog: proposals from the call prefilled, confirmed updates stored (pytest-qt)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import event as sa_event
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from agent_assist.events import Event
from agent_assist.privacy import mask_text
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.database import Database, open_database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import Actor, UserRecord
from agent_assist.store.tables import ContactAttempt
from agent_assist.ui.controllers.wrapup_controller import (
    MAX_AMOUNT,
    OUTCOMES,
    WrapUpController,
    read_amount,
)
from agent_assist.ui.views.wrapup_dialog import WrapUpDialog
from tests.core.store.builders import final, flag, started, team_of
from tests.core.store.test_cases_repo import CASE

TODAY = date(2026, 11, 25)  # "下周五" is then 2026-12-04


@dataclass(frozen=True)
class Stored:
    db: Database
    ann: UserRecord
    bo: UserRecord
    case_id: int

    def open(self, qtbot: QtBot, actor: Actor | None = None) -> WrapUpController:
        dialog = WrapUpDialog()
        qtbot.addWidget(dialog)
        return WrapUpController(
            dialog,
            CallRepository(self.db, mask_text),
            CaseRepository(self.db),
            actor or self.ann.as_actor(),
            call_id="call-1",
            case_id=self.case_id,
            today=TODAY,
        )

    def case_status(self) -> str:
        return CaseRepository(self.db).get(self.ann.as_actor(), self.case_id).status

    def promises(self) -> list[tuple[Decimal, date]]:
        found = CaseRepository(self.db).promises(self.ann.as_actor(), self.case_id)
        return [(p.amount, p.due_date) for p in found]

    def outcome(self) -> tuple[str | None, str | None]:
        detail = CallRepository(self.db, mask_text).get(self.ann.as_actor(), "call-1")
        return detail.call.outcome, detail.wrap_up

    def contacts(self) -> int:
        with self.db.session() as session:
            return session.scalar(select(func.count()).select_from(ContactAttempt)) or 0


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[Stored]:
    """A call where the debtor promised 500 next Friday and asked not to be called again."""
    db = open_database(f"sqlite:///{tmp_path / 'wrapup.db'}")
    ann, bo, *_ = team_of(db)
    cases = CaseRepository(db)
    cases.upsert_many(SYSTEM, [CASE], source="t")
    case_id = cases.assigned_to(ann.as_actor())[0].id
    promise = replace(
        flag("p1"),
        category="debtor.promise_to_pay",
        speaker="debtor",
        utterance=2,
        text="我下周五先还五百块",
        start=0,
        end=9,
    )
    cease = replace(promise, flag_id="c1", category="debtor.cease_request", utterance=3)
    events: list[Event] = [
        started("call-1"),
        final(2, "我下周五先还五百块", "debtor"),
        final(3, "以后别再打我电话了", "debtor"),
        promise,
        cease,
    ]
    ops = CallOps(str, user_id=ann.id, team_id=ann.team_id)
    for event in events:
        for op in ops.ops_for(event):
            apply_op(db, op)
    yield Stored(db, ann, bo, case_id)
    db.close()


def test_the_dialog_shows_the_proposals_prefilled(qtbot: QtBot, stored: Stored) -> None:
    dialog = stored.open(qtbot).dialog
    assert [dialog.outcome.itemData(i) for i in range(dialog.outcome.count())] == list(OUTCOMES)
    assert dialog.outcome.currentData() == "promise_to_pay"
    assert dialog.status_check.isChecked()
    assert "cease" in dialog.status_check.text()
    assert "以后别再打我电话了" in dialog.status_evidence.text()
    assert dialog.promise_check.isChecked()
    assert dialog.promise_amount.text() == "500"
    assert dialog.promise_due.date() == QDate(2026, 12, 4)
    assert "我下周五先还五百块" in dialog.promise_evidence.text()
    assert dialog.promise_due.minimumDate() == QDate(2026, 11, 25)  # no promise due in the past
    assert dialog.error.isHidden()


def test_save_stores_outcome_notes_status_and_promise(qtbot: QtBot, stored: Stored) -> None:
    controller = stored.open(qtbot)
    dialog = controller.dialog
    dialog.notes.setPlainText("  答应下周五还500，要求停止来电  ")
    with qtbot.waitSignal(controller.saved) as saved:
        dialog.save_button.click()
    assert dialog.result() == WrapUpDialog.DialogCode.Accepted
    assert saved.args is not None
    assert saved.args[0].status == "cease_requested"
    assert stored.outcome() == ("promise_to_pay", "答应下周五还500，要求停止来电")
    assert stored.case_status() == "cease_requested"
    assert stored.promises() == [(Decimal(500), date(2026, 12, 4))]
    assert stored.contacts() == 1


def test_an_unchecked_status_proposal_saves_no_status(qtbot: QtBot, stored: Stored) -> None:
    dialog = stored.open(qtbot).dialog
    dialog.status_check.setChecked(False)
    dialog.promise_amount.setText("1,250.50")  # the collector corrects the amount
    dialog.save_button.click()
    assert dialog.result() == WrapUpDialog.DialogCode.Accepted
    assert stored.case_status() == "active"
    assert stored.promises() == [(Decimal("1250.50"), date(2026, 12, 4))]


def test_an_unchecked_promise_saves_no_promise(qtbot: QtBot, stored: Stored) -> None:
    dialog = stored.open(qtbot).dialog
    dialog.promise_check.setChecked(False)
    assert not dialog.promise_amount.isEnabled()
    dialog.promise_amount.setText("not read")  # a disabled field is not checked
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("cease_request"))
    dialog.save_button.click()
    assert dialog.result() == WrapUpDialog.DialogCode.Accepted
    assert stored.outcome()[0] == "cease_request"
    assert stored.case_status() == "cease_requested"
    assert stored.promises() == []


@pytest.mark.parametrize("amount", ["five", "", "0", "-20", "12.345", "NaN", "1e20"])
def test_a_bad_amount_shows_an_error_and_saves_nothing(
    qtbot: QtBot, stored: Stored, amount: str
) -> None:
    controller = stored.open(qtbot)
    dialog = controller.dialog
    dialog.promise_amount.setText(amount)
    dialog.save_button.click()
    assert not dialog.error.isHidden()
    assert "amount" in dialog.error.text().lower()
    assert dialog.result() == WrapUpDialog.DialogCode.Rejected  # still open, nothing accepted
    assert stored.outcome() == (None, None)
    assert stored.case_status() == "active"
    assert stored.promises() == []
    assert stored.contacts() == 0
    dialog.promise_amount.setText("500")  # fixed: the error goes and the save goes through
    dialog.save_button.click()
    assert dialog.error.isHidden()
    assert stored.promises() == [(Decimal(500), date(2026, 12, 4))]


def test_no_outcome_chosen_is_an_error_not_a_save(qtbot: QtBot, stored: Stored) -> None:
    dialog = stored.open(qtbot).dialog
    dialog.outcome.setCurrentIndex(-1)
    dialog.save_button.click()
    assert "outcome" in dialog.error.text().lower()
    assert stored.outcome() == (None, None)


def test_another_collectors_call_is_refused_in_the_dialog(qtbot: QtBot, stored: Stored) -> None:
    dialog = stored.open(qtbot, stored.bo.as_actor()).dialog
    assert not dialog.error.isHidden()
    assert dialog.error.text()
    assert not dialog.save_button.isEnabled()
    assert dialog.outcome.currentIndex() == -1  # nothing proposed from a call bo may not read


@given(st.decimals(min_value=Decimal("0.01"), max_value=MAX_AMOUNT, places=2))
def test_every_positive_amount_with_cents_reads_back_exactly(amount: Decimal) -> None:
    assert read_amount(f"{amount:,f}") == amount
    assert read_amount(f" {amount:f} ") == amount
    assert read_amount(f"{amount:f}" + ("5" if "." in f"{amount:f}" else ".005")) is None
    assert read_amount(f"-{amount:f}") is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [("500", Decimal(500)), ("1，000", Decimal(1000)), ("0.5", Decimal("0.5")), ("五百", None)],
)
def test_amounts_as_collectors_type_them(text: str, amount: Decimal | None) -> None:
    assert read_amount(text) == amount


def test_a_database_gone_at_save_keeps_the_dialog_and_what_was_entered(
    qtbot: QtBot, stored: Stored
) -> None:
    controller = stored.open(qtbot)
    dialog = controller.dialog
    dialog.notes.setPlainText("他说下周五还")

    def server_gone(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("INSERT INTO promises"):
            raise OperationalError(statement, None, ConnectionError("server closed"))

    sa_event.listen(stored.db.engine, "before_cursor_execute", server_gone)
    try:
        controller.save()
    finally:
        sa_event.remove(stored.db.engine, "before_cursor_execute", server_gone)
    assert "nothing was saved" in dialog.error.text()
    assert dialog.notes.toPlainText() == "他说下周五还"
    assert stored.outcome() == (None, None)  # one transaction: the outcome went back too
    assert stored.contacts() == 0
    controller.save()  # the network is back
    assert stored.outcome()[0] == "promise_to_pay"
