"""A small grouped bar chart painted with QPainter: the report tab's figures at a glance,
without a charting dependency. The tables beside it carry the exact numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
_MARGIN = 6
_LEGEND_ROW = 16
_WIDEST_BAR = 56.0  # px: a few bars stay bars, not slabs


def _plain(value: float) -> str:
    return f"{value:g}"


class BarChart(QWidget):
    """Groups of bars (one per label), one bar per series in each group."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(260, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._title = ""
        self._labels: list[str] = []
        self._series: list[tuple[str, list[float]]] = []
        self._format: Callable[[float], str] = _plain
        self._empty = ""
        self._top: float | None = None
        self._legend = False

    def set_data(
        self,
        title: str,
        labels: Sequence[str],
        series: Sequence[tuple[str, Sequence[float]]],
        *,
        value_format: Callable[[float], str] = _plain,
        empty: str = "",
        top: float | None = None,
        legend: bool = False,
    ) -> None:
        """``top``: the value of a full-height bar (1.0 for rates), else the largest value;
        ``legend``: the series' names under the plot."""
        self._title = title
        self._labels = list(labels)
        self._series = [(name, list(values)) for name, values in series]
        self._format = value_format
        self._empty = empty
        self._top = top
        self._legend = legend
        self.update()

    def labels(self) -> list[str]:
        return list(self._labels)

    def series(self) -> list[tuple[str, list[float]]]:
        return [(name, list(values)) for name, values in self._series]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        painter.setPen(palette.text().color())
        metrics = painter.fontMetrics()
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN)
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self._title)
        area.setTop(area.top() + line + 4)
        largest = max((v for _, values in self._series for v in values), default=0.0)
        top = self._top or largest
        if not self._labels or (largest <= 0 and self._top is None):
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self._empty)
            painter.end()
            return
        if self._legend:
            area.setBottom(area.bottom() - _LEGEND_ROW * len(self._series))
            self._paint_legend(painter, area.left(), area.bottom() + 2)
        plot = area.adjusted(0, line, 0, -line - 2)  # room for values above, labels below
        group = plot.width() / len(self._labels)
        bar = min(group * 0.8 / len(self._series), _WIDEST_BAR)
        for i, label in enumerate(self._labels):
            x0 = plot.left() + i * group + (group - bar * len(self._series)) / 2
            for s, (_, values) in enumerate(self._series):
                value = values[i]
                height = plot.height() * value / top
                rect = QRectF(x0 + s * bar, plot.bottom() - height, bar - 1, height)
                painter.fillRect(rect, QColor(PALETTE[s % len(PALETTE)]))
                if len(self._series) == 1:
                    above = QRectF(rect.left(), rect.top() - line, bar, line)
                    painter.drawText(above, Qt.AlignmentFlag.AlignCenter, self._format(value))
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(group))
            below = QRectF(plot.left() + i * group, plot.bottom() + 2, group, line)
            painter.drawText(below, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()

    def _paint_legend(self, painter: QPainter, left: float, top: float) -> None:
        for s, (name, _) in enumerate(self._series):
            y = top + s * _LEGEND_ROW
            painter.fillRect(QRectF(left, y + 3, 10, 10), QColor(PALETTE[s % len(PALETTE)]))
            painter.drawText(QRectF(left + 14, y, self.width(), _LEGEND_ROW), name)
