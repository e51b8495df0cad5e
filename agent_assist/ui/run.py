"""``agent-assist-desktop``: the collector's window on the configured database.

The user and the window language come from settings (the Settings dialog) unless
``--as USERNAME`` or ``--lang`` name them; without either, the demo collector in
Chinese. The database comes from the same settings as the command line. ``--call``
starts a live call as soon as the speech model is ready; SIGTERM and Ctrl+C end the
call in progress, store it and quit.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from types import FrameType

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from agent_assist import app, paths
from agent_assist.asr.model import LoadedModel, RecognizerSettings
from agent_assist.audio.devices import parse_channel_map
from agent_assist.compliance.risk_model import default_model_path, load_risk_model
from agent_assist.compliance.worklist import build_worklist
from agent_assist.errors import UserError
from agent_assist.events import CallEnded, Event
from agent_assist.messaging.render import BankDetails
from agent_assist.privacy import mask_text
from agent_assist.publishing.active import pack_for_call, scripts_for_call
from agent_assist.settings import (
    UI_LANGUAGES,
    Settings,
    load_settings,
)
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.contacts_repo import ContactRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import PeopleRepository
from agent_assist.store.recorder import CallRecorder
from agent_assist.store.records import UserRecord
from agent_assist.store.spool import SpoolingWriter
from agent_assist.ui.controllers.alerts_controller import AlertsController
from agent_assist.ui.controllers.call_controller import StartedCall
from agent_assist.ui.controllers.main_controller import CLOSE_WAIT_S, MainController
from agent_assist.ui.controllers.model_controller import ModelController
from agent_assist.ui.controllers.model_download_controller import ModelDownloadController
from agent_assist.ui.controllers.profile_controller import ProfileController
from agent_assist.ui.controllers.rules_warmup_controller import RulesWarmUpController
from agent_assist.ui.controllers.script_controller import (
    CallScripts,
    ScriptController,
    scripts_in,
)
from agent_assist.ui.controllers.wrapup_controller import WrapUpController
from agent_assist.ui.i18n import install_translators
from agent_assist.ui.settings_wiring import open_settings
from agent_assist.ui.views.main_window import MainWindow
from agent_assist.ui.views.wrapup_dialog import WrapUpDialog


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agent-assist-desktop")
    # Without the flags, the user and language come from settings (the Settings dialog).
    parser.add_argument("--as", dest="username", metavar="USERNAME")
    parser.add_argument("--lang", choices=UI_LANGUAGES, help="language of the window and reasons")
    # What a softphone integration launches when a call connects.
    parser.add_argument(
        "--call", action="store_true", help="start a live call as soon as the speech model is ready"
    )
    args = parser.parse_args(argv)
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        settings = load_settings()
        args.username = args.username or settings.user or DEFAULT_USER
        args.lang = args.lang or settings.ui_language or "zh"
        install_translators(qt, args.lang)
        window = build(args.username, args.lang)
    except UserError as exc:
        QMessageBox.critical(None, "Agent Assist", str(exc))
        return 2
    window.show()
    if args.call:
        call_when_ready(window)
    after_shown(window, settings, args.lang)
    awake = end_on_signals(window)
    code = qt.exec()
    awake.stop()
    # Tear the window down while Qt still runs, not in the interpreter's final collection.
    window.deleteLater()
    qt.processEvents()
    return code


def call_when_ready(window: MainWindow) -> None:
    """A live call starts as soon as the speech model is ready, once."""
    controller = window.findChild(MainController)
    models = window.findChild(ModelController)
    assert controller is not None, "build() made it"
    assert models is not None, "build() made it"
    waiting = True

    def ready(model: LoadedModel | None, _status: str) -> None:
        nonlocal waiting
        if model is not None and waiting:
            waiting = False
            controller.calls.start_live()

    # Connected after build()'s set_model: the call controller has the model by now.
    models.changed.connect(ready)


SIGNAL_POLL_MS = 200  # how soon SIGTERM or Ctrl+C is noticed while Qt waits for events


def end_on_signals(window: MainWindow) -> QTimer:
    """SIGTERM (logoff, shutdown) and SIGINT (Ctrl+C) end the app as :func:`end_gracefully`
    does. Python runs its signal handlers only while Python code runs: the returned timer
    runs some inside Qt's loop."""

    def handle(_signum: int, _frame: FrameType | None) -> None:
        QTimer.singleShot(0, window, lambda: end_gracefully(window))

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handle)
    awake = QTimer(window)
    awake.timeout.connect(lambda: None)
    awake.start(SIGNAL_POLL_MS)
    return awake


def end_gracefully(window: MainWindow) -> None:
    """The call in progress ends without a question and its end is stored; then the window
    closes and the app quits with 0."""
    controller = window.findChild(MainController)
    assert controller is not None, "build() made it"
    if controller.calls.busy:
        through = QEventLoop()
        # Queued after the call's last event: once it quits, the window has had CallEnded.
        controller.bridge.finished.connect(through.quit)
        QTimer.singleShot(int(CLOSE_WAIT_S * 1000), through, through.quit)
        controller.calls.end_call()  # a call still starting is ended as soon as it runs
        through.exec()
    window.removeEventFilter(controller)  # nobody is there to answer its question
    window.close()
    QApplication.quit()  # exec() returns 0


def after_shown(window: MainWindow, settings: Settings, lang: str) -> threading.Thread:
    """What waits until the window is up, each on a thread of its own: the worklist, the
    speech model (seconds), the team's active versions of the rule packs of the first
    calls (most of a second, and it would freeze the window at call start), kept current
    between calls from then on. Returns the packs' first thread."""
    controller = window.findChild(MainController)
    models = window.findChild(ModelController)
    rules = window.findChild(RulesWarmUpController)
    assert controller is not None, "build() made it"
    assert models is not None, "build() made it"
    assert rules is not None, "build() made it"
    controller.refresh()
    models.start(settings.speech_model, lang)
    language = "zh-CN" if lang == "zh" else "en-US"
    return rules.start([settings.rule_pack or language, language])


def warm_up_rules(db: Database, team_id: int | None = None) -> Callable[[Sequence[str]], None]:
    """Compiles the packs' versions the next calls of ``team_id``'s desktops would run."""

    def warm_up(packs: Sequence[str]) -> None:
        fresh = app.warm_up_rules(packs, db=db, team_id=team_id)
        if fresh or not gc.get_freeze_count():
            # What is loaded by now stays for the app's life: out of the garbage collector's
            # sight, a full collection takes microseconds instead of ~170 ms of a frozen
            # window. (A version replaced later is freed by reference counting.)
            gc.freeze()

    return warm_up


# The demo call the window plays: one that crosses a line, so every panel shows something.
DEMO_DIALOGUE = {"zh-CN": "zh-desk-demo", "en-US": "en-desk-demo"}
SPOOL_FLUSH_S = 10.0


def recorded(
    recorder: CallRecorder, writer: SpoolingWriter, finish: Callable[[], None] | None = None
) -> Callable[[Event], None]:
    """Stores each event of a call; once it has ended, ``finish`` (e.g. keep its audio) runs
    and the spool drains on a thread of their own, so a database that is away for a while
    never holds back the window. What stays spooled is sent by the next call's writer."""

    def wind_up() -> None:
        try:
            if finish is not None:
                finish()
            writer.flush(timeout=SPOOL_FLUSH_S)
        finally:
            writer.close()

    def record(event: Event) -> None:
        recorder.record(event)
        if isinstance(event, CallEnded):
            # Not a daemon: an app closed right after a call still finishes storing it.
            threading.Thread(target=wind_up, name="call-wind-up").start()

    return record


def live_call(db: Database, user: UserRecord, speech: LoadedModel) -> StartedCall:
    """``user``'s call from the headset, built as `agent-assist transcribe` builds a live
    call, from the settings; stored as it happens."""
    settings = load_settings()
    channel_map = parse_channel_map(settings.channel_map) if settings.channel_map else None
    devices: tuple[str | None, ...] = settings.audio_devices or (None,)
    speakers = ("agent", "debtor") if len(devices) == 2 else ("agent",)
    setup = app.LiveAudioSetup(devices=devices, channel_map=channel_map)
    source = app.live_source(setup, speakers, speech.sample_rate)
    session, audio = app.rules_session(
        source,
        speech,
        RecognizerSettings(),
        settings.rule_pack,
        record_audio=settings.record_audio,
        db=db,
        team_id=user.team_id,
    )
    call_id = session.call_id
    recorder, writer = app.call_recorder(db, speech.lang or app.DEFAULT_LANG, user=user)
    session.start()
    keep = None if audio is None else (lambda: app.keep_recording(db, call_id, audio, settings))
    return session, recorded(recorder, writer, keep)


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
    settings = load_settings()
    bank = BankDetails(settings.bank_name, settings.bank_hotline)
    window = MainWindow()
    language = "zh-CN" if lang == "zh" else "en-US"
    script_folders: dict[str, Path] = {}  # language → the library calls show, set at call start

    def follow_scripts(call_language: str) -> None:
        # On the call's starting thread, before its CallStarted reaches the panels.
        script_folders[call_language] = scripts_for_call(db, call_language, team_id=user.team_id)

    def call_scripts(case_language: str) -> CallScripts:
        # The script panel and the alert cards offer the same lines: the team's library.
        return scripts_in(
            script_folders.get(case_language, paths.resources_dir() / "scripts" / case_language)
        )

    models = ModelController(paths.models_dir(), window)
    ModelDownloadController(window.model_panel, models)

    def start_demo() -> StartedCall:
        # The demo dialogue runs through the real session, rule engine and recorder.
        from agent_assist.call.demo import ScriptedCallSource, load_dialogues

        dialogue = load_dialogues(date.today())[DEMO_DIALOGUE[language]]
        session = app.demo_session(
            ScriptedCallSource(dialogue, speed=demo_speed),
            analyzers=app.live_analyzers(pack_for_call(db, dialogue.pack, team_id=user.team_id)),
        )
        recorder, writer = app.call_recorder(db, language, user=user)
        follow_scripts(language)
        session.start()
        return session, recorded(recorder, writer)

    def start_live(speech: LoadedModel) -> StartedCall:
        follow_scripts(speech.lang or app.DEFAULT_LANG)
        return live_call(db, user, speech)

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
        start_live,
    )
    RulesWarmUpController(window, warm_up_rules(db, user.team_id), lambda: controller.calls.busy)
    scripts = ScriptController(
        window.scripts, call_scripts, agent_name=user.display_name, bank=bank
    )
    alerts = AlertsController(
        window.banner,
        window.alerts,
        call_scripts,
        agent_name=user.display_name,
        bank=bank,
        language=language,
    )
    profile = ProfileController(window.profile, CaseRepository(db), ContactRepository(db))
    controller.bridge.received.connect(scripts.on_event)
    controller.bridge.received.connect(alerts.on_event)
    models.changed.connect(controller.calls.set_model)  # live calls wait for the model

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
            alerts.set_case(case, item.priority.segment)

    window.worklist.selectionModel().selectionChanged.connect(case_chosen)
    window.destroyed.connect(db.close)
    window.settings_action.triggered.connect(lambda: open_settings(window, db, username, lang))
    return window


DEFAULT_USER = "zhang.wei"  # the demo collector
