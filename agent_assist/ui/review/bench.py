"""``python -m agent_assist.ui.review.bench --db-url URL``: the review queue as a team lead
sees it on a large history: the time from a filter change in the window to its first page
listed and painted (read off the UI thread, shown, table laid out and repainted), and to
the number of matching calls, read apart.

``agent-assist bench review`` runs it in its own process (the command line never imports
Qt) on the history it generated; the lead is added to its first team.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QComboBox

from agent_assist.store.database import open_database
from agent_assist.store.people_repo import SYSTEM, PeopleRepository
from agent_assist.ui import review_run
from agent_assist.ui.review.controllers.queue_controller import QueueController
from agent_assist.ui.review.views.review_window import ReviewWindow

LEAD = "bench.lead"
TIMEOUT_S = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m agent_assist.ui.review.bench")
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--changes", type=int, default=60, help="filter changes timed")
    args = parser.parse_args()
    _ensure_lead(args.db_url)
    os.environ["AGENT_ASSIST_DB_URL"] = args.db_url
    qt = QApplication([])
    window = review_run.build(LEAD, "en")
    window.resize(1400, 900)
    window.show()
    queue = window.findChild(QueueController)
    assert queue is not None
    first, _ = _wait_page(qt, queue, lambda: None)  # choices, then the first page
    timed = [
        _wait_page(qt, queue, change)
        for change in itertools.islice(_filter_changes(window), args.changes)
    ]
    figures = {
        "changes": len(timed),
        "first_page_ms": round(first * 1000, 1),
        **_figures("page", [page for page, _ in timed]),
        **_figures("count", [count for _, count in timed]),
    }
    print(json.dumps(figures))
    window.close()
    return 0


def _ensure_lead(url: str) -> None:
    db = open_database(url)
    try:
        people = PeopleRepository(db)
        if people.find(LEAD) is None:
            people.add_user(SYSTEM, LEAD, "Bench Lead", "team_lead", team_id=1)
    finally:
        db.close()


def _filter_changes(window: ReviewWindow) -> Iterator[Callable[[], None]]:
    """Filter changes a lead makes, rotating: a collector, a category, a severity, all calls
    or only pending, the newest or the most severe first."""
    panel = window.queue
    combos = (panel.collector, panel.category, panel.min_severity, panel.review_state, panel.order)
    for step in itertools.count():
        yield functools.partial(_next_choice, combos[step % len(combos)], step)


def _next_choice(combo: QComboBox, step: int) -> None:
    """Another entry than the current one (the same would change nothing)."""
    offset = 1 + step % max(combo.count() - 1, 1)
    combo.setCurrentIndex((combo.currentIndex() + offset) % combo.count())


def _wait_page(
    qt: QApplication, queue: QueueController, change: Callable[[], None]
) -> tuple[float, float]:
    """Seconds from ``change`` to the new page in the table, painted; and to its count."""
    shown: list[float] = []

    def on_page() -> None:
        qt.processEvents()  # the table's layout after the new rows
        queue.panel.table.viewport().repaint()
        shown.append(time.perf_counter())

    queue.page_shown.connect(on_page)
    started = time.perf_counter()
    change()
    while not (shown and queue.panel.count.text().endswith(" calls")):
        qt.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
        if time.perf_counter() - started > TIMEOUT_S:
            raise SystemExit(f"no page within {TIMEOUT_S:g} s: {queue.panel.count.text()}")
    counted = time.perf_counter()
    queue.page_shown.disconnect(on_page)
    return shown[0] - started, counted - started


def _figures(name: str, times: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times)
    return {
        f"{name}_p50_ms": round(statistics.median(ms), 1),
        f"{name}_p95_ms": round(ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], 1),
        f"{name}_max_ms": round(ms[-1], 1),
    }


if __name__ == "__main__":
    raise SystemExit(main())
