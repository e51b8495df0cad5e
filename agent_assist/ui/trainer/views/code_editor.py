"""A plain-text editor with line numbers and problems marked at their lines. Layout only."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

PROBLEM_LINE = QColor("#fdecea")
PROBLEM_UNDERLINE = QColor("#d93025")


class _LineNumbers(QWidget):
    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.line_number_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_line_numbers(event)


class CodeEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(False)
        self._numbers = _LineNumbers(self)
        self._marked: list[int] = []  # 1-based lines with a problem
        self.blockCountChanged.connect(self._fit_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self._fit_margin()

    # Problems.
    def mark_lines(self, lines: list[tuple[int, int, str]]) -> None:
        """Underline each (line, column, message) from its column to the line's end."""
        selections: list[QTextEdit.ExtraSelection] = []
        document = self.document()
        for line, col, message in lines:
            block = document.findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            whole = QTextEdit.ExtraSelection()
            whole.format.setBackground(PROBLEM_LINE)
            whole.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            whole.format.setToolTip(message)
            whole.cursor = QTextCursor(block)
            selections.append(whole)
            wavy = QTextEdit.ExtraSelection()
            wavy.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            wavy.format.setUnderlineColor(PROBLEM_UNDERLINE)
            wavy.format.setToolTip(message)
            cursor = QTextCursor(block)
            start = min(max(col - 1, 0), max(block.length() - 2, 0))
            cursor.setPosition(block.position() + start)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            wavy.cursor = cursor
            selections.append(wavy)
        self._marked = sorted({line for line, _, _ in lines})
        self.setExtraSelections(selections)
        self._numbers.update()

    def marked_lines(self) -> list[int]:
        return list(self._marked)

    def go_to(self, line: int, col: int = 1) -> None:
        """Put the cursor at (line, column), 1-based, and show it."""
        block = self.document().findBlockByNumber(max(line - 1, 0))
        if not block.isValid():
            block = self.document().lastBlock()
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + min(max(col - 1, 0), max(block.length() - 1, 0)))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus()

    def cursor_line(self) -> int:
        return self.textCursor().blockNumber() + 1

    # Line numbers.
    def line_number_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * max(3, digits)

    def _fit_margin(self) -> None:
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self._numbers.scroll(0, dy)
        else:
            self._numbers.update(0, rect.y(), self._numbers.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._numbers.setGeometry(
            QRect(area.left(), area.top(), self.line_number_width(), area.height())
        )

    def paint_line_numbers(self, event: QPaintEvent) -> None:
        painter = QPainter(self._numbers)
        painter.fillRect(event.rect(), self.palette().alternateBase())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        marked = set(self._marked)
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                number = block.blockNumber() + 1
                bold = QFont(self.font())
                bold.setBold(number in marked)
                painter.setFont(bold)
                painter.setPen(PROBLEM_UNDERLINE if number in marked else QColor("#888888"))
                painter.drawText(
                    0,
                    top,
                    self._numbers.width() - 6,
                    height,
                    Qt.AlignmentFlag.AlignRight,
                    str(number),
                )
            block = block.next()
            top = bottom
        painter.end()
