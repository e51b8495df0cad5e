"""One call under review: opened through the audited ``CallRepository.get``, shown as a
transcript with its flags; N/P move between flags, verdict keys 1/2/3 judge the selected
flag and move to the next; a coaching note; "Mark reviewed". Every database round trip
runs off the UI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QItemSelection, QObject, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView

from agent_assist.errors import UserError
from agent_assist.events import Final, Flag, MatchKind
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.records import Actor, CallDetail, FlagRecord, SegmentRecord
from agent_assist.ui.background import in_background
from agent_assist.ui.review.flags_model import Explain, FlagsModel
from agent_assist.ui.review.names import clock, review_state_name
from agent_assist.ui.review.views.call_panel import CallPanel
from agent_assist.ui.transcript_model import TranscriptModel

log = logging.getLogger(__name__)


class CallReviewController(QObject):
    reviewed = Signal(str)  # the call id, once marked reviewed
    _loaded = Signal(object)  # (request number, CallDetail)
    _saved = Signal(object)  # a function to run on the UI thread once a write is through
    _failed = Signal(object)  # the exception

    def __init__(
        self,
        panel: CallPanel,
        calls: CallRepository,
        actor: Actor,
        explain: Explain,
        *,
        names: Callable[[int | None], str] = lambda _id: "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self._calls = calls
        self._actor = actor
        self._names = names
        self.detail: CallDetail | None = None
        self._request = 0  # only the call opened last is shown
        # This window's writes go one after another: on SQLite, two transactions that
        # each read before writing would fail at once instead of waiting.
        self._writing = threading.Lock()
        self.transcript = TranscriptModel(self)
        self.flags = FlagsModel(explain, self)
        panel.transcript.setModel(self.transcript)
        panel.flags.setModel(self.flags)
        self._loaded.connect(self._show)
        self._saved.connect(self._after_write)
        self._failed.connect(self._problem)
        panel.flags.selectionModel().selectionChanged.connect(self._flag_chosen)
        panel.upheld.clicked.connect(lambda: self.judge("upheld"))
        panel.false_positive.clicked.connect(lambda: self.judge("false_positive"))
        panel.needs_coaching.clicked.connect(lambda: self.judge("needs_coaching"))
        panel.send_note.clicked.connect(self.send_note)
        panel.mark_reviewed.clicked.connect(self.mark_reviewed)
        for key, step in (("N", 1), ("P", -1)):
            shortcut = QShortcut(QKeySequence(key), panel.window())
            shortcut.activated.connect(lambda step=step: self.move(step))
        self._enable(False)

    def _enable(self, on: bool) -> None:
        p = self.panel
        for widget in (
            p.upheld,
            p.false_positive,
            p.needs_coaching,
            p.play,
            p.send_note,
            p.mark_reviewed,
        ):
            widget.setEnabled(on)

    @Slot(str)
    def open(self, call_id: str) -> None:
        """Read the call (audited: a team lead's read of a collector's call)."""
        self.panel.status.setText(self.tr("Opening the call…"))
        self._request += 1
        request = self._request

        def work() -> tuple[int, CallDetail]:
            return request, self._calls.get(self._actor, call_id)

        in_background("review-call", work, self._loaded, self._failed)

    @Slot(object)
    def _show(self, loaded: tuple[int, CallDetail]) -> None:
        request, detail = loaded
        if request != self._request:  # another call was opened meanwhile
            return
        self.detail = detail
        call = detail.call
        self.panel.heading.setText(
            self.tr("{who}, {when}, {length} · {state}").format(
                who=self._names(call.user_id),
                when=call.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                length=clock(call.duration_ms or 0),
                state=review_state_name(call.review_state),
            )
        )
        fresh = TranscriptModel(self)
        for event in _events(detail):
            fresh.on_event(event)
        self.transcript.deleteLater()
        self.transcript = fresh
        self.panel.transcript.setModel(fresh)
        self.flags.set_flags(detail.flags)
        self.panel.flags.resizeColumnsToContents()
        self.panel.note.clear()
        self.panel.status.clear()
        self._enable(True)
        if self.flags.rowCount():
            self.panel.flags.selectRow(0)

    def selected_flag(self) -> FlagRecord | None:
        rows = self.panel.flags.selectionModel().selectedRows()
        return self.flags.flag(rows[0].row()) if rows else None

    @Slot(QItemSelection, QItemSelection)
    def _flag_chosen(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        flag = self.selected_flag()
        if flag is None:
            return
        row = self.transcript_row(flag)
        if row is not None:
            self.panel.transcript.scrollTo(
                self.transcript.index(row), QAbstractItemView.ScrollHint.PositionAtCenter
            )

    def transcript_row(self, flag: FlagRecord) -> int | None:
        """The transcript row of the utterance the flag is on."""
        for row in range(self.transcript.rowCount()):
            said = self.transcript.utterance(row)
            if (said.speaker, said.utterance) == (flag.speaker, flag.utterance):
                return row
        return None

    def move(self, step: int) -> None:
        """Select the next (1) or previous (-1) flag of the call."""
        if not self.flags.rowCount():
            return
        rows = self.panel.flags.selectionModel().selectedRows()
        current = rows[0].row() if rows else -1
        self.panel.flags.selectRow(min(max(current + step, 0), self.flags.rowCount() - 1))

    def judge(self, verdict: str) -> None:
        """The selected flag's verdict; the next flag is selected for the next key."""
        flag, detail = self.selected_flag(), self.detail
        if flag is None or detail is None:
            return
        call_id, row_id = detail.call.id, flag.id

        def work() -> Callable[[], None]:
            with self._writing:
                self._calls.set_verdict(self._actor, call_id, row_id, verdict)
            return lambda: self.flags.set_verdict(row_id, verdict)

        in_background("review-verdict", work, self._saved, self._failed)
        self.move(1)

    def send_note(self) -> None:
        """The note to the collector, about the selected flag (if one is)."""
        text, detail, flag = (
            self.panel.note.toPlainText().strip(),
            self.detail,
            self.selected_flag(),
        )
        if not text or detail is None:
            self.panel.status.setText(self.tr("Write the note first."))
            return
        call_id, flag_row_id = detail.call.id, flag.id if flag else None

        def work() -> Callable[[], None]:
            with self._writing:
                self._calls.coach(self._actor, call_id, text, flag_row_id=flag_row_id)
            return self._note_sent

        in_background("review-note", work, self._saved, self._failed)

    def _note_sent(self) -> None:
        self.panel.note.clear()
        self.panel.status.setText(self.tr("Coaching note sent."))

    def mark_reviewed(self) -> None:
        """The call leaves the unreviewed queue; the note box's text is the review's summary."""
        detail = self.detail
        if detail is None:
            return
        call_id, summary = detail.call.id, self.panel.note.toPlainText().strip()

        def work() -> Callable[[], None]:
            with self._writing:
                self._calls.review(self._actor, call_id, summary=summary)
            return lambda: self._marked(call_id)

        in_background("review-mark", work, self._saved, self._failed)

    def _marked(self, call_id: str) -> None:
        self.panel.status.setText(self.tr("Marked reviewed."))
        self.reviewed.emit(call_id)

    @Slot(object)
    def _after_write(self, then: Callable[[], None]) -> None:
        then()

    @Slot(object)
    def _problem(self, error: Exception) -> None:
        if isinstance(error, UserError):
            self.panel.status.setText(str(error))
            return
        log.error("a review action failed", exc_info=error)
        self.panel.status.setText(self.tr("That did not work ({0}); try again.").format(error))


def _events(detail: CallDetail) -> list[Final | Flag]:
    """The stored call as the events the transcript model shows: each final utterance,
    then the flags on it (retracted ones stay off the transcript, as they did live)."""
    texts = {(s.speaker, s.utterance): s.text for s in detail.segments}
    events: list[Final | Flag] = [_final(s) for s in detail.segments]
    for f in detail.flags:
        text = texts.get((f.speaker, f.utterance))
        if text is None or f.state == "retracted":
            continue
        events.append(_flag(f, text))
    return events


def _final(s: SegmentRecord) -> Final:
    return Final(
        speaker=s.speaker,
        utterance=s.utterance,
        text=s.text,
        start_ms=s.start_ms,
        end_ms=s.end_ms,
        t_ms=s.end_ms,
        confidence=s.confidence,
    )


def _flag(f: FlagRecord, text: str) -> Flag:
    return Flag(
        flag_id=f.flag_id,
        state="confirmed" if f.state == "confirmed" else "raised",
        rule_id=f.rule_id,
        category=f.category,
        severity=f.severity,
        speaker=f.speaker,
        utterance=f.utterance,
        text=text,
        start=f.span_start,
        end=f.span_end,
        kind=cast(MatchKind, f.kind),
        score=f.score,
        explanation="",
        reply=None,
        t_ms=f.t_ms,
    )
