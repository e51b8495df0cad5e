"""The Publish tab's behaviour: the published versions of each pack and library being
edited, publishing the saved draft (checked by the desktops' loaders first), making a
version active and rolling back, for all teams or for the team chosen in "For:". Every
database read and write runs off the UI thread, one at a time (the buttons are off
meanwhile); roles and the audit log are the repository's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from agent_assist.errors import UserError
from agent_assist.publishing.validate import Identity, InvalidVersion, check_folder
from agent_assist.publishing.working_copy import WorkingCopy, suggest_version
from agent_assist.store.library_repo import Kind, LibraryRepository, TeamRef, content_digest
from agent_assist.store.records import Actor
from agent_assist.ui.background import in_background
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.controllers.publish_dialogs import (
    AskSave,
    AskVersion,
    ConfirmRollback,
    ask_save,
    ask_version,
    confirm_rollback,
    describe_draft,
    version_name,
)
from agent_assist.ui.trainer.controllers.versions_model import Listing, VersionRow, VersionsModel
from agent_assist.ui.trainer.views.publish_panel import PublishPanel, PublishSection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Prepared:
    kind: Kind
    identity: Identity
    content: str
    listing: Listing


@dataclass(frozen=True)
class _Listed:
    teams: list[TeamRef]
    listings: dict[Kind, Listing]


@dataclass(frozen=True)
class _Done:
    kind: Kind
    message: str
    listings: dict[Kind, Listing]


class PublishController(QObject):
    listed = Signal()  # the versions tables show what the database holds
    changed = Signal(str)  # a kind's active version changed (publish, activate, rollback)
    finished = Signal()  # an action ended, done or refused; its outcome is in the status
    _listings = Signal(object)  # _Listed
    _prepared = Signal(object)  # _Prepared
    _done = Signal(object)  # _Done
    _failed = Signal(object)  # the exception

    def __init__(
        self,
        panel: PublishPanel,
        editor: EditorController,
        library: LibraryRepository,
        actor: Actor,
        *,
        copies: Mapping[Kind, WorkingCopy | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or panel)
        self.panel = panel
        self.editor = editor
        self._library = library
        self._actor = actor
        # Asked of the trainer; tests answer them without a modal dialog.
        self.ask_version: AskVersion = lambda kind, ref, v: ask_version(panel, kind, ref, v)
        self.ask_save: AskSave = lambda files: ask_save(panel, files)
        self.confirm_rollback: ConfirmRollback = lambda ref, a, b: confirm_rollback(
            panel, ref, a, b
        )
        self.listings: dict[Kind, Listing] = {}
        self.models: dict[Kind, VersionsModel] = {}
        self._busy: Kind | None = None
        self._busy_all = False
        for kind, source in editor.sources.items():
            section = panel.add_section(kind, self._title(kind, source.ref))
            section.draft.setText(describe_draft(str(source.folder), copies.get(kind)))
            model = VersionsModel(self)
            section.versions.setModel(model)
            self.models[kind] = model
            section.versions.selectionModel().selectionChanged.connect(self._enable)
            section.publish.clicked.connect(lambda _=False, k=kind: self.publish(k))
            section.activate.clicked.connect(lambda _=False, k=kind: self.activate_selected(k))
            section.rollback.clicked.connect(lambda _=False, k=kind: self.roll_back(k))
        panel.refresh.clicked.connect(self.refresh)
        panel.scope.currentIndexChanged.connect(self._scope_changed)
        self._listings.connect(self._show_listings)
        self._prepared.connect(self._ask_and_publish)
        self._done.connect(self._show_done)
        self._failed.connect(self._problem)
        self._enable()

    def _title(self, kind: Kind, ref: str) -> str:
        if kind == "rule_pack":
            return self.tr("Rule pack {0}").format(ref)
        return self.tr("Script library {0}").format(ref)

    def section(self, kind: Kind) -> PublishSection:
        return self.panel.sections[kind]

    def scope(self) -> TeamRef | None:
        """Whom publish, make active and rollback are for: one team, None for all teams."""
        chosen: TeamRef | None = self.panel.scope.currentData()
        return chosen

    def _next_call(self, scope: TeamRef | None) -> str:
        if scope is None:
            return self.tr("every team's desktops run it from their next call")
        return self.tr("every desktop of team {0} runs it from its next call").format(scope.name)

    @Slot()
    def _scope_changed(self) -> None:
        for section in self.panel.sections.values():
            section.status.clear()  # the new scope's running version is shown instead
        self.refresh()

    # Reading the versions.
    @Slot()
    def refresh(self) -> None:
        if self._is_busy():
            return
        self._busy_all = True
        self._enable()
        refs = {kind: source.ref for kind, source in self.editor.sources.items()}
        scope = self.scope()
        in_background(
            "trainer-versions",
            lambda: _Listed(
                self._library.teams(),
                {kind: self._list(kind, ref, scope) for kind, ref in refs.items()},
            ),
            self._listings,
            self._failed,
        )

    def _list(self, kind: Kind, ref: str, scope: TeamRef | None) -> Listing:
        """On a worker thread: the versions of ``ref``, newest first, with names, the one
        ``scope``'s desktops run marked."""
        active = self._library.active(kind, ref, team_id=_id(scope))
        rows: list[VersionRow] = []
        for published in self._library.versions(kind, ref):
            by = published.publisher_name or published.publisher or "?"
            is_active = active is not None and active.version == published.version
            rows.append(VersionRow(published, by, is_active))
        return Listing(kind, ref, tuple(rows), None if scope is None else scope.name)

    @Slot(object)
    def _show_listings(self, listed: _Listed) -> None:
        self._busy_all = False
        self.panel.set_teams(listed.teams)
        for listing in listed.listings.values():
            self._show_listing(listing)
        self._enable()
        self.listed.emit()

    def _show_listing(self, listing: Listing) -> None:
        self.listings[listing.kind] = listing
        self.models[listing.kind].set_rows(listing.rows)
        section = self.section(listing.kind)
        section.versions.resizeColumnsToContents()
        if not section.status.text():
            section.status.setText(self._running(listing))

    def _running(self, listing: Listing) -> str:
        active = listing.active()
        if listing.team is not None:
            if active is None:
                text = self.tr("Desktops of team {0} run the files shipped with the app.")
                return text.format(listing.team)
            text = self.tr("Desktops of team {0} run {1}.")
            return text.format(listing.team, active.published.version)
        if active is None:
            return self.tr("Desktops run the files shipped with the app.")
        return self.tr("Desktops run {0}.").format(active.published.version)

    # Publishing.
    def publish(self, kind: Kind) -> None:
        """Publish the saved draft of ``kind``: unsaved changes are saved first (if the
        trainer agrees), the draft checked, the version asked, then published and made
        active."""
        if self._is_busy():
            return
        unsaved = [
            f"{self.editor.sources[k].ref}/{rel}" for k, rel in self.editor.modified() if k == kind
        ]
        if unsaved:
            if not self.ask_save(unsaved):
                self._say(kind, self.tr("Not published: save your changes first."))
                return
            if not self.editor.save(kind):
                self._say(kind, self.tr("Not published: the changes could not be saved."))
                return
        source = self.editor.sources[kind]
        folder, ref, scope = source.folder, source.ref, self.scope()
        self._start(kind, self.tr("Checking the draft…"))

        def work() -> _Prepared:
            # Every problem, as the desktops would see them; publishing this very text does
            # not load it again.
            identity, content = check_folder(kind, folder)
            return _Prepared(kind, identity, content, self._list(kind, ref, scope))

        in_background("trainer-publish-check", work, self._prepared, self._failed)

    @Slot(object)
    def _ask_and_publish(self, prepared: _Prepared) -> None:
        kind, listing = prepared.kind, prepared.listing
        self._show_listing(listing)
        ref = listing.ref
        if prepared.identity.ref != ref:
            self._stop(
                kind,
                self.tr("Not published: the draft says it is {0}, but this is {1}.").format(
                    prepared.identity.ref, ref
                ),
            )
            return
        digest = content_digest(prepared.content)
        same = next((row for row in listing.rows if row.published.sha256 == digest), None)
        if same is not None:
            if same.active:
                text = self.tr("This draft is published already as {0}, the active version.")
            else:
                text = self.tr(
                    "This draft is published already as {0}: select it and press Make active."
                )
            self._stop(kind, text.format(same.published.version))
            return
        taken = [row.published.version for row in listing.rows]
        version = self.ask_version(kind, ref, suggest_version(prepared.identity.version, taken))
        if version is None:
            self._stop(kind, self.tr("Not published."))
            return
        self.section(kind).status.setText(self.tr("Publishing {0} {1}…").format(ref, version))
        content, scope = prepared.content, self.scope()

        def work() -> _Done:
            published = self._library.publish(
                self._actor, kind, ref, version, content, team_id=_id(scope)
            )
            message = self.tr("Published {0} {1}: {2}.").format(
                ref, published.version, self._next_call(scope)
            )
            return _Done(kind, message, {kind: self._list(kind, ref, scope)})

        in_background("trainer-publish", work, self._done, self._failed)

    # Activating and rolling back.
    def activate_selected(self, kind: Kind) -> None:
        if self._is_busy():
            return
        chosen = self.selected(kind)
        if chosen is None:
            self._say(kind, self.tr("Select a version first."))
            return
        ref, version, scope = chosen.published.ref, chosen.published.version, self.scope()
        self._start(kind, self.tr("Making {0} active…").format(version))

        def work() -> _Done:
            self._library.activate(self._actor, kind, ref, version, team_id=_id(scope))
            message = self.tr("{0} {1} is active: {2}.").format(
                ref, version, self._next_call(scope)
            )
            return _Done(kind, message, {kind: self._list(kind, ref, scope)})

        in_background("trainer-activate", work, self._done, self._failed)

    def roll_back(self, kind: Kind) -> None:
        if self._is_busy():
            return
        listing = self.listings.get(kind)
        active = listing.active() if listing is not None else None
        back_to = listing.before_active() if listing is not None else None
        if listing is not None and listing.team is not None and back_to is None:
            text = self.tr("Team {0} follows all teams' version already: nothing to roll back.")
            self._say(kind, text.format(listing.team))
            return
        if listing is None or active is None or back_to is None:
            self._say(
                kind, self.tr("Desktops run the shipped files already: nothing to roll back.")
            )
            return
        ref, current, scope = listing.ref, active.published.version, self.scope()
        if not self.confirm_rollback(ref, current, back_to):
            self._say(kind, self.tr("Not rolled back."))
            return
        self._start(kind, self.tr("Rolling back…"))

        def work() -> _Done:
            self._library.rollback(self._actor, kind, ref, to=back_to, team_id=_id(scope))
            message = self.tr("{0} is back to {1}: {2}.").format(
                ref, version_name(back_to), self._next_call(scope)
            )
            return _Done(kind, message, {kind: self._list(kind, ref, scope)})

        in_background("trainer-rollback", work, self._done, self._failed)

    def selected(self, kind: Kind) -> VersionRow | None:
        rows = self.section(kind).versions.selectionModel().selectedRows()
        return self.models[kind].row(rows[0].row()) if rows else None

    # Outcomes.
    @Slot(object)
    def _show_done(self, done: _Done) -> None:
        for listing in done.listings.values():
            self._show_listing(listing)
        self._stop(done.kind, done.message)
        self.listed.emit()
        self.changed.emit(done.kind)

    @Slot(object)
    def _problem(self, error: Exception) -> None:
        kind = self._busy
        self._busy_all = False
        if isinstance(error, InvalidVersion):
            count = len(error.problems)
            head = (
                self.tr("Not published: the draft has 1 problem. Fix it and publish again:")
                if count == 1
                else self.tr(
                    "Not published: the draft has {0} problems. Fix them and publish again:"
                ).format(count)
            )
            text = "\n".join([head, *(str(problem) for problem in error.problems)])
        elif isinstance(error, UserError):
            text = str(error)
        else:
            log.error("a publishing action failed", exc_info=error)
            text = self.tr("That did not work ({0}); try again.").format(error)
        if kind is None:
            for section in self.panel.sections.values():
                section.status.setText(text)
            self._enable()
            self.finished.emit()
        else:
            self._stop(kind, text)

    # Shared.
    def _is_busy(self) -> bool:
        return self._busy is not None or self._busy_all

    def _start(self, kind: Kind, text: str) -> None:
        self._busy = kind
        self.section(kind).status.setText(text)
        self._enable()

    def _stop(self, kind: Kind, text: str) -> None:
        self._busy = None
        self._say(kind, text)
        self._enable()
        self.finished.emit()

    def _say(self, kind: Kind, text: str) -> None:
        self.section(kind).status.setText(text)

    def _enable(self, *_args: object) -> None:
        idle = not self._is_busy()
        self.panel.refresh.setEnabled(idle)
        self.panel.scope.setEnabled(idle)
        for kind, section in self.panel.sections.items():
            listing = self.listings.get(kind)
            chosen = self.selected(kind)
            section.publish.setEnabled(idle)
            section.activate.setEnabled(idle and chosen is not None and not chosen.active)
            section.rollback.setEnabled(
                idle and listing is not None and listing.before_active() is not None
            )


def _id(scope: TeamRef | None) -> int | None:
    return None if scope is None else scope.id
