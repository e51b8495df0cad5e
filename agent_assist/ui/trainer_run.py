"""``agent-assist-trainer``: the trainer's window for rule packs and script libraries.

``--as USERNAME`` names the trainer (or admin; a collector or team lead gets the Drills
tab alone), ``--lang`` the window's language, ``--pack``
and ``--library`` what to edit (a bundled id or a folder); without either, the pack and
library of the window's language. A bundled id opens its working copy in the data folder
(``publishing/working_copy.py``), a folder is edited in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel

from agent_assist import app, paths
from agent_assist.errors import UserError
from agent_assist.privacy import mask_text
from agent_assist.publishing.draft import SCRIPTS_FILE, read_files
from agent_assist.publishing.working_copy import WorkingCopy, open_working_copy
from agent_assist.rules.registry import bundled_packs, packs_dir, resolve_pack
from agent_assist.rules.taxonomy import Category, load_taxonomy
from agent_assist.script_library import ScriptLibrary, library_path, load_library
from agent_assist.settings import load_settings
from agent_assist.store.call_log import apply_op
from agent_assist.store.database import Database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.library_repo import Kind, LibraryRepository
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.proposals_repo import ProposalRepository
from agent_assist.store.records import Actor
from agent_assist.store.spool import SpoolingWriter
from agent_assist.training.drill import DrillRules
from agent_assist.training.scenario import Scenario
from agent_assist.ui.i18n import install_translators
from agent_assist.ui.trainer.controllers.diff_controller import DiffController
from agent_assist.ui.trainer.controllers.editor_controller import EditorController
from agent_assist.ui.trainer.controllers.publish_controller import PublishController
from agent_assist.ui.trainer.controllers.publish_dialogs import describe_draft
from agent_assist.ui.trainer.controllers.rule_form_controller import RuleFormController
from agent_assist.ui.trainer.controllers.try_controller import TryController
from agent_assist.ui.trainer.drill_controller import DrillController
from agent_assist.ui.trainer.drill_panel import DrillPanel
from agent_assist.ui.trainer.drill_voices import local_voices
from agent_assist.ui.trainer.proposals_controller import ProposalsController
from agent_assist.ui.trainer.proposals_panel import ProposalsPanel
from agent_assist.ui.trainer.views.publish_panel import PublishPanel
from agent_assist.ui.trainer.views.trainer_window import TrainerWindow
from agent_assist.ui.window_main import run_window, window_parser

TRAINERS = ("trainer", "admin")  # every tab
TRAINEES = ("collector", "team_lead")  # the Drills tab only
BUNDLED = {"zh": "zh-CN", "en": "en-US"}  # the window's language → its pack and library


def main(argv: Sequence[str] | None = None) -> int:
    who = "a trainer or admin (a collector or team lead: drills only)"
    parser = window_parser("agent-assist-trainer", who)
    parser.add_argument("--pack", metavar="PATH", help="a rule pack: bundled id or folder")
    parser.add_argument("--library", metavar="PATH", help="a script library folder or id")
    args = parser.parse_args(argv)

    def build_window(username: str, lang: str) -> TrainerWindow:
        return build(username, lang, args.pack, args.library)

    return run_window(args.username, args.lang, build_window, "name yourself with --as USERNAME")


def _library_folder(spec: str) -> Path:
    """A library named by its folder (or its scripts.yaml); a language is ``_is_language``."""
    path = Path(spec).expanduser()
    if path.is_file() and path.name == SCRIPTS_FILE:
        return path.parent
    if (path / SCRIPTS_FILE).is_file():
        return path
    raise UserError(
        f"no script library {spec!r}: give a language (zh-CN, en-US) or a folder "
        f"holding {SCRIPTS_FILE}"
    )


def build(
    username: str, lang: str = "zh", pack: str | None = None, library: str | None = None
) -> TrainerWindow:
    """The trainer window for ``username`` in ``lang``: for a trainer or an admin the
    Editor, Publish, Proposals and Drills tabs; for a collector or a team lead (a trainee)
    the Drills tab alone. A bundled pack id or library language opens its working copy
    (never the installed files); a folder opens that folder."""
    qt = QApplication.instance()
    assert qt is not None, "a QApplication runs before any window is built"
    install_translators(qt, lang)
    if pack is None and library is None:
        pack = load_settings().rule_pack or BUNDLED.get(lang, "zh-CN")
        library = BUNDLED.get(lang, "zh-CN")
    taxonomy = load_taxonomy()
    db = app.open_store()
    try:
        actor = _user(db, username)
        drafts = _drafts(LibraryRepository(db), pack, library) if _trains(actor) else None
        window = TrainerWindow()
        if drafts is None:
            _drills_only(window)
        else:
            _trainer_tabs(window, db, actor, drafts, taxonomy)
        _drills_tab(window, db, actor)
    except BaseException:
        db.close()  # no window is returned to close it
        raise
    window.destroyed.connect(db.close)
    return window


def _trainer_tabs(
    window: TrainerWindow,
    db: Database,
    actor: Actor,
    drafts: Mapping[Kind, _Draft],
    taxonomy: Mapping[str, Category],
) -> None:
    editor, diff = _editor_tab(window, db, drafts, taxonomy)
    publishing = _publish_tab(window, db, actor, editor, drafts)
    publishing.changed.connect(diff.diff)  # the diff shows the new active version
    diff.follow_team(lambda: None if (scope := publishing.scope()) is None else scope.id)
    _proposals_tab(window, db, actor, editor)
    _say_what_is_edited(window, drafts)
    window.add_close_guard(editor.may_close)


def _trains(actor: Actor) -> bool:
    return actor.role in TRAINERS


def _drills_only(window: TrainerWindow) -> None:
    """A trainee's window: the editor tab goes (it stays hidden, unused), Drills remains."""
    window.tabs.removeTab(window.tabs.indexOf(window.editor))
    window.setWindowTitle(QCoreApplication.translate("TrainerWindow", "Agent Assist · Drills"))


@dataclass(frozen=True)
class _Draft:
    folder: Path
    ref: str
    copy: WorkingCopy | None  # None: a folder named with --pack/--library, edited in place


def _user(db: Database, username: str) -> Actor:
    """Who opens the window: a trainer or admin (every tab), or a trainee (a collector or
    a team lead: the Drills tab, with the drills the store lets them see)."""
    user = PeopleRepository(db).find(username)
    if user is None:
        raise UserError(
            f"no active user named {username!r}; name yourself with --as USERNAME (an admin "
            "adds people to the database)"
        )
    if user.role not in (*TRAINERS, *TRAINEES):
        raise UserError(
            f"{username} is a {user.role.replace('_', ' ')}: the trainer window is for "
            "trainers, admins, collectors and team leads. Sign in with --as USERNAME."
        )
    return user.as_actor()


def _drafts(
    library: LibraryRepository, pack: str | None, scripts: str | None
) -> dict[Kind, _Draft]:
    """What the editor opens: working copies for what ships with the app, else folders."""
    drafts: dict[Kind, _Draft] = {}
    if pack is not None:
        if pack in bundled_packs():
            copy = open_working_copy(library, "rule_pack", pack, packs_dir() / pack)
            drafts["rule_pack"] = _Draft(copy.folder, pack, copy)
        else:
            folder = resolve_pack(pack)
            drafts["rule_pack"] = _Draft(folder, folder.resolve().name, None)
    if scripts is not None:
        if _is_language(scripts):
            shipped = library_path(scripts).parent
            copy = open_working_copy(library, "script_library", scripts, shipped)
            drafts["script_library"] = _Draft(copy.folder, scripts, copy)
        else:
            folder = _library_folder(scripts)
            drafts["script_library"] = _Draft(folder, _library_ref(folder), None)
    return drafts


def _is_language(spec: str) -> bool:
    """A library named by its language (zh-CN), as shipped with the app."""
    return "/" not in spec and "\\" not in spec and library_path(spec).is_file()


def _editor_tab(
    window: TrainerWindow,
    db: Database,
    drafts: Mapping[Kind, _Draft],
    taxonomy: Mapping[str, Category],
) -> tuple[EditorController, DiffController]:
    published = LibraryRepository(db)

    def load_published(kind: Kind, ref: str, team_id: int | None) -> str | None:
        found = published.active_content(kind, ref, team_id=team_id)
        return None if found is None else found.content

    files = {kind: (d.folder, d.ref, read_files(d.folder)) for kind, d in drafts.items()}
    panel = window.editor
    editor = EditorController(panel, files, taxonomy, window)
    RuleFormController(panel.form, editor, taxonomy, window)
    trying = TryController(panel, window)
    editor.pack_ready.connect(trying.use)
    trying.open_rule.connect(lambda rel, line: editor.open("rule_pack", rel, line))
    diff = DiffController(panel.diff, editor, load_published, window)
    return editor, diff


def _publish_tab(
    window: TrainerWindow,
    db: Database,
    actor: Actor,
    editor: EditorController,
    drafts: Mapping[Kind, _Draft],
) -> PublishController:
    panel = PublishPanel()
    copies = {kind: draft.copy for kind, draft in drafts.items()}
    controller = PublishController(panel, editor, LibraryRepository(db), actor, copies=copies)
    window.add_tab(panel, QCoreApplication.translate("TrainerWindow", "Publish"))
    controller.refresh()
    return controller


def _proposals_tab(
    window: TrainerWindow, db: Database, actor: Actor, editor: EditorController
) -> None:
    """Proposed examples go into the pack being edited (its working copy)."""
    source = editor.sources.get("rule_pack")
    if source is None:
        return  # only a library is open: there is no pack to add examples to
    panel = ProposalsPanel()
    controller = ProposalsController(
        panel, ProposalRepository(db, mask_text), actor, lambda: source.folder
    )
    controller.example_added.connect(lambda file: _reload_written(editor, Path(file), panel.status))
    window.add_tab(panel, QCoreApplication.translate("TrainerWindow", "Proposals"))
    controller.refresh()


def _reload_written(editor: EditorController, file: Path, status: QLabel) -> None:
    """Show a file an accepted proposal wrote; unsaved edits of it are kept, and the
    trainer told what saving them would do."""
    source = editor.sources["rule_pack"]
    try:
        rel = file.relative_to(source.folder).as_posix()
    except ValueError:
        return
    document = source.documents.get(rel)
    if document is None:
        return
    if document.isModified():
        status.setText(
            status.text()
            + " "
            + QCoreApplication.translate(
                "TrainerWindow",
                "{0} has unsaved changes in the editor, so it still shows your version: "
                "saving it would remove the new example from the file.",
            ).format(rel)
        )
        return
    document.setPlainText(file.read_text(encoding="utf-8"))
    document.setModified(False)


def _drills_tab(window: TrainerWindow, db: Database, actor: Actor) -> None:
    """Drills judged by what the team runs: its active published pack and library; spoken
    with this computer's espeak-ng, speech models and the microphone of the settings."""

    def rules_for(scenario: Scenario) -> tuple[DrillRules, ScriptLibrary | None]:
        return app.drill_rules(db, scenario.pack_spec(), scenario.language, actor.team_id)

    panel = DrillPanel()
    # The call window's spool folder: a drill kept while the server is away is saved
    # by whichever of them runs next.
    writer = SpoolingWriter(lambda op: apply_op(db, op), paths.data_dir() / "spool")
    window.destroyed.connect(writer.close)
    repo = DrillRepository(db, _mask_every_region, writer=writer)
    voices = local_voices(paths.models_dir(), load_settings())
    controller = DrillController(panel, repo, actor, rules_for=rules_for, voices=voices)
    window.closed.connect(controller.shut)  # the microphone and the voice stop
    window.add_tab(panel, QCoreApplication.translate("TrainerWindow", "Drills"))
    controller.refresh()


def _mask_every_region(text: str) -> str:
    # One repository serves drills in every language: mask the numbers of each region.
    return mask_text(mask_text(text, "CN"), "US")


def _say_what_is_edited(window: TrainerWindow, drafts: Mapping[Kind, _Draft]) -> None:
    lines = [describe_draft(str(d.folder), d.copy) for d in drafts.values()]
    label = QLabel(" ".join(lines))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    window.statusBar().addPermanentWidget(label, 1)


def _library_ref(folder: Path) -> str:
    """What the library is published under: its language, else its folder's name."""
    try:
        return load_library(folder / SCRIPTS_FILE, load_taxonomy().keys()).language
    except UserError:
        return folder.name
