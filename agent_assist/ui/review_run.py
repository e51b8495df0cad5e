"""``agent-assist-review``: the team lead's review window on the configured database.

``--as USERNAME`` names the team lead (or admin) and ``--lang`` the window's language;
without them, the user and language of the settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from agent_assist import app
from agent_assist.cli.devices_cmd import load_sounddevice
from agent_assist.errors import UserError
from agent_assist.privacy import mask_text
from agent_assist.reports.csv_report import save_csv
from agent_assist.reports.labels import Lang
from agent_assist.reports.pdf_report import save_pdf
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.store.calls_repo import CallRepository, QueueFilter
from agent_assist.store.database import Database
from agent_assist.store.floor import FloorWatcher
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.proposals_repo import ProposalRepository
from agent_assist.store.recordings import call_recordings
from agent_assist.store.records import Actor, CallSummary
from agent_assist.store.reports_repo import ReportRepository, ReviewReport
from agent_assist.ui.i18n import install_translators
from agent_assist.ui.review.controllers.call_review_controller import CallReviewController
from agent_assist.ui.review.controllers.floor_controller import FloorController, OnChange, OnError
from agent_assist.ui.review.controllers.missed_flag_controller import MissedFlagController
from agent_assist.ui.review.controllers.playback_controller import PlaybackController
from agent_assist.ui.review.controllers.queue_controller import (
    Choices,
    QueueController,
)
from agent_assist.ui.review.controllers.report_controller import ReportController
from agent_assist.ui.review.explanations import RuleExplanations
from agent_assist.ui.review.names import REQUIRED_STATEMENT
from agent_assist.ui.review.views.review_window import ReviewWindow
from agent_assist.ui.window_main import run_window, window_parser

REVIEWERS = ("team_lead", "admin")


def main(argv: Sequence[str] | None = None) -> int:
    args = window_parser("agent-assist-review", "a team lead or admin").parse_args(argv)
    return run_window(
        args.username, args.lang, build, "name the team lead who reviews with --as USERNAME"
    )


def build(username: str, lang: str = "zh") -> ReviewWindow:
    """The review window for ``username`` (a team lead or an admin), in ``lang``."""
    qt = QApplication.instance()
    assert qt is not None, "a QApplication runs before any window is built"
    install_translators(qt, lang)
    db = app.open_store()
    actor = _reviewer(db, username)
    explanations = RuleExplanations()
    window = ReviewWindow()
    queue = _wire_review(window, db, actor, explanations)

    def watch(on_change: OnChange, on_error: OnError) -> FloorWatcher:
        return FloorWatcher(db, actor, on_change, on_error=on_error)

    floor = FloorController(window.floor, watch, explanations, window)
    window.closed.connect(floor.stop)
    _wire_report(window, ReportRepository(db), actor, "en" if lang == "en" else "zh")

    def close_store() -> None:
        floor.stop()  # a window deleted without being closed: its watcher stops first
        db.close()

    window.destroyed.connect(close_store)
    queue.start()
    floor.start()
    return window


def _reviewer(db: Database, username: str) -> Actor:
    user = PeopleRepository(db).find(username)
    if user is not None and user.role in REVIEWERS:
        return user.as_actor()
    db.close()
    if user is None:
        raise UserError(
            f"no active user named {username!r}; name a team lead with --as "
            "(the demo team's are lead.chen and lead.jones: `agent-assist db demo`)"
        )
    raise UserError(
        f"{username} is a {user.role.replace('_', ' ')}: the review window is for team "
        "leads and admins. Sign in as your team lead with --as USERNAME."
    )


def _wire_review(
    window: ReviewWindow, db: Database, actor: Actor, explanations: RuleExplanations
) -> QueueController:
    """The Review tab: the queue, the call under review, listening, missed flags."""
    calls = CallRepository(db, mask_text)
    people = PeopleRepository(db)
    names: dict[int, str] = {}  # collectors by id, once the choices are read

    def load_page(where: QueueFilter, page: int) -> list[CallSummary]:
        return calls.review_queue(actor, where, page=page)

    def load_count(where: QueueFilter) -> int:
        return calls.review_count(actor, where)

    def load_choices() -> Choices:
        explanations.load()
        members = [m for m in people.team_members(actor) if m.role == "collector"]
        collectors = [(m.id, m.display_name) for m in members]
        names.update(collectors)
        return Choices(
            teams=calls.teams(actor),
            collectors=collectors,
            categories=[*load_taxonomy(), REQUIRED_STATEMENT],
        )

    queue = QueueController(window.queue, load_page, load_count, load_choices, window)
    review = CallReviewController(
        window.call,
        calls,
        actor,
        explanations,
        names=lambda user_id: names.get(user_id, "") if user_id is not None else "",
        parent=window,
    )
    queue.opened.connect(review.open)
    review.reviewed.connect(queue.refresh)
    playback = PlaybackController(
        review, lambda call_id: call_recordings(db, actor, call_id), load_sounddevice, window
    )
    window.closed.connect(playback.stop)
    MissedFlagController(
        window.call, review, ProposalRepository(db, mask_text), actor, parent=window
    )
    return queue


def _wire_report(
    window: ReviewWindow, reports: ReportRepository, actor: Actor, report_lang: Lang
) -> None:
    """The Report tab: read when first shown; exported as CSV or PDF."""

    def load_report(since: date, until: date) -> ReviewReport:
        return reports.review_report(actor, since, until)

    def export_report(since: date, until: date, fmt: str, path: Path) -> None:
        def write(report: ReviewReport) -> None:
            if fmt == "pdf":
                save_pdf(report, path, report_lang)
            else:
                save_csv(report, path, report_lang)

        reports.export(actor, since, until, fmt, write)

    report = ReportController(window.report, load_report, export_report, window)
    window.tabs.currentChanged.connect(
        lambda index: report.ensure_loaded() if window.tabs.widget(index) is window.report else None
    )
