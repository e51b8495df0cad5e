"""The trainer's editor tab: the files of the pack and library, the YAML with its problems,
and beside it the rule form, the try box, the examples and the diff. Layout only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from agent_assist.ui.trainer.views.code_editor import CodeEditor
from agent_assist.ui.trainer.views.rule_form import RuleForm


def _table() -> QTableView:
    table = QTableView()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    return table


class TryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sentence = QLineEdit()
        self.sentence.setPlaceholderText(self.tr("Type what a collector or debtor says"))
        self.speaker = QComboBox()
        self.preview = QLabel()  # the sentence with the matched spans highlighted
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setWordWrap(True)
        self.status = QLabel()
        self.table = _table()
        row = QHBoxLayout()
        row.addWidget(self.speaker)
        row.addWidget(self.sentence, 1)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(self.preview)
        column.addWidget(self.status)
        column.addWidget(self.table, 1)


class ExamplesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel(self.tr("Press F5 to run the pack's examples."))
        self.status.setWordWrap(True)
        self.table = _table()
        column = QVBoxLayout(self)
        column.addWidget(self.status)
        column.addWidget(self.table, 1)


class DiffPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        column = QVBoxLayout(self)
        column.addWidget(self.status)
        column.addWidget(self.text, 1)


class EditorPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save_action = QAction(self.tr("Save"), self)
        self.run_examples_action = QAction(self.tr("Run examples"), self)
        self.diff_action = QAction(self.tr("Compare with what desktops run"), self)
        self.tools = QToolBar()
        for action in (self.save_action, self.run_examples_action, self.diff_action):
            self.tools.addAction(action)

        self.files = QListWidget()
        self.editor = CodeEditor()
        self.problems = QListWidget()
        self.problems_title = QLabel()
        self.form = RuleForm()
        self.try_panel = TryPanel()
        self.examples = ExamplesPanel()
        self.diff = DiffPanel()
        self.side = QTabWidget()
        self.side.addTab(self.form, self.tr("Rule"))
        self.side.addTab(self.try_panel, self.tr("Try a sentence"))
        self.side.addTab(self.examples, self.tr("Examples"))
        self.side.addTab(self.diff, self.tr("Diff"))

        problems = QWidget()
        problems_column = QVBoxLayout(problems)
        problems_column.setContentsMargins(0, 0, 0, 0)
        problems_column.addWidget(self.problems_title)
        problems_column.addWidget(self.problems)
        middle = QSplitter(Qt.Orientation.Vertical)
        middle.addWidget(self.editor)
        middle.addWidget(problems)
        middle.setSizes([600, 150])
        split = QSplitter()
        split.addWidget(self.files)
        split.addWidget(middle)
        split.addWidget(self.side)
        split.setSizes([200, 700, 500])
        column = QVBoxLayout(self)
        column.addWidget(self.tools)
        column.addWidget(split, 1)
