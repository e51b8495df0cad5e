"""Follows the call with suggested scripts: stage-fit general lines first, then replies to cues.

The library is the one of the case's language; the case stage (M0 … M6+) is turned
into a call stage (early … legal) by the bank's mapping in the same language's
``messages.yaml`` (``stages:``), so no bucket boundary lives in code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListWidgetItem

from agent_assist.events import CallStarted, Event, Flag
from agent_assist.messaging.render import BankDetails
from agent_assist.messaging.templates import FILE_NAME, libraries_dir
from agent_assist.messaging.templates import load_library as load_messages
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library import (
    Script,
    ScriptLibrary,
    bundled_library,
    load_library,
    render_script,
    suggest,
)
from agent_assist.script_library.loader import FILE_NAME as SCRIPTS_FILE
from agent_assist.store.records import CaseRecord
from agent_assist.ui.display_names import category_name, script_title
from agent_assist.ui.views.script_panel import ScriptPanel

# Where a line row keeps what it is: (script id, line index); title rows keep None.
LINE_ROLE = Qt.ItemDataRole.UserRole + 1
USED_COLOUR = QColor("#9e9e9e")


@dataclass(frozen=True)
class CallScripts:
    """What the panel needs for one language: its library and the stage mapping."""

    library: ScriptLibrary
    stage_of: Callable[[str], str | None]  # case stage (M2) → call stage (mid), None: unknown


def bundled_scripts(language: str) -> CallScripts:
    """The bundled library of ``language`` and its messages' stage mapping."""
    library = bundled_library(language, load_taxonomy().keys())
    return _with_stage_mapping(library, libraries_dir() / language)


@functools.cache
def scripts_in(folder: Path) -> CallScripts:
    """The script library in ``folder`` (shipped or published) with its messages' stage
    mapping, read once per folder: a published version's folder never changes."""
    library = load_library(folder / SCRIPTS_FILE, load_taxonomy().keys())
    return _with_stage_mapping(library, folder)


def _with_stage_mapping(library: ScriptLibrary, folder: Path) -> CallScripts:
    path = folder / FILE_NAME
    if not path.is_file():  # no mapping: stage-specific scripts are left out, general ones shown
        return CallScripts(library, lambda _stage: None)
    return CallScripts(library, load_messages(path).call_stage)


class ScriptController(QObject):
    line_used = Signal(str, int)  # script id, line index

    def __init__(
        self,
        panel: ScriptPanel,
        scripts_for: Callable[[str], CallScripts] = bundled_scripts,
        *,
        agent_name: str | None,
        bank: BankDetails,
        limit: int = 4,
    ) -> None:
        super().__init__(panel)
        self.panel = panel
        self._scripts_for = scripts_for
        self._loaded: dict[str, CallScripts] = {}
        self._agent_name = agent_name
        self._bank = bank
        self._limit = limit
        self._case: CaseRecord | None = None
        self._segment: str | None = None
        self._cues: dict[str, Flag] = {}  # live debtor flags by flag id, latest last
        self._used: set[tuple[str, int]] = set()
        panel.lines.itemClicked.connect(self._clicked)

    def set_case(self, case: CaseRecord, segment: str | None) -> None:
        """A new call on ``case``: back to the stage's general scripts, nothing marked used."""
        self._case = case
        self._segment = segment
        self._cues.clear()
        self._used.clear()
        self._show()

    @Slot(object)
    def on_event(self, event: Event) -> None:
        if isinstance(event, CallStarted):
            self._loaded.clear()  # each call follows the team's active library
            self._cues.clear()
            self._used.clear()
            self._show()
        elif isinstance(event, Flag) and event.speaker == "debtor":
            self._cues.pop(event.flag_id, None)  # re-added last: the latest cue leads
            if event.state != "retracted":
                self._cues[event.flag_id] = event
            self._show()

    def _scripts(self, language: str) -> CallScripts:
        if language not in self._loaded:
            self._loaded[language] = self._scripts_for(language)
        return self._loaded[language]

    def _show(self) -> None:
        view = self.panel.lines
        view.clear()
        case = self._case
        if case is None:
            self.panel.context.setText(self.tr("Choose a case to see what to say."))
            return
        scripts = self._scripts(case.debtor.language)
        stage = scripts.stage_of(case.stage)
        cue = next(reversed(self._cues.values()), None)
        if cue is None:
            self.panel.context.setText(self.tr("Stage {0}: opening the call").format(stage or "?"))
        else:
            self.panel.context.setText(self.tr("Debtor: {0}").format(category_name(cue.category)))
        found = self._suggest(scripts.library, stage, cue)
        for script in found:
            title = QListWidgetItem(script_title(script.purpose, script.cues))
            title.setToolTip(script.id)  # what a trainer searches the library for
            bold = QFont(title.font())
            bold.setBold(True)
            title.setFont(bold)
            title.setFlags(Qt.ItemFlag.NoItemFlags)
            view.addItem(title)
            shown = render_script(
                script, scripts.library, case, agent_name=self._agent_name, bank=self._bank
            )
            for index, text in enumerate(shown.lines):
                item = QListWidgetItem(text)
                item.setData(LINE_ROLE, (script.id, index))
                if (script.id, index) in self._used:
                    _mark_used(item)
                view.addItem(item)

    def _suggest(self, library: ScriptLibrary, stage: str | None, cue: Flag | None) -> list[Script]:
        if cue is not None:
            found = suggest(
                library,
                stage=stage,
                segment=self._segment,
                cue=cue.category,
                reply_id=cue.reply,
                limit=self._limit,
            )
            return [suggestion.script for suggestion in found]
        # Before any cue: the call is opening, so openings lead, then the stage's general
        # scripts; a script whose every line was said sinks below those still to say.
        every = len(library.scripts)
        openings = suggest(
            library, stage=stage, segment=self._segment, cue=None, limit=every, purpose="opening"
        )
        general = suggest(library, stage=stage, segment=self._segment, cue=None, limit=every)
        ranked = list({s.script.id: s.script for s in (*openings, *general)}.values())
        ranked.sort(key=self._said)  # stable: the ranking holds within each group
        return ranked[: self._limit]

    def _said(self, script: Script) -> bool:
        return all((script.id, index) in self._used for index in range(len(script.lines)))

    @Slot(QListWidgetItem)
    def _clicked(self, item: QListWidgetItem) -> None:
        key = item.data(LINE_ROLE)
        if not key:
            return
        script_id, index = key
        if (script_id, index) in self._used:
            return  # said once is enough: a second click neither unmarks nor re-emits
        self._used.add((script_id, index))
        _mark_used(item)
        self.line_used.emit(script_id, index)


def _mark_used(item: QListWidgetItem) -> None:
    font = QFont(item.font())
    font.setStrikeOut(True)
    item.setFont(font)
    item.setForeground(QBrush(USED_COLOUR))
