"""Alerts during a call, from its events.

A critical collector flag raises the banner, which stays until acknowledged (later ones
while it shows update it and count); debtor cues, lesser collector flags and missed
required statements are cards, newest on top; tone cues are a nudge that passes. A flag
retracted (the final result no longer says it) takes its card or banner entry away.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from agent_assist.asr.display import for_display
from agent_assist.events import CallStarted, Event, Flag, RequirementMissed, ToneCue
from agent_assist.messaging.render import BankDetails
from agent_assist.rules.taxonomy import Category, load_taxonomy
from agent_assist.script_library import render_script, suggest
from agent_assist.store.records import CaseRecord
from agent_assist.ui.controllers.script_controller import CallScripts, bundled_scripts
from agent_assist.ui.display_names import category_name
from agent_assist.ui.views.alerts_panel import AlertBanner, AlertCard, AlertsPanel

NUDGE_MS = 8000  # long enough to read, gone before it becomes noise


def reply_line(
    scripts: CallScripts,
    flag: Flag,
    case: CaseRecord | None,
    segment: str | None,
    *,
    agent_name: str | None,
    bank: BankDetails,
) -> str | None:
    """The first line the suggested-script panel offers for ``flag``'s cue, filled for
    ``case`` (placeholders where there is no case); None when no script answers it."""
    stage = scripts.stage_of(case.stage) if case is not None else None
    found = suggest(
        scripts.library,
        stage=stage,
        segment=segment,
        cue=flag.category,
        reply_id=flag.reply,
        limit=1,
    )
    if not found:
        return None
    shown = render_script(found[0].script, scripts.library, case, agent_name=agent_name, bank=bank)
    return shown.lines[0] if shown.lines else None


def said_html(flag: Flag) -> str:
    """The utterance as the transcript shows it, the words that matched in bold."""
    shown = for_display(flag.text)
    start, end = shown.span(flag.start, flag.end)
    text = shown.text
    return "{}<b>{}</b>{}".format(*map(html.escape, (text[:start], text[start:end], text[end:])))


class AlertsController(QObject):
    acknowledged = Signal(str)  # the flag id of a banner the collector acknowledged

    def __init__(
        self,
        banner: AlertBanner,
        panel: AlertsPanel,
        scripts_for: Callable[[str], CallScripts] = bundled_scripts,
        *,
        agent_name: str | None,
        bank: BankDetails,
        language: str,
        taxonomy: Mapping[str, Category] | None = None,
        nudge_ms: int = NUDGE_MS,
    ) -> None:
        super().__init__(panel)
        self.banner = banner
        self.panel = panel
        self._scripts_for = scripts_for
        self._loaded: dict[str, CallScripts] = {}
        self._agent_name = agent_name
        self._bank = bank
        self._language = language  # the scripts' language while no case is chosen
        self._taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        self._case: CaseRecord | None = None
        self._segment: str | None = None
        self._banner_flags: dict[str, Flag] = {}  # shown on the banner, oldest first
        self._acknowledged: set[str] = set()
        self._cards: dict[str, AlertCard] = {}
        self._nudge_timer = QTimer(self)
        self._nudge_timer.setSingleShot(True)
        self._nudge_timer.setInterval(nudge_ms)
        self._nudge_timer.timeout.connect(panel.nudge.hide)
        banner.acknowledge.clicked.connect(self.acknowledge)

    def set_case(self, case: CaseRecord, segment: str | None) -> None:
        """The case being called: replies are filled for it, in its debtor's language."""
        self._case = case
        self._segment = segment

    @Slot(object)
    def on_event(self, event: Event) -> None:
        if isinstance(event, CallStarted):
            # A new call starts calm; an unacknowledged banner stays until acknowledged.
            self._loaded.clear()  # each call follows the team's active library
            for card in list(self._cards.values()):
                self.panel.remove_card(card)
            self._cards.clear()
            self._acknowledged.clear()  # flag ids count utterances from each call's start
            self._nudge_timer.stop()
            self.panel.nudge.hide()
        elif isinstance(event, Flag):
            if event.state == "retracted":
                self._retract(event.flag_id)
            elif event.speaker == "agent" and event.severity == "critical":
                self._raise_banner(event)
            else:
                self._flag_card(event)
        elif isinstance(event, RequirementMissed):
            self._missed_card(event)
        elif isinstance(event, ToneCue):
            self.panel.nudge.setText(event.message)
            self.panel.nudge.show()
            self._nudge_timer.start()

    @Slot()
    def acknowledge(self) -> None:
        """The collector has seen the crossed lines: the banner goes, each one is reported."""
        flag_ids = list(self._banner_flags)
        self._banner_flags.clear()
        self.banner.hide()
        for flag_id in flag_ids:
            self._acknowledged.add(flag_id)
            self.acknowledged.emit(flag_id)

    def _raise_banner(self, flag: Flag) -> None:
        if flag.flag_id in self._acknowledged:
            return  # confirmed after the collector acknowledged it raised: not again
        self._banner_flags[flag.flag_id] = flag
        self._show_banner()

    def _show_banner(self) -> None:
        if not self._banner_flags:
            self.banner.hide()
            return
        latest = next(reversed(self._banner_flags.values()))
        self.banner.category.setText(category_name(latest.category))
        self.banner.category.setToolTip(self._means(latest.category))
        self.banner.explanation.setText(latest.explanation)
        count = len(self._banner_flags)
        self.banner.count.setText(self.tr("{0} lines crossed").format(count))
        self.banner.count.setVisible(count > 1)
        self.banner.show()

    def _flag_card(self, flag: Flag) -> None:
        card = self._card(flag.flag_id, "cue" if flag.speaker == "debtor" else "warning")
        card.title.setText(category_name(flag.category))
        card.title.setToolTip(self._means(flag.category))
        card.said.setText(self.tr("Said: {0}").format(said_html(flag)))
        card.said.setToolTip(flag.explanation)
        scripts = self._scripts()
        line = reply_line(
            scripts, flag, self._case, self._segment, agent_name=self._agent_name, bank=self._bank
        )
        card.reply.setText(self.tr("Reply: {0}").format(line) if line else "")
        card.reply.setVisible(line is not None)

    def _missed_card(self, missed: RequirementMissed) -> None:
        card = self._card(f"required:{missed.requirement_id}", "missed")
        card.title.setText(self.tr("Required statement not said yet"))
        card.title.setToolTip(missed.requirement_id)
        card.said.setText(html.escape(missed.explanation))

    def _card(self, key: str, kind: str) -> AlertCard:
        card = self._cards.get(key)
        if card is None:
            card = AlertCard(kind)
            self._cards[key] = card
            self.panel.add_card(card)
        return card

    def _retract(self, flag_id: str) -> None:
        card = self._cards.pop(flag_id, None)
        if card is not None:
            self.panel.remove_card(card)
        if self._banner_flags.pop(flag_id, None) is not None:
            self._show_banner()

    def _means(self, category_id: str) -> str:
        found = self._taxonomy.get(category_id)
        return found.means if found is not None else ""

    def _scripts(self) -> CallScripts:
        language = self._case.debtor.language if self._case is not None else self._language
        if language not in self._loaded:
            self._loaded[language] = self._scripts_for(language)
        return self._loaded[language]
