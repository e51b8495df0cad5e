"""The live transcript: who spoke, what was said, and the flagged words, one row per utterance.

``TranscriptView`` is a flat ``QTreeView`` rather than a ``QListView``: a
list view lays out every row again on each inserted or changed row (it asks
every row's size: 5,000 size requests per update at 5,000 rows; its batched
mode only spreads that work over later event-loop passes, and the new row
shows once all of it is done), so a two-hour call gets slower with each
utterance. A tree
view in per-item scrolling asks sizes only of the rows it shows and of a
changed row. Row sizes are cached per row for the current width and forgotten
for changed rows and on resize.

The view follows the newest row while the collector is at the bottom and
stays put once they scroll up to read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QResizeEvent,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from agent_assist.ui.transcript_model import Highlight, TranscriptModel

Index = QModelIndex | QPersistentModelIndex

SPEAKER_COLOURS = {"agent": QColor("#1565c0"), "debtor": QColor("#2e7d32")}
COLLECTOR_FLAG = QColor("#ff8a80")  # a line the collector crossed
DEBTOR_CUE = QColor("#ffd54f")  # what the debtor said that calls for a reply
HIGHLIGHTED_TEXT = QColor("#000000")  # readable on both, in light and dark themes
PADDING = 4  # px around a row's contents
LABEL_GAP = 8  # px between the speaker label and the text


@dataclass(frozen=True, slots=True)
class _Fonts:
    """What rows are drawn with for one view font, measured once."""

    final: QFont
    partial: QFont  # italic
    label: QFont  # bold
    label_width: int  # the widest speaker label
    label_height: int


class TranscriptDelegate(QStyledItemDelegate):
    """Paints a row: the speaker's label, then the text (partials grey and italic)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels = {"agent": self.tr("Collector"), "debtor": self.tr("Debtor")}
        self._width = 0  # the row width the cached sizes were measured for
        self._sizes: list[QSize | None] = []  # per row
        self._fonts: dict[str, _Fonts] = {}  # by QFont.key()

    def set_width(self, width: int) -> bool:
        """Rows are this wide from now on; True (and every size forgotten) if that changed."""
        if width == self._width:
            return False
        self._width = width
        self._sizes.clear()
        return True

    def forget(self, first: int, last: int | None = None) -> None:
        """Drop the cached sizes of rows ``first..last`` (to the end without ``last``)."""
        if last is None:
            del self._sizes[first:]
            return
        for row in range(first, min(last + 1, len(self._sizes))):
            self._sizes[row] = None

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        row = index.row()
        if row < len(self._sizes) and (size := self._sizes[row]) is not None:
            return size
        fonts = self._fonts_for(option.font)
        text = self._text_layout(fonts, index)
        height = max(math.ceil(text.boundingRect().height()), fonts.label_height)
        size = QSize(self._width, height + 2 * PADDING)
        if row >= len(self._sizes):
            self._sizes.extend([None] * (row + 1 - len(self._sizes)))
        self._sizes[row] = size
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        widget: QWidget | None = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        rect: QRect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        speaker = index.data(TranscriptModel.SpeakerRole)
        fonts = self._fonts_for(option.font)
        label = self._labels.get(speaker) or QFontMetrics(fonts.label).elidedText(
            speaker, Qt.TextElideMode.ElideRight, fonts.label_width
        )
        painter.save()
        painter.setFont(fonts.label)
        painter.setPen(SPEAKER_COLOURS.get(speaker, option.palette.text().color()))
        painter.drawText(
            rect.left(),
            rect.top(),
            fonts.label_width,
            rect.height(),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            label,
        )
        painter.setPen(self._text_colour(option, bool(index.data(TranscriptModel.FinalRole))))
        text = self._text_layout(fonts, index)
        text.draw(painter, QPointF(rect.left() + fonts.label_width + LABEL_GAP, rect.top()))
        painter.restore()

    def _text_colour(self, option: QStyleOptionViewItem, final: bool) -> QColor:
        """Finals in the text colour (black); partials, still changing, grey: half-way
        to the background."""
        palette = option.palette
        text = palette.text().color()
        if final:
            return text
        base = palette.base().color()
        return QColor(
            (text.red() + base.red()) // 2,
            (text.green() + base.green()) // 2,
            (text.blue() + base.blue()) // 2,
        )

    def _fonts_for(self, font: QFont) -> _Fonts:
        fonts = self._fonts.get(key := font.key())
        if fonts is None:
            partial, label = QFont(font), QFont(font)
            partial.setItalic(True)
            label.setBold(True)
            metrics = QFontMetricsF(label)  # fractional: a rounded-down width would elide
            widest = max(metrics.horizontalAdvance(text) for text in self._labels.values())
            height = math.ceil(metrics.height())
            fonts = _Fonts(QFont(font), partial, label, math.ceil(widest), height)
            self._fonts[key] = fonts
        return fonts

    def _text_layout(self, fonts: _Fonts, index: Index) -> QTextLayout:
        """The row's text laid out in the width left of the label (the same to measure and
        to paint, so a painted row fits the height it was given)."""
        final = index.data(TranscriptModel.FinalRole)
        width = max(self._width - 2 * PADDING - fonts.label_width - LABEL_GAP, 40)
        text = index.data(TranscriptModel.DisplayTextRole) or ""
        layout = QTextLayout(text, fonts.final if final else fonts.partial)
        wrap = QTextOption()
        wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(wrap)
        background = (
            COLLECTOR_FLAG if index.data(TranscriptModel.SpeakerRole) == "agent" else DEBTOR_CUE
        )
        layout.setFormats(
            [_marked(h, background) for h in index.data(TranscriptModel.HighlightsRole) or ()]
        )
        layout.beginLayout()
        y = 0.0
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            y += line.height()
        layout.endLayout()
        return layout


def _marked(highlight: Highlight, background: QColor) -> QTextLayout.FormatRange:
    look = QTextCharFormat()
    look.setBackground(background)
    look.setForeground(HIGHLIGHTED_TEXT)
    if highlight.critical:
        look.setFontWeight(QFont.Weight.Bold)
    marked = QTextLayout.FormatRange()
    marked.start, marked.length, marked.format = (
        highlight.start,
        highlight.end - highlight.start,
        look,
    )
    return marked


class TranscriptView(QTreeView):
    """A flat list of utterances (see the module doc for why a tree view)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._delegate = TranscriptDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setIndentation(0)
        self.setUniformRowHeights(False)
        # Per item: per pixel would need every row's height on each new row (see module doc).
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A bar that comes and goes would change the width and re-wrap every row.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self._following = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)

    def is_following(self) -> bool:
        """Whether the newest row is kept in sight (the collector is at the bottom)."""
        return self._following

    def _scrolled(self, value: int) -> None:
        self._following = value >= self.verticalScrollBar().maximum()

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self._following:
            self.verticalScrollBar().setValue(maximum)

    # Sizes are forgotten before Qt asks for them again.

    def dataChanged(self, topLeft: Index, bottomRight: Index, roles: Sequence[int] = ()) -> None:
        self._delegate.forget(topLeft.row(), bottomRight.row())
        super().dataChanged(topLeft, bottomRight, roles)

    def rowsInserted(self, parent: Index, start: int, end: int) -> None:
        if not parent.isValid():
            self._delegate.forget(start)  # the rows after it moved
        super().rowsInserted(parent, start, end)

    def rowsAboutToBeRemoved(self, parent: Index, start: int, end: int) -> None:
        if not parent.isValid():
            self._delegate.forget(start)
        super().rowsAboutToBeRemoved(parent, start, end)

    def reset(self) -> None:
        self._delegate.forget(0)
        super().reset()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._delegate.set_width(self.viewport().width()):
            self.scheduleDelayedItemsLayout()
