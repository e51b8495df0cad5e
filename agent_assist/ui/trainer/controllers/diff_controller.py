"""The diff of the draft against the version a team runs: the active published version (of
the team chosen in the Publish tab, else every team's), or while nothing is published the
files shipped with the app (as ``agent-assist publish diff`` does), read off the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QObject, Signal

from agent_assist.publishing.bundle import unbundle
from agent_assist.publishing.draft import diff_files, shipped_files
from agent_assist.store.library_repo import Kind
from agent_assist.ui.background import in_background
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.views.editor_panel import DiffPanel

log = logging.getLogger(__name__)

# The active published version's bundle text for a team (None: every team's), or None
# when nothing is published.
LoadPublished = Callable[[Kind, str, int | None], str | None]
# The files shipped with the app under a ref, or None when it ships none.
LoadShipped = Callable[[Kind, str], dict[str, str] | None]


@dataclass(frozen=True)
class _Compared:
    ref: str
    against: Literal["published", "shipped", "nothing"]
    diff: str


class DiffController(QObject):
    shown = Signal()
    _done = Signal(object)
    _failed = Signal(object)

    def __init__(
        self,
        panel: DiffPanel,
        editor: EditorController,
        load_published: LoadPublished,
        parent: QObject | None = None,
        load_shipped: LoadShipped = shipped_files,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self.editor = editor
        self._load = load_published
        self._shipped = load_shipped
        self._team: Callable[[], int | None] = lambda: None
        self._done.connect(self._show)
        self._failed.connect(self._problem)
        editor.panel.diff_action.triggered.connect(self.diff)

    def follow_team(self, team: Callable[[], int | None]) -> None:
        """Compare with the version ``team()`` runs (read when a diff starts; None: every
        team's)."""
        self._team = team

    def diff(self) -> None:
        self.editor.panel.side.setCurrentWidget(self.panel)
        self.panel.status.setText(self.tr("Reading the published version…"))
        drafts = {
            kind: (source.ref, self.editor.texts(kind))
            for kind, source in self.editor.sources.items()
        }
        load, shipped, team_id = self._load, self._shipped, self._team()

        def work() -> list[_Compared]:
            found: list[_Compared] = []
            for kind, (ref, texts) in drafts.items():
                published = load(kind, ref, team_id)
                if published is not None:
                    diff = diff_files(unbundle(published), texts)
                    found.append(_Compared(ref, "published", diff))
                    continue
                files = shipped(kind, ref)
                if files is None:
                    found.append(_Compared(ref, "nothing", ""))
                else:
                    found.append(_Compared(ref, "shipped", diff_files(files, texts, "shipped")))
            return found

        in_background("trainer-diff", work, self._done, self._failed)

    def _show(self, found: list[_Compared]) -> None:
        lines = [self._say(compared) for compared in found]
        self.panel.status.setText("\n".join(lines))
        self.panel.text.setPlainText("".join(compared.diff for compared in found))
        self.shown.emit()

    def _say(self, compared: _Compared) -> str:
        ref = compared.ref
        if compared.against == "nothing":
            said = self.tr(
                "Nothing of {ref} is published or shipped with the app: nothing to compare with."
            )
        elif compared.against == "shipped":
            said = (
                self.tr("{ref}: the draft differs from the shipped files (nothing is published).")
                if compared.diff
                else self.tr(
                    "{ref}: the draft is the same as the shipped files (nothing is published)."
                )
            )
        elif compared.diff:
            said = self.tr("{ref}: the draft differs from the published version.")
        else:
            said = self.tr("{ref}: the draft is the same as the published version.")
        return said.format(ref=ref)

    def _problem(self, error: BaseException) -> None:
        log.error("reading the published version failed", exc_info=error)
        self.panel.status.setText(
            self.tr("The published version could not be read: {problem}").format(problem=error)
        )
        self.shown.emit()
