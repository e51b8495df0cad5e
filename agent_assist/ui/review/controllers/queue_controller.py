"""The review queue's behaviour: filters to a ``QueueFilter``, pages read off the UI thread,
J/K (or Down/Up) to move between calls, Enter to open one.

A page and the number of matching calls are read apart: the page comes from an index in a
few milliseconds, while counting may visit every call of a team; the page is shown first."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox

from agent_assist.errors import UserError
from agent_assist.store.calls_repo import (
    MOST_SEVERE,
    NEWEST,
    PAGE_SIZE,
    UNJUDGED,
    VERDICTS,
    QueueFilter,
)
from agent_assist.store.records import CallSummary
from agent_assist.ui.background import in_background
from agent_assist.ui.review.names import (
    FLAG_STATES,
    REVIEW_STATES,
    SEVERITIES,
    flag_category_name,
    flag_state_name,
    review_state_name,
    severity_name,
    verdict_name,
)
from agent_assist.ui.review.queue_model import QueueModel
from agent_assist.ui.review.views.queue_panel import NO_DATE, QueuePanel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the reviewer's teams and collectors, the flag categories."""

    teams: Sequence[tuple[int, str]]
    collectors: Sequence[tuple[int, str]]
    categories: Sequence[str]


LoadPage = Callable[[QueueFilter, int], list[CallSummary]]
LoadCount = Callable[[QueueFilter], int]  # every matching call, on all pages
LoadChoices = Callable[[], Choices]


class QueueController(QObject):
    opened = Signal(str)  # the call id the reviewer opened
    page_shown = Signal()  # a page of the newest filter is in the table
    _page_loaded = Signal(object)  # (request number, the page's calls)
    _count_loaded = Signal(object)  # (request number, how many calls match)
    _choices_loaded = Signal(object)  # Choices
    _failed = Signal(object)  # the exception

    def __init__(
        self,
        panel: QueuePanel,
        load_page: LoadPage,
        load_count: LoadCount,
        load_choices: LoadChoices,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self._load_page = load_page
        self._load_count = load_count
        self._load_choices = load_choices
        self.model = QueueModel(self)
        panel.table.setModel(self.model)
        self._page = 0
        self._count: int | None = None  # of the newest request, once counted
        self._request = 0  # only the newest request's page is shown
        self._counting = 0  # the request whose count is shown: the newest one that recounts
        self._keep: str | None = None  # the call to select again after a reload
        self._fill_fixed_choices()
        self._page_loaded.connect(self._show_page)
        self._count_loaded.connect(self._show_count)
        self._choices_loaded.connect(self._show_choices)
        self._failed.connect(self._problem)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._filter_changed)
        for edit in (panel.since, panel.until):
            edit.dateChanged.connect(self._filter_changed)
        panel.refresh_action.triggered.connect(self.refresh)
        panel.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        panel.previous_page_action.triggered.connect(lambda: self._turn(-1))
        panel.next_page_action.triggered.connect(lambda: self._turn(1))
        panel.table.activated.connect(lambda index: self._open(index.row()))
        window = panel.window()
        for key, step in (("J", 1), ("K", -1)):
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda step=step: self.move(step))

    def start(self) -> None:
        """Read the filter choices, then the first page (both off the UI thread)."""
        in_background("review-choices", self._load_choices, self._choices_loaded, self._failed)

    def _combos(self) -> tuple[QComboBox, ...]:
        p = self.panel
        return (
            p.team,
            p.collector,
            p.category,
            p.min_severity,
            p.flag_state,
            p.verdict,
            p.review_state,
            p.order,
        )

    def _fill_fixed_choices(self) -> None:
        p = self.panel
        anything = self.tr("Any")
        p.min_severity.addItem(anything, None)
        for severity in SEVERITIES:
            p.min_severity.addItem(severity_name(severity), severity)
        p.flag_state.addItem(anything, None)
        for state in FLAG_STATES:
            p.flag_state.addItem(flag_state_name(state), state)
        p.verdict.addItem(anything, None)
        p.verdict.addItem(verdict_name(None), UNJUDGED)
        for verdict in VERDICTS:
            p.verdict.addItem(verdict_name(verdict), verdict)
        for state in REVIEW_STATES:
            p.review_state.addItem(review_state_name(state), state)
        p.review_state.addItem(self.tr("All calls"), None)
        p.order.addItem(self.tr("Newest first"), NEWEST)
        p.order.addItem(self.tr("Most severe first"), MOST_SEVERE)
        for combo in (p.team, p.collector, p.category):
            combo.addItem(anything, None)

    @Slot(object)
    def _show_choices(self, choices: Choices) -> None:
        p = self.panel
        for combo, items in (
            (p.team, choices.teams),
            (p.collector, choices.collectors),
            (p.category, [(c, flag_category_name(c)) for c in choices.categories]),
        ):
            combo.blockSignals(True)
            for value, name in items:
                combo.addItem(name, value)
            combo.blockSignals(False)
        self.model.set_names(dict(choices.collectors))
        self.refresh()

    def where(self) -> QueueFilter:
        """The filter the panel shows."""
        p = self.panel
        return QueueFilter(
            review_state=p.review_state.currentData(),
            collector_id=p.collector.currentData(),
            team_id=p.team.currentData(),
            category=p.category.currentData(),
            min_severity=p.min_severity.currentData(),
            since=_day_start(p.since.date()),
            until=_day_after(p.until.date()),
            flag_state=p.flag_state.currentData(),
            verdict=p.verdict.currentData(),
            order=p.order.currentData(),
        )

    @Slot()
    def _filter_changed(self) -> None:
        self._page = 0
        self.refresh()

    def _turn(self, step: int) -> None:
        if self._count is None:  # still counting: a full page may have a next one
            last = self._page + int(self.model.rowCount() == PAGE_SIZE)
        else:
            last = max((self._count - 1) // PAGE_SIZE, 0)
        page = min(max(self._page + step, 0), last)
        if page != self._page:
            self._page = page
            self._read(recount=False)

    @Slot()
    def refresh(self) -> None:
        """Read the current page and count again; the selected call stays selected if
        still listed."""
        self._read(recount=True)

    def _read(self, *, recount: bool) -> None:
        self._request += 1
        request, where, page = self._request, self.where(), self._page
        self._keep = self.selected_call()

        def read_page() -> tuple[int, list[CallSummary]]:
            return request, self._load_page(where, page)

        in_background("review-queue", read_page, self._page_loaded, self._failed)
        if not recount:
            return
        self._count, self._counting = None, request
        self.panel.count.setText(self.tr("Loading…"))

        def count() -> tuple[int, int]:
            return request, self._load_count(where)

        in_background("review-count", count, self._count_loaded, self._failed)

    @Slot(object)
    def _show_page(self, loaded: tuple[int, list[CallSummary]]) -> None:
        request, calls = loaded
        if request != self._request:  # a newer filter is on its way
            return
        fitted = self.model.rowCount() > 0
        self.model.set_calls(calls)
        if not fitted:  # fitting the columns asks every cell its size: once is enough
            self.panel.table.resizeColumnsToContents()
        self._show_pages()
        row = self.model.row_of(self._keep) if self._keep else None
        if row is not None:
            self.panel.table.selectRow(row)
        self.page_shown.emit()

    @Slot(object)
    def _show_count(self, counted: tuple[int, int]) -> None:
        request, count = counted
        if request != self._counting:  # an older filter's count, come late
            return
        self._count = count
        self.panel.count.setText(self.tr("{n} calls").format(n=count))
        self._show_pages()

    def _show_pages(self) -> None:
        if self._count is None:  # still counting
            self.panel.page.setText(self.tr("page {page}").format(page=self._page + 1))
            self.panel.next_page_action.setEnabled(self.model.rowCount() == PAGE_SIZE)
        else:
            pages = max((self._count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
            self.panel.page.setText(
                self.tr("page {page} of {pages}").format(page=self._page + 1, pages=pages)
            )
            self.panel.next_page_action.setEnabled(self._page + 1 < pages)
        self.panel.previous_page_action.setEnabled(self._page > 0)

    @Slot(object)
    def _problem(self, error: Exception) -> None:
        if isinstance(error, UserError):
            self.panel.count.setText(str(error))
            return
        log.error("the review queue could not be read", exc_info=error)
        self.panel.count.setText(
            self.tr("The queue could not be read ({0}); try Refresh.").format(error)
        )

    def selected_call(self) -> str | None:
        rows = self.panel.table.selectionModel().selectedRows()
        return self.model.call(rows[0].row()).id if rows else None

    def move(self, step: int) -> None:
        """Select the next (1) or previous (-1) call of the page."""
        if not self.model.rowCount():
            return
        rows = self.panel.table.selectionModel().selectedRows()
        current = rows[0].row() if rows else (-1 if step > 0 else self.model.rowCount())
        row = min(max(current + step, 0), self.model.rowCount() - 1)
        self.panel.table.selectRow(row)
        self.panel.table.setFocus()

    def open_selected(self) -> None:
        rows = self.panel.table.selectionModel().selectedRows()
        if rows:
            self._open(rows[0].row())

    def _open(self, row: int) -> None:
        self.opened.emit(self.model.call(row).id)


def _day_start(day: QDate) -> datetime | None:
    if day == NO_DATE:
        return None
    # The reviewer's own days: midnight where this desktop is.
    return datetime.combine(date(day.year(), day.month(), day.day()), time()).astimezone()


def _day_after(day: QDate) -> datetime | None:
    start = _day_start(day)
    return None if start is None else start + timedelta(days=1)
