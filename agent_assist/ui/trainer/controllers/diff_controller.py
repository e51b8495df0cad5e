"""The diff of the draft against the version a team runs: the active published version,
read off the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from agent_assist.publishing.bundle import unbundle
from agent_assist.rules.draft import diff_files
from agent_assist.store.library_repo import Kind
from agent_assist.ui.background import in_background
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.views.editor_panel import DiffPanel

log = logging.getLogger(__name__)

# The active published version's bundle text, or None when nothing is published.
LoadPublished = Callable[[Kind, str], str | None]


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
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self.editor = editor
        self._load = load_published
        self._done.connect(self._show)
        self._failed.connect(self._problem)
        editor.panel.diff_action.triggered.connect(self.diff)

    def diff(self) -> None:
        self.editor.panel.side.setCurrentWidget(self.panel)
        self.panel.status.setText(self.tr("Reading the published version…"))
        drafts = {
            kind: (source.ref, self.editor.texts(kind))
            for kind, source in self.editor.sources.items()
        }
        load = self._load

        def work() -> list[tuple[str, str | None]]:
            found: list[tuple[str, str | None]] = []
            for kind, (ref, texts) in drafts.items():
                published = load(kind, ref)
                diff = None if published is None else diff_files(unbundle(published), texts)
                found.append((ref, diff))
            return found

        in_background("trainer-diff", work, self._done, self._failed)

    def _show(self, found: list[tuple[str, str | None]]) -> None:
        lines: list[str] = []
        parts: list[str] = []
        for ref, diff in found:
            if diff is None:
                lines.append(
                    self.tr("Nothing of {ref} is published yet: nothing to compare with.").format(
                        ref=ref
                    )
                )
            elif not diff:
                lines.append(
                    self.tr("{ref}: the draft is the same as the published version.").format(
                        ref=ref
                    )
                )
            else:
                lines.append(
                    self.tr("{ref}: the draft differs from the published version.").format(ref=ref)
                )
                parts.append(diff)
        self.panel.status.setText("\n".join(lines))
        self.panel.text.setPlainText("".join(parts))
        self.shown.emit()

    def _problem(self, error: BaseException) -> None:
        log.error("reading the published version failed", exc_info=error)
        self.panel.status.setText(
            self.tr("The published version could not be read: {problem}").format(problem=error)
        )
        self.shown.emit()
