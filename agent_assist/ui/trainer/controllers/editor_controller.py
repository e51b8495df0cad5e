"""The editor's behaviour: one document per file, checked by the real loaders a moment
after typing stops (on a worker thread), problems listed and marked at their lines,
saving, and the question about unsaved changes when the window closes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import QListWidgetItem, QMessageBox, QPlainTextDocumentLayout

from agent_assist.errors import UserError
from agent_assist.publishing.draft import (
    DraftProblem,
    LibraryCheck,
    PackCheck,
    check_library,
    check_pack,
    save_files,
)
from agent_assist.rules.explain import Explainer
from agent_assist.rules.taxonomy import Category
from agent_assist.store.library_repo import Kind
from agent_assist.ui.background import in_background
from agent_assist.ui.trainer.views.editor_panel import EditorPanel
from agent_assist.ui.trainer.yaml_highlighter import YamlHighlighter

log = logging.getLogger(__name__)

CHECK_DELAY_MS = 300  # after the last keystroke
DocKey = tuple[Kind, str]  # (what, path relative to its folder)
Ask = Callable[[], QMessageBox.StandardButton]


@dataclass
class Source:
    """A pack or library folder being edited, its files as documents."""

    kind: Kind
    folder: Path
    ref: str  # the pack id, or the library's language: what it is published under
    documents: dict[str, QTextDocument] = field(default_factory=dict)


@dataclass(frozen=True)
class _Checked:
    request: int
    results: dict[Kind, PackCheck | LibraryCheck]
    pack_files: dict[str, str] | None
    explainer: Explainer | None  # over the loaded pack, sharing the compiled one if it can


class EditorController(QObject):
    pack_ready = Signal(object)  # an Explainer over the newest valid pack draft
    checked = Signal()  # a check finished and its problems are shown
    opened = Signal()  # another file is shown in the editor
    _done = Signal(object)
    _failed = Signal(object)

    def __init__(
        self,
        panel: EditorPanel,
        files: Mapping[Kind, tuple[Path, str, dict[str, str]]],
        taxonomy: Mapping[str, Category],
        parent: QObject | None = None,
    ) -> None:
        """``files``: per kind, its folder, its ref and its files' texts."""
        super().__init__(parent or panel)
        self.panel = panel
        self._taxonomy = dict(taxonomy)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self.sources: dict[Kind, Source] = {}
        for kind, (folder, ref, texts) in files.items():
            source = Source(kind, folder, ref)
            for rel, text in texts.items():
                source.documents[rel] = self._document(text)
            self.sources[kind] = source
        self.problems: tuple[tuple[Kind, DraftProblem], ...] = ()
        self._current: DocKey | None = None
        self._request = 0
        self._last_pack: dict[str, str] | None = None
        self.explainer: Explainer | None = None  # the last one sent with pack_ready
        self.ask_unsaved: Ask = self._ask_unsaved
        self._done.connect(self._show_check)
        self._failed.connect(self._check_failed)
        panel.files.currentItemChanged.connect(self._file_chosen)
        panel.problems.itemActivated.connect(self._problem_chosen)
        panel.problems.itemClicked.connect(self._problem_chosen)
        panel.save_action.triggered.connect(self._save_all)
        panel.save_action.setShortcut(QKeySequence.StandardKey.Save)
        panel.save_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._fill_files()
        self.check_now()

    # Documents.
    def _document(self, text: str) -> QTextDocument:
        document = QTextDocument(self)
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        document.setPlainText(text)
        document.setModified(False)
        YamlHighlighter(document)
        document.contentsChanged.connect(self._timer.start)
        document.modificationChanged.connect(lambda _: self._label_files())
        return document

    def document(self, kind: Kind, rel: str) -> QTextDocument:
        return self.sources[kind].documents[rel]

    def current(self) -> DocKey | None:
        return self._current

    def texts(self, kind: Kind) -> dict[str, str]:
        source = self.sources.get(kind)
        if source is None:
            return {}
        return {rel: doc.toPlainText() for rel, doc in source.documents.items()}

    def modified(self) -> list[DocKey]:
        return [
            (kind, rel)
            for kind, source in self.sources.items()
            for rel, doc in source.documents.items()
            if doc.isModified()
        ]

    def _fill_files(self) -> None:
        self.panel.files.clear()
        for kind, source in self.sources.items():
            for rel in source.documents:
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, (kind, rel))
                self.panel.files.addItem(item)
        self._label_files()
        if self.panel.files.count():
            self.panel.files.setCurrentRow(0)

    def _label_files(self) -> None:
        for row in range(self.panel.files.count()):
            item = self.panel.files.item(row)
            kind, rel = item.data(Qt.ItemDataRole.UserRole)
            mark = "● " if self.document(kind, rel).isModified() else ""
            item.setText(f"{mark}{self.sources[kind].ref}/{rel}")

    def open(self, kind: Kind, rel: str, line: int = 0, col: int = 1) -> None:
        """Show a file in the editor (at ``line`` if given)."""
        for row in range(self.panel.files.count()):
            item = self.panel.files.item(row)
            if tuple(item.data(Qt.ItemDataRole.UserRole)) == (kind, rel):
                self.panel.files.setCurrentItem(item)
        if line:
            self.panel.editor.go_to(line, col)

    def _file_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        kind, rel = item.data(Qt.ItemDataRole.UserRole)
        if self._current == (kind, rel):
            return
        self._current = (kind, rel)
        self.panel.editor.setDocument(self.document(kind, rel))
        self._mark_current()
        self.opened.emit()

    # Checking.
    def check_now(self) -> None:
        """Check every source's draft on a worker thread; only the newest result is shown."""
        self._timer.stop()
        self._request += 1
        request = self._request
        snapshot = {kind: (source.ref, self.texts(kind)) for kind, source in self.sources.items()}
        taxonomy, previous = self._taxonomy, self.explainer

        def work() -> _Checked:
            results: dict[Kind, PackCheck | LibraryCheck] = {}
            pack_files: dict[str, str] | None = None
            explainer: Explainer | None = None
            for kind, (ref, texts) in snapshot.items():
                if kind == "rule_pack":
                    pack = check_pack(texts, ref, taxonomy)
                    results[kind], pack_files = pack, texts
                    if pack.pack is not None:
                        # Compiling holds the interpreter for up to a second: it is done
                        # again only when the rules changed, not their comments or layout.
                        explainer = previous.over(pack.pack) if previous else Explainer(pack.pack)
                else:
                    results[kind] = check_library(texts, taxonomy.keys())
            return _Checked(request, results, pack_files, explainer)

        in_background("trainer-check", work, self._done, self._failed)

    def _show_check(self, checked: _Checked) -> None:
        if checked.request != self._request:
            return  # typing went on meanwhile: a newer check is on its way
        self.problems = tuple(
            (kind, problem)
            for kind, result in checked.results.items()
            for problem in result.problems
        )
        self.panel.problems.clear()
        for kind, problem in self.problems:
            item = QListWidgetItem(f"{self.sources[kind].ref}/{problem}")
            item.setData(Qt.ItemDataRole.UserRole, (kind, problem.file, problem.line, problem.col))
            self.panel.problems.addItem(item)
        count = len(self.problems)
        if count == 0:
            title = self.tr("No problems: the draft loads.")
        elif count == 1:
            title = self.tr("1 problem: the draft does not load until it is fixed.")
        else:
            title = self.tr("{count} problems: the draft does not load until they are fixed.")
        self.panel.problems_title.setText(title.format(count=count))
        self._mark_current()
        fresh = checked.pack_files != self._last_pack
        if checked.explainer is not None and fresh:
            self._last_pack = checked.pack_files
            self.explainer = checked.explainer
            self.pack_ready.emit(checked.explainer)
        self.checked.emit()

    def _check_failed(self, error: BaseException) -> None:
        log.error("checking the draft failed", exc_info=error)
        self.panel.problems_title.setText(
            self.tr("The draft could not be checked: {problem}").format(problem=error)
        )
        self.checked.emit()

    def _mark_current(self) -> None:
        current = self._current
        marks = [
            (p.line, p.col, p.message)
            for kind, p in self.problems
            if current is not None and (kind, p.file) == current
        ]
        self.panel.editor.mark_lines(marks)

    def _problem_chosen(self, item: QListWidgetItem) -> None:
        kind, rel, line, col = item.data(Qt.ItemDataRole.UserRole)
        if rel in self.sources[kind].documents:
            self.open(kind, rel, line, col)

    # Saving.
    def save(self, kind: Kind | None = None) -> bool:
        """Write the changed files of ``kind`` (of every kind when None), each atomically;
        False if writing failed."""
        for source in self.sources.values():
            if kind is not None and source.kind != kind:
                continue
            changed = {
                rel: doc.toPlainText() for rel, doc in source.documents.items() if doc.isModified()
            }
            if not changed:
                continue
            try:
                save_files(source.folder, changed)
            except (OSError, UserError) as exc:
                QMessageBox.warning(
                    self.panel,
                    self.tr("Not saved"),
                    self.tr(
                        "The files could not be written: {problem}. Your changes are still here."
                    ).format(problem=exc),
                )
                return False
            for rel in changed:
                source.documents[rel].setModified(False)
        return True

    def _save_all(self) -> None:
        """Ctrl+S: every kind (a slot of its own, as ``triggered`` would pass ``checked``)."""
        self.save()

    def may_close(self) -> bool:
        """The window's close guard: unsaved changes are saved, dropped or kept open."""
        if not self.modified():
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _ask_unsaved(self) -> QMessageBox.StandardButton:
        names = ", ".join(f"{self.sources[kind].ref}/{rel}" for kind, rel in self.modified())
        return QMessageBox.question(
            self.panel,
            self.tr("Unsaved changes"),
            self.tr("Save the changes to {files} before closing?").format(files=names),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
