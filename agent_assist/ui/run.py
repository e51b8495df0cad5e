"""``agent-assist-desktop``: the collector's window on the configured database.

Until sign-in and settings land in the window, the user is named with
``--as USERNAME`` (default: the demo collector) and the database comes from
the same settings as the command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import QApplication, QMessageBox

from agent_assist import app
from agent_assist.compliance.risk_model import default_model_path, load_risk_model
from agent_assist.compliance.worklist import build_worklist
from agent_assist.errors import UserError
from agent_assist.events import Event
from agent_assist.messaging.render import BankDetails
from agent_assist.privacy import mask_text
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.contacts_repo import ContactRepository
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.ui.controllers.main_controller import Call, MainController
from agent_assist.ui.controllers.profile_controller import ProfileController
from agent_assist.ui.controllers.script_controller import ScriptController
from agent_assist.ui.controllers.wrapup_controller import WrapUpController
from agent_assist.ui.views.main_window import MainWindow
from agent_assist.ui.views.wrapup_dialog import WrapUpDialog


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agent-assist-desktop")
    parser.add_argument("--as", dest="username", default="zhang.wei", metavar="USERNAME")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of reasons")
    args = parser.parse_args(argv)
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        window = build(args.username, args.lang)
    except UserError as exc:
        QMessageBox.critical(None, "Agent Assist", str(exc))
        return 2
    window.show()
    code = qt.exec()
    # Tear the window down while Qt still runs, not in the interpreter's final collection.
    window.deleteLater()
    qt.processEvents()
    return code


# The demo call the toolbar plays: one that crosses a line, so every panel shows something.
DEMO_DIALOGUE = {"zh-CN": "zh-workplace-threat", "en-US": "en-threats"}


def build(username: str, lang: str = "zh", *, demo_speed: float = 1.0) -> MainWindow:
    db = app.open_store()
    user = PeopleRepository(db).find(username)
    if user is None:
        db.close()
        raise UserError(
            f"no active user named {username!r}; load the demo team with "
            "`agent-assist db demo` or name another user with --as"
        )
    model = load_risk_model(default_model_path())
    window = MainWindow()
    language = "zh-CN" if lang == "zh" else "en-US"

    def start_demo() -> tuple[Call, Callable[[Event], None]]:
        # The demo dialogue runs through the real session, rule engine and recorder.
        from agent_assist.call.demo import ScriptedCallSource, load_dialogues

        dialogue = load_dialogues(date.today())[DEMO_DIALOGUE[language]]
        session = app.demo_session(
            ScriptedCallSource(dialogue, speed=demo_speed),
            analyzers=app.live_analyzers(dialogue.pack),
        )
        recorder, _writer = app.call_recorder(db, language, username=username)
        session.start()
        return session, recorder.record

    def wrap_up(call_id: str, case_id: int) -> None:
        dialog = WrapUpDialog(window)
        calls, cases = CallRepository(db, mask_text), CaseRepository(db)
        wrap = WrapUpController(
            dialog,
            calls,
            cases,
            user.as_actor(),
            call_id=call_id,
            case_id=case_id,
            today=date.today(),
        )
        wrap.saved.connect(controller.refresh)  # the worklist shows the new status or promise
        dialog.open()

    controller = MainController(
        window,
        lambda: build_worklist(db, user.as_actor(), model, lang=lang),
        start_demo,
        wrap_up,
    )
    scripts = ScriptController(
        window.scripts, agent_name=user.display_name, bank=BankDetails(None, None)
    )
    profile = ProfileController(window.profile, CaseRepository(db), ContactRepository(db))
    controller.bridge.received.connect(scripts.on_event)

    def case_chosen() -> None:
        rows = window.worklist.selectionModel().selectedRows()
        if not rows:
            return
        item = controller.worklist.item(rows[0].row())
        case = profile.show_case(
            user.as_actor(),
            item.case_id,
            segment=item.priority.segment,
            past_cues=item.priority.history.cues,
        )
        if case is not None:
            scripts.set_case(case, item.priority.segment)

    controller.refresh()
    window.worklist.selectionModel().selectionChanged.connect(case_chosen)
    window.destroyed.connect(db.close)
    return window
