"""The trainer's proposals tab: lists the proposals waiting for an answer (in the language
of the pack being edited), accepts one into a rule the trainer picks (its example is
written into the pack folder's YAML by ``rules.add_example`` and the decision recorded) or
dismisses it. Every read and write runs off the UI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QInputDialog, QWidget

from agent_assist.errors import UserError
from agent_assist.rules.add_example import AddedExample, add_example
from agent_assist.rules.loader import load_pack
from agent_assist.store.proposals_repo import Proposal, ProposalRepository
from agent_assist.store.records import Actor
from agent_assist.ui.background import in_background
from agent_assist.ui.display_names import category_name
from agent_assist.ui.rows_model import RowsModel
from agent_assist.ui.trainer.proposals_panel import ProposalsPanel

log = logging.getLogger(__name__)
NOT_FLAG = QColor("#1b5e20")  # should not flag: the rule is to be quieter
FLAG = QColor("#b00020")  # should flag: the rule is to catch more

# The trainer's choice among the rule ids offered for a proposal; None: cancelled.
ChooseRule = Callable[[QWidget, Proposal, list[str]], str | None]


@dataclass(frozen=True)
class _Loaded:
    proposals: list[Proposal]
    rules: dict[str, str]  # rule id → category, in the pack's order


class ProposalsModel(RowsModel[Proposal]):
    def columns(self) -> tuple[str, ...]:
        return (
            self.tr("Kind"),
            self.tr("Words"),
            self.tr("Rule or category"),
            self.tr("Call"),
            self.tr("Who"),
            self.tr("When"),
        )

    def cells(self, p: Proposal) -> tuple[str, ...]:
        kind = self.tr("Should flag") if p.kind == "should_flag" else self.tr("Should not flag")
        return (
            kind,
            p.text,
            p.rule_id or category_name(p.category),
            p.call_id,
            p.by_name,
            p.at.astimezone().strftime("%Y-%m-%d %H:%M"),
        )

    def foreground(self, p: Proposal, column: int) -> QColor | None:
        if column != 0:
            return None
        return FLAG if p.kind == "should_flag" else NOT_FLAG

    def tooltip(self, p: Proposal, column: int) -> str | None:
        lines = [p.note] if p.note else []
        if p.flagged:
            lines.append(self.tr("Flagged words: {0}").format(p.flagged))
        return "\n".join(lines) or None

    def remove(self, proposal: Proposal) -> None:
        self.set_rows(row for row in self._rows if row.ref != proposal.ref)


def ask_rule(parent: QWidget, proposal: Proposal, rules: list[str]) -> str | None:
    """The rule to add the example to, asked in a small dialog (the proposal's own first)."""
    title = QCoreApplication.translate("Proposals", "Accept into rule")
    label = QCoreApplication.translate("Proposals", "Add “{0}” to the examples of:").format(
        proposal.text
    )
    rule, chosen = QInputDialog.getItem(parent, title, label, rules, 0, False)
    return rule if chosen and rule else None


class ProposalsController(QObject):
    example_added = Signal(str)  # the rules file written: an editor showing it reloads it
    _loaded = Signal(object)  # _Loaded
    _accepted = Signal(object)  # (Proposal, AddedExample)
    _dismissed = Signal(object)  # Proposal
    _failed = Signal(object)  # the exception

    def __init__(
        self,
        panel: ProposalsPanel,
        proposals: ProposalRepository,
        actor: Actor,
        pack_folder: Callable[[], Path],
        *,
        choose_rule: ChooseRule = ask_rule,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self._proposals = proposals
        self._actor = actor
        self._pack_folder = pack_folder
        self._choose_rule = choose_rule
        self._rules: dict[str, str] = {}
        # One answer at a time: two acceptances would write one rules file at once.
        self._writing = threading.Lock()
        self.model = ProposalsModel(self)
        panel.table.setModel(self.model)
        self._loaded.connect(self._show)
        self._accepted.connect(self._after_accept)
        self._dismissed.connect(self._after_dismiss)
        self._failed.connect(self._problem)
        panel.refresh.clicked.connect(self.refresh)
        panel.accept.clicked.connect(self.accept_selected)
        panel.dismiss.clicked.connect(self.dismiss_selected)

    @Slot()
    def refresh(self) -> None:
        """Read the proposals waiting, for the language of the pack being edited."""
        self.panel.status.setText(self.tr("Reading the proposals…"))
        folder = self._pack_folder()

        def work() -> _Loaded:
            pack = load_pack(folder)
            rules = {rule.id: rule.category for rule in pack.rules}
            found = self._proposals.proposals(self._actor, language=pack.info.language)
            return _Loaded(found, rules)

        in_background("trainer-proposals", work, self._loaded, self._failed)

    @Slot(object)
    def _show(self, loaded: _Loaded) -> None:
        self._rules = loaded.rules
        self.model.set_rows(loaded.proposals)
        self.panel.table.resizeColumnsToContents()
        count = len(loaded.proposals)
        self.panel.status.setText(
            self.tr("{0} proposals waiting.").format(count)
            if count
            else self.tr("Nothing waiting.")
        )

    def selected(self) -> Proposal | None:
        rows = self.panel.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def candidates(self, proposal: Proposal) -> list[str]:
        """Rules of the proposal's category in the pack, the rule that fired first."""
        same = [rule for rule, category in self._rules.items() if category == proposal.category]
        fired = proposal.rule_id
        if fired is not None and fired in self._rules:
            same = [fired, *(rule for rule in same if rule != fired)]
        return same

    @Slot()
    def accept_selected(self) -> None:
        proposal = self.selected()
        if proposal is None:
            self.panel.status.setText(self.tr("Select a proposal first."))
            return
        rules = self.candidates(proposal)
        if not rules:
            self.panel.status.setText(
                self.tr("The pack has no rule for {0}: write one in the editor first.").format(
                    category_name(proposal.category)
                )
            )
            return
        rule_id = self._choose_rule(self.panel, proposal, rules)
        if rule_id is None:
            return
        folder = self._pack_folder()
        self.panel.status.setText(self.tr("Adding the example and running it…"))

        def work() -> tuple[Proposal, AddedExample]:
            added: list[AddedExample] = []

            def write(p: Proposal, rule: str) -> None:
                added.append(add_example(folder, rule, p.kind, p.text))

            with self._writing:
                self._proposals.decide(
                    self._actor,
                    proposal.source,
                    proposal.source_id,
                    "accepted",
                    rule_id,
                    apply=write,
                )
            return proposal, added[0]

        in_background("trainer-accept", work, self._accepted, self._failed)

    @Slot(object)
    def _after_accept(self, outcome: tuple[Proposal, AddedExample]) -> None:
        proposal, added = outcome
        self.model.remove(proposal)
        if added.added:
            kind = (
                self.tr("Should flag")
                if added.kind == "should_flag"
                else self.tr("Should not flag")
            )
            text = self.tr("Added to {rule} as {kind}.").format(rule=added.rule_id, kind=kind)
        else:
            text = self.tr("{rule} already had this example.").format(rule=added.rule_id)
        if not added.behaves:
            text += " " + self._advice(added)
        self.panel.status.setText(text)
        self.example_added.emit(str(added.file))

    def _advice(self, added: AddedExample) -> str:
        if added.kind == "should_not_flag":
            return self.tr(
                "The rule still flags it: give the rule an exclusion so that its examples pass."
            )
        return self.tr("The rule does not flag it yet: add a pattern that covers it.")

    @Slot()
    def dismiss_selected(self) -> None:
        proposal = self.selected()
        if proposal is None:
            self.panel.status.setText(self.tr("Select a proposal first."))
            return

        def work() -> Proposal:
            with self._writing:
                self._proposals.decide(
                    self._actor, proposal.source, proposal.source_id, "dismissed"
                )
            return proposal

        in_background("trainer-dismiss", work, self._dismissed, self._failed)

    @Slot(object)
    def _after_dismiss(self, proposal: Proposal) -> None:
        self.model.remove(proposal)
        self.panel.status.setText(self.tr("Dismissed."))

    @Slot(object)
    def _problem(self, error: Exception) -> None:
        if isinstance(error, UserError):
            self.panel.status.setText(str(error))
            return
        log.error("a proposals action failed", exc_info=error)
        self.panel.status.setText(self.tr("That did not work ({0}); try again.").format(error))
