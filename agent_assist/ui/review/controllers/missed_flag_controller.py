"""The review window's "Note a missed flag…" (M) in the call under review: the team lead
picks the transcript line whose words should have been flagged (or the line of the
selected flag), chooses the category by name and may add a note; the note is saved off the
UI thread and reaches the trainers as a proposed ``should_flag`` example
(``docs/learning-loop.md``)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot

from agent_assist.errors import UserError
from agent_assist.store.proposals_repo import ProposalRepository
from agent_assist.store.records import Actor
from agent_assist.ui.background import in_background
from agent_assist.ui.display_names import category_name
from agent_assist.ui.review.controllers.call_review_controller import CallReviewController
from agent_assist.ui.review.views.call_panel import CallPanel
from agent_assist.ui.review.views.missed_flag_dialog import MissedFlagDialog
from agent_assist.ui.transcript_model import Utterance

log = logging.getLogger(__name__)


class MissedFlagController(QObject):
    noted = Signal(int)  # the missed flag's id, once stored
    _saved = Signal(object)  # the id
    _failed = Signal(object)  # the exception

    def __init__(
        self,
        panel: CallPanel,
        review: CallReviewController,
        proposals: ProposalRepository,
        actor: Actor,
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self._review = review
        self._proposals = proposals
        self._actor = actor
        self.dialog: MissedFlagDialog | None = None
        self._saved.connect(self._done)
        self._failed.connect(self._problem)
        panel.note_missed.clicked.connect(self.start)

    def selected_line(self) -> Utterance | None:
        """The transcript line the lead selected, else the line of the selected flag."""
        transcript = self._review.transcript
        rows = self.panel.transcript.selectionModel().selectedRows()
        if rows and rows[0].row() < transcript.rowCount():
            return transcript.utterance(rows[0].row())
        flag = self._review.selected_flag()
        at = self._review.transcript_row(flag) if flag is not None else None
        return transcript.utterance(at) if at is not None else None

    @Slot()
    def start(self) -> None:
        detail = self._review.detail
        if detail is None:
            self.panel.status.setText(self.tr("Open a call first."))
            return
        line = self.selected_line()
        if line is None:
            self.panel.status.setText(
                self.tr("Select the transcript line with the missed words first.")
            )
            return
        dialog = MissedFlagDialog(self.panel)
        speaker = self.tr("Collector") if line.speaker == "agent" else self.tr("Debtor")
        dialog.line.setText(
            self.tr("{speaker}, line {number}").format(speaker=speaker, number=line.utterance)
        )
        said_by_speaker = [
            c.id for c in self._proposals.categories().values() if c.speaker == line.speaker
        ]
        for category in sorted(said_by_speaker, key=category_name):
            dialog.category.addItem(category_name(category), category)
        dialog.words.setPlainText(line.text)
        call_id = detail.call.id
        dialog.save.clicked.connect(lambda: self._save(dialog, call_id, line))
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialog = dialog
        dialog.open()

    def _save(self, dialog: MissedFlagDialog, call_id: str, line: Utterance) -> None:
        words = dialog.words.toPlainText().strip()
        category = dialog.category.currentData()
        if not words or not isinstance(category, str):
            dialog.status.setText(self.tr("Write the words that should have been flagged."))
            return
        note = dialog.note.toPlainText().strip()
        dialog.save.setEnabled(False)
        dialog.status.setText(self.tr("Saving…"))

        def work() -> int:
            return self._proposals.note_missed(
                self._actor,
                call_id,
                line.speaker,
                line.utterance,
                text=words,
                category=category,
                note=note,
            )

        in_background("review-missed-flag", work, self._saved, self._failed)

    def _forget(self, dialog: MissedFlagDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    @Slot(object)
    def _done(self, missed_id: int) -> None:
        if self.dialog is not None:
            self.dialog.accept()
        self.panel.status.setText(self.tr("Missed flag noted for the trainers."))
        self.noted.emit(missed_id)

    @Slot(object)
    def _problem(self, error: Exception) -> None:
        if isinstance(error, UserError):
            message = str(error)
        else:
            log.error("noting a missed flag failed", exc_info=error)
            message = self.tr("That did not work ({0}); try again.").format(error)
        if self.dialog is None:
            self.panel.status.setText(message)
            return
        self.dialog.status.setText(message)
        self.dialog.save.setEnabled(True)
