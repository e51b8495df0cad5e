"""The drills tab: the app plays the debtor of a scenario, the trainee types each answer,
the live rules judge it (flags, required lines, suggested replies) and the score follows
along; at the end the session report is shown and the drill joins the history table.

Compiling a pack, every database write and every judged answer run off the UI thread.
Only one piece of work runs at a time (the answer box is off meanwhile), so the drill,
which is not thread-safe, is only ever used by one thread at once, and its lines reach
the store in the order they were said.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidgetItem

from agent_assist import app
from agent_assist.errors import UserError
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import ScriptLibrary, bundled_library, library_path
from agent_assist.store.drills_repo import DrillRepository, DrillSummary
from agent_assist.store.records import Actor
from agent_assist.training.drill import Answered, Drill, DrillRules, Turn, flag_json
from agent_assist.training.report import DrillReport
from agent_assist.training.scenario import Scenario, bundled_scenarios
from agent_assist.ui.background import in_background
from agent_assist.ui.rows_model import RowsModel
from agent_assist.ui.trainer.drill_panel import DrillPanel

log = logging.getLogger(__name__)
FLAGGED = QColor("#b00020")
NUDGE = QColor("#8a6d00")
DEBTOR = QColor("#37474f")


def bundled_drill_scenarios() -> list[Scenario]:
    return bundled_scenarios(load_taxonomy().keys())


def compiled_rules(scenario: Scenario) -> DrillRules:
    """The scenario's pack as a live call compiles it (slow the first time)."""
    return DrillRules(*app.compiled_pack(scenario.pack_spec()))


def bundled_scripts(language: str) -> ScriptLibrary | None:
    if not library_path(language).is_file():
        return None
    return bundled_library(language, load_taxonomy().keys())


@dataclass(frozen=True)
class _Started:
    drill: Drill
    session_id: int
    line: str


class DrillHistoryModel(RowsModel[DrillSummary]):
    def columns(self) -> tuple[str, ...]:
        return (self.tr("When"), self.tr("Trainee"), self.tr("Scenario"), self.tr("Score"))

    def cells(self, d: DrillSummary) -> tuple[str, ...]:
        score = self.tr("unfinished") if d.ended_at is None else f"{d.score or 0:.1f}"
        when = d.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return (when, d.username, d.scenario_id, score)


class DrillController(QObject):
    _loaded = Signal(object)  # (scenarios, history)
    _started = Signal(object)  # _Started
    _answered = Signal(object)  # (Answered, score so far)
    _ended = Signal(object)  # DrillReport
    _shown = Signal(object)  # a stored report (dict) picked in the history
    _failed = Signal(object)  # the exception

    def __init__(
        self,
        panel: DrillPanel,
        drills: DrillRepository,
        actor: Actor,
        *,
        scenarios: Callable[[], list[Scenario]] = bundled_drill_scenarios,
        rules_for: Callable[[Scenario], DrillRules] = compiled_rules,
        library_for: Callable[[str], ScriptLibrary | None] = bundled_scripts,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self._drills = drills
        self._actor = actor
        self._scenarios_of = scenarios
        self._rules_for = rules_for
        self._library_for = library_for
        self.scenarios: list[Scenario] = []
        self.drill: Drill | None = None
        self._session_id = 0
        self.history = DrillHistoryModel(self)
        panel.history.setModel(self.history)
        self._loaded.connect(self._show_loaded)
        self._started.connect(self._show_started)
        self._answered.connect(self._show_answered)
        self._ended.connect(self._show_report)
        self._shown.connect(self._show_stored)
        self._failed.connect(self._problem)
        panel.start.clicked.connect(self.start_selected)
        panel.send.clicked.connect(self.send_answer)
        panel.answer.returnPressed.connect(self.send_answer)
        panel.stop.clicked.connect(self.end_drill)
        panel.history.doubleClicked.connect(self._open_stored)

    # --- scenarios and history -------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        self.panel.status.setText(self.tr("Reading the scenarios and drills…"))

        def work() -> tuple[list[Scenario], list[DrillSummary]]:
            return self._scenarios_of(), self._drills.history(self._actor)

        in_background("drill-load", work, self._loaded, self._failed)

    @Slot(object)
    def _show_loaded(self, loaded: tuple[list[Scenario], list[DrillSummary]]) -> None:
        self.scenarios, history = loaded
        self.panel.scenarios.clear()
        for scenario in self.scenarios:
            self.panel.scenarios.addItem(f"{scenario.title} ({scenario.language})", scenario.id)
        self.history.set_rows(history)
        self.panel.history.resizeColumnsToContents()
        self.panel.status.setText(self.tr("Pick a scenario and start the drill."))

    def select(self, scenario_id: str) -> None:
        self.panel.scenarios.setCurrentIndex(self.panel.scenarios.findData(scenario_id))

    # --- a drill -----------------------------------------------------------------

    @Slot()
    def start_selected(self) -> None:
        at = self.panel.scenarios.currentIndex()
        if at < 0:
            self.panel.status.setText(self.tr("No scenario to start."))
            return
        scenario = self.scenarios[at]
        self.panel.start.setEnabled(False)
        self.panel.lines.clear()
        self.panel.report.clear()
        self.panel.score.clear()
        self.panel.brief.setText(self._brief(scenario))
        self.panel.status.setText(self.tr("Preparing the drill…"))

        def work() -> _Started:
            rules = self._rules_for(scenario)
            session: list[int] = []

            def keep(turn: Turn) -> None:
                flags = [flag_json(flag) for flag in turn.flags]
                self._drills.add_turn(
                    self._actor, session[0], turn.number, turn.speaker, turn.text, flags=flags
                )

            drill = Drill(
                scenario, rules, library=self._library_for(scenario.language), on_turn=keep
            )
            info = rules.pack.info
            session.append(
                self._drills.start(
                    self._actor, scenario.id, scenario.language, info.id, info.version
                )
            )
            return _Started(drill, session[0], drill.begin())

        in_background("drill-start", work, self._started, self._failed)

    def _brief(self, scenario: Scenario) -> str:
        b = scenario.brief
        facts = self.tr("{0}: {1} {2} overdue {3} days ({4}).").format(
            b.debtor, b.amount, b.currency, b.days_overdue, b.product or scenario.stage
        )
        goal = self.tr("Goal: {0}").format(b.goal) if b.goal else ""
        return "\n".join(part for part in (facts, b.situation, goal) if part)

    @Slot(object)
    def _show_started(self, started: _Started) -> None:
        self.drill, self._session_id = started.drill, started.session_id
        self._add_line(self.tr("Debtor: {0}").format(started.line), DEBTOR)
        self.panel.status.setText(self.tr("Answer the debtor."))
        self.panel.set_answering(True)
        self.panel.answer.setFocus()

    @Slot()
    def send_answer(self) -> None:
        drill = self.drill
        text = self.panel.answer.text().strip()
        if drill is None or not text or not self.panel.send.isEnabled():
            return
        self.panel.set_answering(False)
        self.panel.answer.clear()
        self._add_line(self.tr("You: {0}").format(text), None)

        def work() -> tuple[Answered, float]:
            answered = drill.answer(text)
            return answered, drill.report().score

        in_background("drill-answer", work, self._answered, self._failed)

    @Slot(object)
    def _show_answered(self, outcome: tuple[Answered, float]) -> None:
        answered, score = outcome
        for flag in answered.turn.flags:
            self._add_line(f"⚠ {flag.rule_id}: {flag.explanation}", FLAGGED)
        for cue in answered.tone:
            self._add_line(cue.message, NUDGE)
        self.panel.score.setText(self.tr("Score so far: {0}").format(f"{score:.1f}"))
        if answered.next_line is not None:
            self._add_line(self.tr("Debtor: {0}").format(answered.next_line), DEBTOR)
        if answered.finished:
            self.end_drill()
            return
        self.panel.set_answering(True)
        self.panel.answer.setFocus()

    @Slot()
    def end_drill(self) -> None:
        """Finish the drill (also early: the report then scores the turns so far)."""
        drill, session_id = self.drill, self._session_id
        if drill is None:
            return
        self.drill = None
        self.panel.set_answering(False)
        self.panel.start.setEnabled(False)
        self.panel.status.setText(self.tr("Scoring the drill…"))

        def work() -> DrillReport:
            report = drill.report()
            self._drills.finish(self._actor, session_id, report.score, report.to_dict())
            return report

        in_background("drill-finish", work, self._ended, self._failed)

    @Slot(object)
    def _show_report(self, report: DrillReport) -> None:
        self.panel.score.setText(self.tr("Score: {0}").format(f"{report.score:.1f}"))
        self.panel.report.setPlainText(self.report_text(report.to_dict()))
        self.panel.status.setText(self.tr("Drill stored."))
        self.panel.set_answering(False)
        self.refresh()

    def report_text(self, report: dict[str, Any]) -> str:
        names = {
            "compliance": self.tr("Compliance"),
            "required": self.tr("Required lines"),
            "replies": self.tr("Suggested replies"),
            "tone": self.tr("Tone"),
        }
        score = f"{report['score']:.1f}"
        head = (
            self.tr("Score {0} / 100").format(score)
            if report["complete"]
            else self.tr("Score {0} / 100 (ended early: scored on the turns so far)").format(score)
        )
        lines = [head]
        for c in report["components"]:
            shown = "–" if c["score"] is None else f"{c['score']:.1f}"
            lines.append(f"  {names.get(c['name'], c['name'])}: {shown} ({c['detail']})")
        if report["practise"]:
            lines.append(self.tr("What to practise:"))
            lines += [f"  • {advice}" for advice in report["practise"]]
        return "\n".join(lines)

    # --- a stored drill ---------------------------------------------------------------

    @Slot(QModelIndex)
    def _open_stored(self, index: QModelIndex) -> None:
        summary = self.history.row(index.row())

        def work() -> dict[str, Any] | None:
            return self._drills.get(self._actor, summary.id).report

        in_background("drill-report", work, self._shown, self._failed)

    @Slot(object)
    def _show_stored(self, report: dict[str, Any] | None) -> None:
        if report is None:
            self.panel.report.setPlainText(self.tr("This drill was not finished."))
            return
        self.panel.report.setPlainText(self.report_text(report))

    # --- shared -------------------------------------------------------------------

    def _add_line(self, text: str, colour: QColor | None) -> None:
        item = QListWidgetItem(text)
        if colour is not None:
            item.setForeground(QBrush(colour))
        self.panel.lines.addItem(item)
        self.panel.lines.scrollToBottom()

    @Slot(object)
    def _problem(self, exc: Exception) -> None:
        if not isinstance(exc, UserError):
            log.error("drill failed", exc_info=exc)
        self.panel.status.setText(str(exc))
        self.panel.set_answering(self.drill is not None)
