"""The try box and the examples: a sentence explained against the newest valid pack draft
as it is typed, and the pack's examples run with F5 (both off the UI thread)."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence

from agent_assist.rules.explain import ExampleResult, Explained, Explainer, run_examples
from agent_assist.ui.background import in_background
from agent_assist.ui.trainer.results_models import ExamplesModel, FiredModel
from agent_assist.ui.trainer.views.editor_panel import EditorPanel

log = logging.getLogger(__name__)

TRY_DELAY_MS = 200
HIGHLIGHT = "#ffe08a"


class TryController(QObject):
    explained = Signal()  # the table shows the newest sentence's result
    examples_done = Signal()
    open_rule = Signal(str, int)  # a rule's file and line, to show in the editor
    _explained = Signal(object)
    _examples = Signal(object)
    _failed = Signal(object)
    _try_failed = Signal(object)

    def __init__(self, panel: EditorPanel, parent: QObject | None = None) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self.explainer: Explainer | None = None
        self.fired = FiredModel(self)
        self.results = ExamplesModel(self)
        box = panel.try_panel
        box.table.setModel(self.fired)
        panel.examples.table.setModel(self.results)
        box.speaker.addItem(self.tr("Collector"), "agent")
        box.speaker.addItem(self.tr("Debtor"), "debtor")
        self._request = 0
        # One try at a time: a try may compile the pack (a second holding the interpreter),
        # so tries asked for meanwhile wait and only the newest of them runs.
        self._trying = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TRY_DELAY_MS)
        self._timer.timeout.connect(self.try_now)
        box.sentence.textChanged.connect(self._timer.start)
        box.speaker.currentIndexChanged.connect(self._timer.start)
        self._explained.connect(self._show_explained)
        self._examples.connect(self._show_examples)
        self._failed.connect(self._problem)
        self._try_failed.connect(self._try_problem)
        panel.run_examples_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        panel.run_examples_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        panel.run_examples_action.triggered.connect(self.run_examples)
        panel.examples.table.activated.connect(self._example_chosen)
        box.status.setText(self.tr("Sentences are tried once a rule pack loads."))

    def use(self, explainer: Explainer) -> None:
        """A newer valid draft: the try box and the examples use it from now on."""
        self.explainer = explainer
        self.panel.try_panel.status.setText("")
        self.try_now()

    def try_now(self) -> None:
        self._timer.stop()
        self._request += 1
        box = self.panel.try_panel
        text = box.sentence.text()
        explainer = self.explainer
        if explainer is None or not text.strip():
            self.fired.set_rows([])
            box.preview.setText("")
            self.explained.emit()
            return
        if self._trying:
            self._again = True
            return
        self._trying = True
        request, speaker = self._request, str(box.speaker.currentData())

        def work() -> tuple[int, str, Explained]:
            return request, text, explainer.explain(text, speaker)

        in_background("trainer-try", work, self._explained, self._try_failed)

    def _tried(self) -> None:
        self._trying = False
        if self._again:
            self._again = False
            self.try_now()

    def _show_explained(self, outcome: tuple[int, str, Explained]) -> None:
        self._tried()
        request, text, explained = outcome
        if request != self._request:
            return
        self.fired.set_rows([*explained.fired, *explained.cancelled])
        self.panel.try_panel.table.resizeColumnsToContents()
        box = self.panel.try_panel
        box.preview.setText(highlighted(text, [(f.start, f.end) for f in explained.fired]))
        box.status.setText(
            self.tr("{fired} rules fire, {cancelled} cancelled by an exclusion.").format(
                fired=len(explained.fired), cancelled=len(explained.cancelled)
            )
        )
        self.explained.emit()

    def run_examples(self) -> None:
        explainer = self.explainer
        status = self.panel.examples.status
        self.panel.side.setCurrentWidget(self.panel.examples)
        if explainer is None:
            status.setText(
                self.tr("No rule pack loads yet: open one or fix its problems, then press F5.")
            )
            return
        status.setText(self.tr("Running the examples…"))

        def work() -> list[ExampleResult]:
            return run_examples(explainer.pack, explainer.matcher)

        in_background("trainer-examples", work, self._examples, self._failed)

    def _show_examples(self, results: list[ExampleResult]) -> None:
        self.results.set_results(results)
        self.panel.examples.table.resizeColumnsToContents()
        failed = sum(not r.passed for r in results)
        self.panel.examples.status.setText(
            self.tr("{passed} of {total} examples pass, {failed} fail.").format(
                passed=len(results) - failed, total=len(results), failed=failed
            )
        )
        self.examples_done.emit()

    def _example_chosen(self, index: QModelIndex) -> None:
        row = self.results.row(index.row())
        if row.file:
            self.open_rule.emit(row.file, row.line)

    def _try_problem(self, error: BaseException) -> None:
        self._tried()
        self._problem(error)

    def _problem(self, error: BaseException) -> None:
        log.error("trying the draft failed", exc_info=error)
        self.panel.try_panel.status.setText(
            self.tr("This could not be run: {problem}").format(problem=error)
        )


def highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` as rich text with ``spans`` on a highlight (overlapping spans merged)."""
    marked = [False] * len(text)
    for start, end in spans:
        for at in range(max(start, 0), min(end, len(text))):
            marked[at] = True
    out: list[str] = []
    at = 0
    while at < len(text):
        end = at
        while end < len(text) and marked[end] == marked[at]:
            end += 1
        piece = html.escape(text[at:end])
        out.append(f'<span style="background:{HIGHLIGHT}">{piece}</span>' if marked[at] else piece)
        at = end
    return "".join(out)
