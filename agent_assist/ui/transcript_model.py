"""The live transcript as a list model: one row per utterance, growing with partials.

A model/view list (not a growing text widget) keeps a two-hour call smooth:
an update touches one row. Flags mark their span on the utterance's row.
A row is shown without Vosk's spaces between Chinese characters
(``asr.display``), so flag spans are also given on that shown text
(``HighlightsRole``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from agent_assist.asr.display import DisplayText, for_display
from agent_assist.events import Event, Final, Flag, Partial
from agent_assist.ui.display_names import category_name

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Utterance:
    speaker: str
    utterance: int
    text: str
    final: bool
    start_ms: int
    flags: tuple[Flag, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Highlight:
    """A flag's words on the row's shown text (``DisplayTextRole``), end exclusive."""

    start: int
    end: int
    critical: bool


class TranscriptModel(QAbstractListModel):
    SpeakerRole = Qt.ItemDataRole.UserRole + 1
    FinalRole = Qt.ItemDataRole.UserRole + 2
    FlagsRole = Qt.ItemDataRole.UserRole + 3
    DisplayTextRole = Qt.ItemDataRole.UserRole + 4  # the text as shown (str)
    HighlightsRole = Qt.ItemDataRole.UserRole + 5  # tuple[Highlight, ...]

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Utterance] = []
        self._shown: list[DisplayText] = []  # per row: its text as shown
        self._where: dict[tuple[str, int], int] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        at = index.row()
        row = self._rows[at]
        values: dict[int, Callable[[], Any]] = {
            Qt.ItemDataRole.DisplayRole: lambda: f"{row.speaker}: {row.text}",
            self.DisplayTextRole: lambda: self._shown[at].text,
            self.HighlightsRole: lambda: self._highlights(at),
            self.SpeakerRole: lambda: row.speaker,
            self.FinalRole: lambda: row.final,
            self.FlagsRole: lambda: row.flags,
            Qt.ItemDataRole.ToolTipRole: lambda: (
                "\n".join(f"{category_name(f.category)}: {f.explanation}" for f in row.flags)
                or None
            ),
        }
        value = values.get(role)
        return value() if value else None

    def utterance(self, row: int) -> Utterance:
        return self._rows[row]

    def _highlights(self, at: int) -> tuple[Highlight, ...]:
        row, shown = self._rows[at], self._shown[at]
        marks = []
        for flag in row.flags:
            span = _flagged_span(row.text, flag)
            if span is not None:
                start, end = shown.span(*span)
                marks.append(Highlight(start, end, flag.severity == "critical"))
        return tuple(marks)

    def on_event(self, event: Event) -> None:
        if isinstance(event, Partial | Final):
            self._put(
                Utterance(
                    event.speaker,
                    event.utterance,
                    event.text,
                    isinstance(event, Final),
                    event.start_ms,
                )
            )
        elif isinstance(event, Flag):
            self._flag(event)

    def _put(self, item: Utterance) -> None:
        key = (item.speaker, item.utterance)
        at = self._where.get(key)
        if at is None:
            if not item.text:
                return
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._where[key] = len(self._rows)
            self._rows.append(item)
            self._shown.append(for_display(item.text))
            self.endInsertRows()
            return
        kept = self._rows[at].flags
        self._rows[at] = replace(item, flags=kept)
        self._shown[at] = for_display(item.text)
        self.dataChanged.emit(self.index(at), self.index(at))

    def _flag(self, flag: Flag) -> None:
        at = self._where.get((flag.speaker, flag.utterance))
        if at is None:
            return
        others = tuple(f for f in self._rows[at].flags if f.flag_id != flag.flag_id)
        flags = others if flag.state == "retracted" else (*others, flag)
        self._rows[at] = replace(self._rows[at], flags=flags)
        self.dataChanged.emit(self.index(at), self.index(at))


def _flagged_span(text: str, flag: Flag) -> tuple[int, int] | None:
    """Where the flag's words are in the row's ``text``: a flag raised on a partial
    indexes that partial, and a later partial may have revised the words before it."""
    words = flag.text[flag.start : flag.end]
    if not words:
        return None
    if text[flag.start : flag.end] == words:
        return flag.start, flag.end
    at = text.find(words)
    return None if at < 0 else (at, at + len(words))
