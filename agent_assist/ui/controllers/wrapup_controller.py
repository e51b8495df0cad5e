"""Fills the wrap-up dialog from the call's proposals and saves what the collector confirms."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QObject, Signal, Slot
from sqlalchemy.exc import SQLAlchemyError

from agent_assist.asr.display import for_display
from agent_assist.compliance.wrapup import (
    ConfirmedWrapUp,
    WrapUpProposal,
    propose,
    save_wrap_up,
)
from agent_assist.errors import UserError
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.records import Actor
from agent_assist.ui.display_names import outcome_name, status_name
from agent_assist.ui.views.wrapup_dialog import WrapUpDialog

OUTCOMES = (
    "promise_to_pay",
    "refused",
    "dispute",
    "callback",
    "no_answer",
    "wrong_number",
    "third_party",
    "cease_request",
    "attorney",
)
# The outcome a proposed status suggests when the debtor named no promise.
OUTCOME_FOR_STATUS = {
    "disputed": "dispute",
    "cease_requested": "cease_request",
    "attorney_represented": "attorney",
}
# Money columns hold 14 digits, 2 of them after the point (store.tables.Money).
MAX_AMOUNT = Decimal("999999999999.99")

log = logging.getLogger(__name__)


class WrapUpController(QObject):
    """One call's wrap-up; ``saved`` carries what was stored, then the dialog closes."""

    saved = Signal(object)  # ConfirmedWrapUp

    def __init__(
        self,
        dialog: WrapUpDialog,
        calls: CallRepository,
        cases: CaseRepository,
        actor: Actor,
        *,
        call_id: str,
        case_id: int,
        today: date,
    ) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self._calls = calls
        self._cases = cases
        self._actor = actor
        self._call_id = call_id
        self._case_id = case_id
        self._today = today
        for code in OUTCOMES:
            dialog.outcome.addItem(outcome_name(code), code)
        dialog.outcome.setCurrentIndex(-1)  # the collector chooses unless a cue suggests one
        dialog.promise_check.toggled.connect(self._enable_promise)
        dialog.buttons.accepted.connect(self.save)
        dialog.promise_due.setMinimumDate(_qdate(today))
        dialog.promise_due.setDate(_qdate(today))
        self._enable_promise(False)
        self.proposal: WrapUpProposal | None = None
        self._load()

    def _load(self) -> None:
        try:
            detail = self._calls.get(self._actor, self._call_id)
            case = self._cases.get(self._actor, self._case_id)  # checks access before Save
        except UserError as exc:
            self.dialog.show_error(str(exc))
            self.dialog.save_button.setEnabled(False)
            return
        self.proposal = propose(
            detail.flags, detail.segments, language=case.debtor.language, today=self._today
        )
        self._fill(self.proposal)

    def _fill(self, proposal: WrapUpProposal) -> None:
        d = self.dialog
        if proposal.status is not None:
            d.status_check.setText(
                self.tr("Set the case status to: {0}").format(status_name(proposal.status.status))
            )
            d.status_check.setChecked(True)
            d.status_evidence.setText(
                self.tr("Heard: “{0}”").format(for_display(proposal.status.evidence).text)
            )
            d.status_evidence.show()
        else:
            d.status_check.hide()
        suggested = None
        if proposal.promise is not None:
            promise = proposal.promise
            d.promise_check.setChecked(True)
            if promise.amount is not None:
                d.promise_amount.setText(f"{promise.amount:f}")
            if promise.due is not None and promise.due >= self._today:
                d.promise_due.setDate(_qdate(promise.due))
            d.promise_evidence.setText(
                self.tr("Heard: “{0}”").format(for_display(promise.evidence).text)
            )
            d.promise_evidence.show()
            suggested = "promise_to_pay"
        elif proposal.status is not None:
            suggested = OUTCOME_FOR_STATUS.get(proposal.status.status)
        if suggested is not None:
            d.outcome.setCurrentIndex(d.outcome.findData(suggested))

    @Slot(bool)
    def _enable_promise(self, on: bool) -> None:
        self.dialog.promise_amount.setEnabled(on)
        self.dialog.promise_due.setEnabled(on)

    @Slot()
    def save(self) -> None:
        """Check what the dialog says, store it, close; any problem stays in the dialog."""
        self.dialog.clear_error()
        try:
            confirmed = self.confirmed()
            save_wrap_up(
                self._calls,
                self._cases,
                self._actor,
                call_id=self._call_id,
                case_id=self._case_id,
                confirmed=confirmed,
            )
        except UserError as exc:
            self.dialog.show_error(str(exc))
            return
        except SQLAlchemyError as exc:  # the server went away: nothing was half-saved
            log.warning("wrap-up not saved: %s", exc)
            self.dialog.show_error(
                self.tr(
                    "The database did not answer, so nothing was saved. What you entered is "
                    "still here: check the network and press Save again."
                )
            )
            return
        self.saved.emit(confirmed)
        self.dialog.accept()

    def confirmed(self) -> ConfirmedWrapUp:
        """What the collector confirmed; raises UserError when something must be fixed first."""
        d = self.dialog
        outcome = d.outcome.currentData()
        if not isinstance(outcome, str):
            raise UserError(self.tr("Choose the call's outcome before saving."))
        status = None
        if self.proposal and self.proposal.status and d.status_check.isChecked():
            status = self.proposal.status.status
        amount: Decimal | None = None
        due: date | None = None
        if d.promise_check.isChecked():
            amount = read_amount(d.promise_amount.text())
            if amount is None:
                raise UserError(
                    self.tr(
                        "Promise amount “{0}”: write a number above zero with at most two "
                        "decimals, e.g. 500 or 1250.50, or untick the promise."
                    ).format(d.promise_amount.text())
                )
            picked = d.promise_due.date().toPython()  # not before today: the editor's minimum
            assert isinstance(picked, date)
            due = picked
        return ConfirmedWrapUp(
            outcome=outcome,
            notes=d.notes.toPlainText().strip(),
            status=status,
            promise_amount=amount,
            promise_due=due,
        )


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def read_amount(text: str) -> Decimal | None:
    """A positive amount with at most two decimals (spaces, thousands commas allowed), else None."""
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    exponent = value.as_tuple().exponent
    if not value.is_finite() or not isinstance(exponent, int) or exponent < -2:
        return None
    return value if 0 < value <= MAX_AMOUNT else None
