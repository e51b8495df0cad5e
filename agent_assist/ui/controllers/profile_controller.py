"""Fills the debtor profile from the store; everything it shows is masked there already."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, Signal

from agent_assist.errors import UserError
from agent_assist.messaging.render import format_amount
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.contacts_repo import ContactRepository
from agent_assist.store.records import Actor, CaseRecord
from agent_assist.ui.display_names import (
    category_name,
    outcome_name,
    promise_state_name,
    segment_name,
    status_name,
)
from agent_assist.ui.views.profile_panel import ProfilePanel


class ProfileController(QObject):
    case_shown = Signal(object)  # the CaseRecord now on screen

    def __init__(
        self,
        panel: ProfilePanel,
        cases: CaseRepository,
        contacts: ContactRepository,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        contact_days: int = 30,  # how far back the attempts list reaches
        max_contacts: int = 20,  # the newest shown; older ones are in the case's history
    ) -> None:
        super().__init__(panel)
        self.panel = panel
        self._cases = cases
        self._contacts = contacts
        self._now = now
        self._contact_days = contact_days
        self._max_contacts = max_contacts

    def show_case(
        self,
        actor: Actor,
        case_id: int,
        *,
        segment: str | None = None,
        past_cues: Mapping[str, int] | None = None,
    ) -> CaseRecord | None:
        """Show ``case_id``; ``segment`` and ``past_cues`` (category → past calls with it)
        come from the worklist item, which has them already (no extra query).

        A case ``actor`` may not read shows the store's message instead, and None is returned.
        """
        try:
            case = self._cases.get(actor, case_id)
            promises = self._cases.promises(actor, case_id)
            since = self._now() - timedelta(days=self._contact_days)
            attempts = self._contacts.call_history(actor, case_id, since)
        except UserError as exc:
            self._show_message(str(exc))
            return None
        p = self.panel
        p.message.hide()
        p.details.show()
        debtor = case.debtor
        p.case_ref.setText(case.external_ref)
        p.name.setText(debtor.name)
        p.national_id.setText(debtor.national_id or self.tr("not on file"))
        p.phones.setText(", ".join(debtor.phones) or self.tr("not on file"))
        p.product.setText(case.product)
        p.overdue.setText(format_amount(case.overdue_amount, case.currency))
        p.principal.setText(format_amount(case.principal, case.currency))
        p.days_past_due.setText(str(case.days_past_due))
        p.stage.setText(case.stage)
        p.segment.setText(segment_name(segment) if segment else self.tr("unknown"))
        p.credit_tier.setText(debtor.segment or self.tr("unknown"))
        p.status.setText(status_name(case.status))
        p.promises.clear()
        for promise in promises:
            amount = format_amount(promise.amount, promise.currency)
            p.promises.addItem(
                f"{promise.due_date.isoformat()}  {amount}  {promise_state_name(promise.status)}"
            )
        p.contacts.clear()
        for attempt in reversed(attempts[-self._max_contacts :]):  # newest first
            at = attempt.at.astimezone().strftime("%Y-%m-%d %H:%M")
            p.contacts.addItem(f"{at}  {outcome_name(attempt.outcome)}")
        p.flags.clear()
        for category, calls in sorted((past_cues or {}).items(), key=lambda kv: (-kv[1], kv[0])):
            p.flags.addItem(
                self.tr("{0} — on {1} past call(s)").format(category_name(category), calls)
            )
        self.case_shown.emit(case)
        return case

    def _show_message(self, text: str) -> None:
        self.panel.details.hide()
        for listing in (self.panel.promises, self.panel.contacts, self.panel.flags):
            listing.clear()
        self.panel.message.setText(text)
        self.panel.message.show()
