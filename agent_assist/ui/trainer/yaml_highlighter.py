"""Colours for YAML in the trainer's editor: keys, strings, comments, list dashes.

Line by line with regular expressions: enough for the packs' plain YAML (block scalars'
bodies are shown as plain text), and fast enough to run on every keystroke.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat


def _format(colour: str, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt


KEY = _format("#0b5394", bold=True)
STRING = _format("#38761d")
COMMENT = _format("#7f7f7f", italic=True)
DASH = _format("#b45f06", bold=True)
PUNCTUATION = _format("#b45f06")

_DASH = re.compile(r"^\s*(-)(?=\s|$)")
# A key: at the start of a line (after list dashes) or inside a flow mapping.
_KEY = re.compile(r"(?:^\s*(?:-\s+)*|[{,]\s*)([^\s#'\"{}\[\],:][^#{}\[\],:]*?)\s*:(?=\s|$)")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"?|'(?:[^']|'')*'?")
_FLOW = re.compile(r"[{}\[\],]")


class YamlHighlighter(QSyntaxHighlighter):
    def highlightBlock(self, text: str) -> None:
        strings = [(m.start(), m.end()) for m in _STRING.finditer(text)]
        comment = _comment_start(text, strings)
        code = text if comment is None else text[:comment]
        for m in _FLOW.finditer(code):
            if not _inside(m.start(), strings):
                self.setFormat(m.start(), 1, PUNCTUATION)
        for m in _KEY.finditer(code):
            if not _inside(m.start(1), strings):
                self.setFormat(m.start(1), m.end(1) - m.start(1), KEY)
        if dash := _DASH.match(code):
            self.setFormat(dash.start(1), 1, DASH)
        for start, end in strings:
            if comment is None or start < comment:
                self.setFormat(start, end - start, STRING)
        if comment is not None:
            self.setFormat(comment, len(text) - comment, COMMENT)


def _inside(at: int, strings: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in strings)


def _comment_start(text: str, strings: list[tuple[int, int]]) -> int | None:
    """Where a comment starts: a `#` at the line's start or after a space, not in a string."""
    for m in re.finditer(r"#", text):
        at = m.start()
        if (at == 0 or text[at - 1] in " \t") and not _inside(at, strings):
            return at
    return None
