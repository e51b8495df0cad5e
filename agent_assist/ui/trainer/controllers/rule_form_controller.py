"""The rule form's behaviour: it shows the rule under the editor's cursor and writes the
form back into the YAML text as one undoable edit. Both read the file with ruamel off the
UI thread (a long rules file takes it a third of a second); a rewrite lands only in the
text it was made from."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QComboBox, QPlainTextEdit

from agent_assist.rules.rule_edit import RuleAt, RuleFields, rewrite_rule_at, rule_at
from agent_assist.rules.taxonomy import SEVERITIES, Category
from agent_assist.ui.background import in_background
from agent_assist.ui.display_names import category_name
from agent_assist.ui.review.names import severity_name
from agent_assist.ui.trainer.controllers.editor_controller import DocKey, EditorController
from agent_assist.ui.trainer.views.rule_form import RuleForm

log = logging.getLogger(__name__)

READ_DELAY_MS = 250
RULES_PREFIX = "rules/"


@dataclass(frozen=True)
class _Write:
    """A write of the form in progress (the worker thread sees only its strings)."""

    request: int
    key: DocKey
    document: QTextDocument
    text: str  # the text the rewrite is made from
    first_line: int


class RuleFormController(QObject):
    shown = Signal()  # the form shows the rule under the cursor (or says there is none)
    written = Signal()  # a write of the form ended: applied, refused or failed
    _read = Signal(object)
    _failed = Signal(object)
    _rewritten = Signal(object)
    _write_failed = Signal(object)

    def __init__(
        self,
        form: RuleForm,
        editor: EditorController,
        taxonomy: Mapping[str, Category],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or form)
        self.form = form
        self.editor = editor
        self.rule: RuleAt | None = None
        self._request = 0
        self._write_request = 0
        self._writing: _Write | None = None
        self._read_key: tuple[object, int, int] | None = None  # (document, revision, line)
        names = sorted((category_name(c), c) for c in taxonomy)
        for name, category in names:
            form.category.addItem(name, category)
        form.severity.addItem(self.tr("The category's default"), "")
        for severity in SEVERITIES:
            form.severity.addItem(severity_name(severity), severity)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(READ_DELAY_MS)
        self._timer.timeout.connect(self.read_now)
        editor.panel.editor.cursorPositionChanged.connect(self._timer.start)
        editor.opened.connect(self._timer.start)
        self._read.connect(self._show)
        self._failed.connect(lambda exc: log.error("reading the rule failed", exc_info=exc))
        self._rewritten.connect(self._apply_rewrite)
        self._write_failed.connect(self._rewrite_failed)
        form.apply.clicked.connect(self.apply)
        self._show_none()

    def read_now(self) -> None:
        self._timer.stop()
        current = self.editor.current()
        if current is None or current[0] != "rule_pack" or not current[1].startswith(RULES_PREFIX):
            self._read_key = None
            self._show_none()
            return
        document = self.editor.document(*current)
        line = self.editor.panel.editor.cursor_line()
        key = (document, document.revision(), line)
        if key == self._read_key:
            return  # the same rule of the same text is shown already
        self._read_key = key
        self._request += 1
        request, text = self._request, document.toPlainText()

        def work() -> tuple[int, RuleAt | None]:
            return request, rule_at(text, line)

        in_background("trainer-rule", work, self._read, self._failed)

    def _show(self, outcome: tuple[int, RuleAt | None]) -> None:
        request, found = outcome
        if request != self._request:
            return
        if found is None:
            self._show_none()
            return
        self.rule = found
        f, fields = self.form, found.fields
        f.where.setText(
            self.tr("Rule {id}, line {line}").format(id=fields.id, line=found.first_line)
        )
        f.rule_id.setText(fields.id)
        _choose(f.category, fields.category)
        _choose(f.severity, fields.severity)
        f.patterns.setPlainText("\n".join(fields.patterns))
        f.explain.setPlainText(fields.explain)
        f.reply.setText(fields.reply)
        f.should_flag.setPlainText("\n".join(fields.should_flag))
        f.should_not_flag.setPlainText("\n".join(fields.should_not_flag))
        f.set_editable(True)
        self.shown.emit()

    def _show_none(self) -> None:
        self.rule = None
        self.form.where.setText(
            self.tr("Put the cursor in a rule of a rules file to edit it here.")
        )
        for edit in (self.form.rule_id, self.form.reply):
            edit.clear()
        for text in (
            self.form.patterns,
            self.form.explain,
            self.form.should_flag,
            self.form.should_not_flag,
        ):
            text.clear()
        self.form.set_editable(False)
        self.shown.emit()

    def fields(self) -> RuleFields:
        f = self.form
        return RuleFields(
            id=f.rule_id.text().strip(),
            category=str(f.category.currentData() or f.category.currentText()),
            severity=str(f.severity.currentData() or ""),
            patterns=_lines(f.patterns),
            explain=f.explain.toPlainText().strip(),
            reply=f.reply.text().strip(),
            should_flag=_lines(f.should_flag),
            should_not_flag=_lines(f.should_not_flag),
        )

    def apply(self) -> None:
        """Rewrite the rule in the file's text from the form (one step of undo), on a worker
        thread; the result is dropped if the text changed meanwhile."""
        current, rule = self.editor.current(), self.rule
        if current is None or rule is None:
            return
        self._write_request += 1
        document = self.editor.document(*current)
        text = document.toPlainText()
        write = _Write(self._write_request, current, document, text, rule.first_line)
        self._writing = write
        request, fields = write.request, self.fields()

        def work() -> tuple[int, str | None]:
            # None: the rule is no longer where the form read it.
            return request, rewrite_rule_at(text, rule, fields)

        in_background("trainer-rule-write", work, self._rewritten, self._write_failed)

    def _apply_rewrite(self, outcome: tuple[int, str | None]) -> None:
        request, new = outcome
        write = self._writing
        if write is None or request != write.request:
            return  # written again meanwhile: the newer write applies
        self._writing = None
        if new is None:
            self.form.where.setText(
                self.tr("The file changed under the form: put the cursor in the rule again.")
            )
        elif write.document.toPlainText() != write.text:
            self.form.where.setText(
                self.tr("The text changed while the rule was being written: write it again.")
            )
        elif new != write.text:
            cursor = QTextCursor(write.document)
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(new)
            cursor.endEditBlock()
            if self.editor.current() == write.key:
                self.editor.panel.editor.go_to(write.first_line)
        self.written.emit()

    def _rewrite_failed(self, error: BaseException) -> None:
        log.error("writing the rule failed", exc_info=error)
        self.form.where.setText(
            self.tr("The rule could not be written: {problem}").format(problem=error)
        )
        self.written.emit()


def _choose(combo: QComboBox, value: str) -> None:
    at = combo.findData(value)
    if at < 0:  # a category the taxonomy does not know: shown as written, the loader says why
        combo.addItem(value, value)
        at = combo.count() - 1
    combo.setCurrentIndex(at)


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())
