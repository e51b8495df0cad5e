"""The drills tab: the app plays the debtor of a scenario, the trainee types each answer,
the live rules judge it (flags, required lines, suggested replies) and the score follows
along; at the end the session report is shown and the drill joins the history table.

Compiling a pack, every database write and every judged answer run off the UI thread.
Only one piece of work runs at a time (the answer box is off meanwhile), so the drill,
which is not thread-safe, is only ever used by one thread at once, and its lines reach
the store in the order they were said. A spoken drill hears the trainee through a call
session (the microphone, the speech model of the scenario's language) on a thread of its
own, which is then the drill's one user until the session ends: "End drill" stops the
session, and the report is made once its last answer is judged. The debtor's lines are
said (espeak-ng) on another thread, in order. When the database stops answering, the drill goes
on: its writes wait on this computer (the repository's spool), a sentence under the
drill says so, and the report is shown at the end as always.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidgetItem

from agent_assist.call.session import CallSession
from agent_assist.errors import UserError
from agent_assist.events import Final
from agent_assist.script_library import ScriptLibrary
from agent_assist.store.drills_repo import DrillRepository, DrillSummary
from agent_assist.store.records import Actor
from agent_assist.store.spool import is_unreachable
from agent_assist.training.drill import Answered, Drill, DrillRules, Turn
from agent_assist.training.listen import spoken_answers
from agent_assist.training.report import DrillReport, Mode
from agent_assist.training.scenario import Scenario
from agent_assist.training.speech import LineSpeaker
from agent_assist.ui.background import emit_if_alive, in_background
from agent_assist.ui.trainer.drill_panel import DrillPanel
from agent_assist.ui.trainer.drill_sources import (
    DrillHistoryModel,
    bundled_drill_scenarios,
    bundled_rules,
)
from agent_assist.ui.trainer.drill_voices import NO_VOICES, DrillVoices, offer_voices
from agent_assist.ui.trainer.drill_wording import report_text

log = logging.getLogger(__name__)
FLAGGED = QColor("#b00020")
NUDGE = QColor("#8a6d00")
DEBTOR = QColor("#37474f")
SAVE_WAIT_S = 120.0  # after a drill kept on this computer: how long the tab watches for the save


@dataclass(frozen=True)
class _Started:
    drill: Drill
    key: str
    line: str
    kept: int  # writes waiting on this computer for the database
    session: CallSession | None  # a spoken drill's call, not started yet
    say: Callable[[str], None] | None  # says a line aloud, returning once said


class DrillController(QObject):
    _loaded = Signal(object)  # (scenarios, history)
    _started = Signal(object)  # _Started
    _answered = Signal(object)  # (Answered, score so far, writes kept locally)
    _heard = Signal(object)  # (Final, Answered, score so far, writes kept locally)
    _listened = Signal(object)  # None: a spoken drill's call has ended
    _ended = Signal(object)  # (DrillReport, writes kept locally)
    _saved = Signal(object)  # True: the writes kept locally are stored now
    _shown = Signal(object)  # a stored report (dict) picked in the history
    _failed = Signal(object)  # the exception

    def __init__(
        self,
        panel: DrillPanel,
        drills: DrillRepository,
        actor: Actor,
        *,
        scenarios: Callable[[], list[Scenario]] = bundled_drill_scenarios,
        rules_for: Callable[[Scenario], tuple[DrillRules, ScriptLibrary | None]] = bundled_rules,
        save_wait_s: float = SAVE_WAIT_S,
        voices: DrillVoices = NO_VOICES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self._drills = drills
        self._actor = actor
        self._scenarios_of = scenarios
        self._rules_for = rules_for
        self._save_wait_s = save_wait_s
        self._voices = voices
        self._session: CallSession | None = None  # a spoken drill's call, while it runs
        self._listening: threading.Thread | None = None
        self._speaker: LineSpeaker | None = None
        self.scenarios: list[Scenario] = []
        self.drill: Drill | None = None
        self._key = ""
        self.history = DrillHistoryModel(self)
        panel.history.setModel(self.history)
        self._loaded.connect(self._show_loaded)
        self._started.connect(self._show_started)
        self._answered.connect(self._show_answered)
        self._heard.connect(self._show_heard)
        self._listened.connect(self._show_listened)
        self._ended.connect(self._show_report)
        self._saved.connect(self._show_saved)
        self._shown.connect(self._show_stored)
        self._failed.connect(self._problem)
        panel.start.clicked.connect(self.start_selected)
        panel.send.clicked.connect(self.send_answer)
        panel.answer.returnPressed.connect(self.send_answer)
        panel.stop.clicked.connect(self.end_drill)
        panel.history.doubleClicked.connect(self._open_stored)
        panel.scenarios.currentIndexChanged.connect(self._offer_voices)

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
        speak = self.panel.speak.isEnabled() and self.panel.speak.isChecked()
        by_voice = self.panel.by_voice.isEnabled() and self.panel.by_voice.isChecked()
        self.panel.start.setEnabled(False)
        self.panel.lines.clear()
        self.panel.report.clear()
        self.panel.score.clear()
        self.panel.brief.setText(self._brief(scenario))
        self.panel.status.setText(self.tr("Preparing the drill…"))

        def work() -> _Started:
            rules, library = self._rules_for(scenario)
            keys: list[str] = []

            def keep(turn: Turn) -> None:
                self._drills.keep(self._actor, keys[0], turn)

            mode: Mode = "voice" if by_voice else "typed"
            drill = Drill(scenario, rules, library=library, mode=mode, on_turn=keep)
            # What can refuse (the speech model, the microphone) before the drill is stored.
            session = self._voices.listen_for(scenario.language) if by_voice else None
            say = self._voices.say_for(scenario.language) if speak else None
            info = rules.pack.info
            keys.append(
                self._drills.start(
                    self._actor, scenario.id, scenario.language, info.id, info.version
                )
            )
            line = drill.begin()
            return _Started(drill, keys[0], line, self._drills.kept_locally, session, say)

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
        self.drill, self._key = started.drill, started.key
        self._show_kept(started.kept)
        self._speaker = None if started.say is None else LineSpeaker(started.say)
        self._debtor_says(started.line)
        if started.session is None:
            self.panel.status.setText(self.tr("Answer the debtor."))
            self.panel.set_answering(True)
            self.panel.answer.setFocus()
            return
        self._session = started.session
        self.panel.status.setText(self.tr("Listening: answer the debtor aloud."))
        self.panel.set_listening(True)
        drill, session = started.drill, started.session
        self._listening = in_background(
            "drill-listen", lambda: self._listen(drill, session), self._listened, self._failed
        )

    def _listen(self, drill: Drill, session: CallSession) -> None:
        """Off the UI thread: each answer heard is judged as it is decided, until the
        scenario is over or the session is stopped."""
        for final in spoken_answers(session, drill.on_level):
            if drill.finished:
                continue  # the session is stopping: what is still decoded is not an answer
            answered = drill.answer_final(final)
            score = drill.report().score
            emit_if_alive(self._heard, (final, answered, score, self._drills.kept_locally))
            if answered.finished:
                session.stop()

    @Slot(object)
    def _show_heard(self, heard: tuple[Final, Answered, float, int]) -> None:
        final, answered, score, kept = heard
        self._add_line(self.tr("You: {0}").format(final.text), None)
        self._show_judged(answered, score, kept)
        if answered.finished:
            self.end_drill()

    @Slot(object)
    def _show_listened(self, _none: object) -> None:
        self._session = self._listening = None

    @Slot()
    def send_answer(self) -> None:
        drill = self.drill
        text = self.panel.answer.text().strip()
        if drill is None or not text or not self.panel.send.isEnabled():
            return
        self.panel.set_answering(False)
        self.panel.answer.clear()
        self._add_line(self.tr("You: {0}").format(text), None)

        def work() -> tuple[Answered, float, int]:
            answered = drill.answer(text)
            return answered, drill.report().score, self._drills.kept_locally

        in_background("drill-answer", work, self._answered, self._failed)

    @Slot(object)
    def _show_answered(self, outcome: tuple[Answered, float, int]) -> None:
        answered, score, kept = outcome
        self._show_judged(answered, score, kept)
        if answered.finished:
            self.end_drill()
            return
        self.panel.set_answering(True)
        self.panel.answer.setFocus()

    def _show_judged(self, answered: Answered, score: float, kept: int) -> None:
        """An answer's flags and tone cues, the score so far, the debtor's next line."""
        self._show_kept(kept)
        for flag in answered.turn.flags:
            self._add_line(f"⚠ {flag.rule_id}: {flag.explanation}", FLAGGED)
        for cue in answered.tone:
            self._add_line(cue.message, NUDGE)
        self.panel.score.setText(self.tr("Score so far: {0}").format(f"{score:.1f}"))
        if answered.next_line is not None:
            self._debtor_says(answered.next_line)

    def _debtor_says(self, line: str) -> None:
        self._add_line(self.tr("Debtor: {0}").format(line), DEBTOR)
        if self._speaker is not None:
            self._speaker.say(line)

    @Slot()
    def end_drill(self) -> None:
        """Finish the drill (also early: the report then scores the turns so far)."""
        drill, key, listening = self.drill, self._key, self._listening
        if drill is None:
            return
        self.drill = None
        self._stop_voices(finished=drill.finished)
        self.panel.set_answering(False)
        self.panel.start.setEnabled(False)
        self.panel.status.setText(self.tr("Scoring the drill…"))

        def work() -> tuple[DrillReport, int]:
            if listening is not None:
                listening.join()  # its last answers are judged: the drill is this thread's
            report = drill.report()
            self._drills.finish(self._actor, key, report.score, report.to_dict())
            return report, self._drills.kept_locally

        in_background("drill-finish", work, self._ended, self._failed)

    @Slot(object)
    def _show_report(self, outcome: tuple[DrillReport, int]) -> None:
        report, kept = outcome
        self.panel.score.setText(self.tr("Score: {0}").format(f"{report.score:.1f}"))
        self.panel.report.setPlainText(report_text(report.to_dict()))
        self.panel.set_answering(False)
        self._show_kept(kept)
        if not kept:
            self.panel.status.setText(self.tr("Drill stored."))
            self.refresh()
            return
        # The history is read from the database: it shows this drill once it answers.
        self.panel.status.setText(
            self.tr("Drill kept on this computer; it is saved when the database answers.")
        )
        wait = self._save_wait_s
        in_background(
            "drill-saving", lambda: self._drills.wait_stored(wait), self._saved, self._failed
        )

    @Slot(object)
    def _show_saved(self, saved: bool) -> None:
        if saved:
            self._show_kept(0)
            if self.drill is None:  # else the drill under way keeps its status and list
                self.panel.status.setText(self.tr("Drill stored."))
                self.refresh()

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
        self.panel.report.setPlainText(report_text(report))

    # --- shared -------------------------------------------------------------------

    def _add_line(self, text: str, colour: QColor | None) -> None:
        item = QListWidgetItem(text)
        if colour is not None:
            item.setForeground(QBrush(colour))
        self.panel.lines.addItem(item)
        self.panel.lines.scrollToBottom()

    def _stop_voices(self, *, finished: bool) -> None:
        """Stop hearing the trainee; a drill that ended by itself still says its last line."""
        if self._session is not None:
            self._session.stop()
        if self._speaker is not None:
            self._speaker.close(drop=not finished)
            self._speaker = None

    @Slot()
    def shut(self) -> None:
        """The window closes: the microphone and the voice stop (the drill is left as is)."""
        self._stop_voices(finished=False)

    def _offer_voices(self) -> None:
        at = self.panel.scenarios.currentIndex()
        language = self.scenarios[at].language if 0 <= at < len(self.scenarios) else ""
        offer_voices(self.panel, self._voices, language)

    def _show_kept(self, kept: int) -> None:
        """While writes wait on this computer, one sentence says so (the drill goes on)."""
        self.panel.kept.setVisible(kept > 0)

    @Slot(object)
    def _problem(self, exc: Exception) -> None:
        if is_unreachable(exc):
            log.warning("database unreachable: %s", exc)
            self.panel.status.setText(
                self.tr("The database is not answering; try again when it answers.")
            )
        else:
            if not isinstance(exc, UserError):
                log.error("drill failed", exc_info=exc)
            self.panel.status.setText(str(exc))
        if self._listening is not None:  # hearing failed: "End drill" scores what was said
            self.panel.set_listening(self.drill is not None)
        else:
            self.panel.set_answering(self.drill is not None)
