"""The form for the common edits of one rule: id, category, severity, patterns, explanation,
reply, examples. Lists are one entry per line. Layout only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def _lines_edit(height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    edit.setMinimumHeight(height)
    return edit


class RuleForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.rule_id = QLineEdit()
        self.category = QComboBox()
        self.severity = QComboBox()
        self.patterns = _lines_edit(90)
        self.explain = QPlainTextEdit()
        self.explain.setMinimumHeight(60)
        self.reply = QLineEdit()
        self.should_flag = _lines_edit(70)
        self.should_not_flag = _lines_edit(70)
        self.apply = QPushButton(self.tr("Write to the YAML"))
        self.apply.setToolTip(self.tr("Rewrite this rule in the file; comments are kept"))
        form = QFormLayout()
        form.addRow(self.tr("Id"), self.rule_id)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Severity"), self.severity)
        form.addRow(self.tr("Patterns (one per line)"), self.patterns)
        form.addRow(self.tr("Explanation"), self.explain)
        form.addRow(self.tr("Reply script"), self.reply)
        form.addRow(self.tr("Should flag"), self.should_flag)
        form.addRow(self.tr("Should not flag"), self.should_not_flag)
        column = QVBoxLayout(self)
        column.addWidget(self.where)
        column.addLayout(form, 1)
        column.addWidget(self.apply)

    def set_editable(self, editable: bool) -> None:
        for widget in (
            self.rule_id,
            self.category,
            self.severity,
            self.patterns,
            self.explain,
            self.reply,
            self.should_flag,
            self.should_not_flag,
            self.apply,
        ):
            widget.setEnabled(editable)
