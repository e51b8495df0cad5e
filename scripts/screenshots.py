"""Render the windows' main states to PNGs, in Chinese and English, for the README.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--lang zh en]

Runs offscreen (no display needed) on a fresh demo database in a temporary data
folder, with no speech model installed: the window as a new collector sees it. The
demo call is the real one (session, rule engine, store), replayed fast; so is the
trainer's drill, typed into the window and scored by the live rules. Needs a CJK
font for the Chinese shots (Debian: fonts-wqy-microhei, installed by setup.sh).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSplitter, QWidget

ROOT = Path(__file__).resolve().parent.parent
STATES = (
    "first-run",
    "worklist",
    "call",
    "wrap-up",
    "settings",
    "review",
    "trainer-editor",
    "trainer-drill",
)
# What the trainer tries in the editor: a line one rule flags and an exclusion spares
# from another; and a drill typed answer by answer (one answer crosses a line).
TRY = {
    "zh": "我们不会起诉你，但你再不还钱，后果自负，我们会通知你的家人。",
    "en": "We will not come to your home, but if you don't pay today we will tell your boss "
    "about this debt.",
}
DRILL = {
    "zh": (
        "zh.short_overdue",
        "您好，我是华信银行信用卡中心的吴敏，本次通话会录音。请问是王磊本人吗？",
        "不耽误您，就一句：信用卡再不还，是要坐牢的。",
        "您的信用卡逾期12天，应还金额是3200元。",
        "好的，我跟您确认一下：您在周五之前还款3200元，对吗？",
    ),
    "en": (
        "en.business_failure",
        "Hello, my name is Min calling from Harbor Bank. This is an attempt to collect a debt "
        "and any information obtained will be used for that purpose.",
        "I'm sorry to hear that. What amount could you manage each month? I can request a "
        "payment plan for you.",
        "If you don't keep up with the plan you will be arrested.",
        "Great, let me confirm. You'll pay two hundred by the tenth, is that right?",
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", nargs="+", choices=("zh", "en"), default=["zh", "en"])
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="agent-assist-shots-") as data:
        os.environ["AGENT_ASSIST_DATA_DIR"] = data
        os.environ["AGENT_ASSIST_MODELS_DIR"] = str(Path(data) / "models")  # none installed
        os.environ.pop("AGENT_ASSIST_DB_URL", None)
        from agent_assist import app
        from agent_assist.store.demo import load_demo

        db = app.open_store()
        load_demo(db)
        db.close()
        for lang in args.lang:
            shots = [
                *shoot(lang, args.out),
                *shoot_review(lang, args.out),
                *shoot_trainer(lang, args.out),
            ]
            for path in shots:
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


def shoot(lang: str, out: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from agent_assist.settings import load_settings
    from agent_assist.ui import run
    from agent_assist.ui.controllers.main_controller import MainController
    from agent_assist.ui.i18n import install_translators
    from agent_assist.ui.views.settings_dialog import SettingsDialog
    from agent_assist.ui.views.wrapup_dialog import WrapUpDialog

    qt = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt, QApplication)
    install_translators(qt, lang)
    window = run.build("zhang.wei" if lang == "zh" else "maria.lopez", lang, demo_speed=30)
    window.resize(1440, 900)
    window.show()
    controller = window.findChild(MainController)
    assert controller is not None
    camera = _Camera(lang, out)
    run.after_shown(window, load_settings(), lang).join()
    camera.settle(lambda: window.model_panel.isVisible() and controller.worklist.rowCount() > 0)
    camera.save(window, "first-run")

    window.model_panel.dismiss.click()
    window.worklist.selectRow(0)
    camera.settle(lambda: window.scripts.lines.count() > 0)
    camera.save(window, "worklist")

    window.demo_action.trigger()
    camera.settle(lambda: window.findChild(WrapUpDialog) is not None, timeout_s=120)
    dialog = window.findChild(WrapUpDialog)
    assert dialog is not None
    camera.settle(dialog.isVisible)
    camera.save(window, "call")
    camera.save(dialog, "wrap-up")
    dialog.reject()

    window.settings_action.trigger()
    camera.settle(
        lambda: (shown := window.findChild(SettingsDialog)) is not None and shown.isVisible()
    )
    settings = window.findChild(SettingsDialog)
    assert settings is not None
    camera.save(settings, "settings")
    settings.reject()

    window.close()
    window.deleteLater()
    qt.processEvents()
    return camera.shots


def shoot_review(lang: str, out: Path) -> list[Path]:
    """The team lead's review window with the newest flagged call open."""
    from PySide6.QtWidgets import QApplication

    from agent_assist.ui import review_run
    from agent_assist.ui.review.controllers.call_review_controller import CallReviewController
    from agent_assist.ui.review.controllers.queue_controller import QueueController

    qt = QApplication.instance() or QApplication(sys.argv[:1])
    window = review_run.build("lead.chen" if lang == "zh" else "lead.jones", lang)
    window.resize(1440, 900)
    window.show()
    queue = window.findChild(QueueController)
    review = window.findChild(CallReviewController)
    assert queue is not None
    assert review is not None
    camera = _Camera(lang, out)
    camera.settle(lambda: queue.model.rowCount() > 0)
    if queue.selected_call() is None:
        queue.move(1)
    queue.open_selected()
    camera.settle(lambda: review.flags.rowCount() > 0)
    camera.save(window, "review")
    window.close()
    window.deleteLater()
    qt.processEvents()
    return camera.shots


def shoot_trainer(lang: str, out: Path) -> list[Path]:
    """The trainer window: a sentence tried against the pack being edited, with the rule
    it fires open in the editor; then a drill typed in the Drills tab, its report and the
    demo's drill history."""
    from PySide6.QtWidgets import QApplication

    from agent_assist.ui import trainer_run
    from agent_assist.ui.trainer.controllers.editor_controller import EditorController
    from agent_assist.ui.trainer.controllers.try_controller import TryController
    from agent_assist.ui.trainer.drill_controller import DrillController

    qt = QApplication.instance() or QApplication(sys.argv[:1])
    window = trainer_run.build("trainer.wu", lang)
    window.resize(1440, 900)
    window.show()
    editor = window.findChild(EditorController)
    trying = window.findChild(TryController)
    drills = window.findChild(DrillController)
    assert editor is not None
    assert trying is not None
    assert drills is not None
    camera = _Camera(lang, out)
    camera.settle(lambda: trying.explainer is not None)  # the pack draft compiled
    panel = window.editor
    panel.try_panel.sentence.setText(TRY[lang])
    camera.settle(lambda: trying.fired.rowCount() > 1)
    rule = re.compile(rf"^[ \t-]*id: {re.escape(trying.fired.row(0).rule_id)}$", re.MULTILINE)
    rel, line = next(
        (rel, text[: found.start()].count("\n") + 1)
        for rel, text in editor.texts("rule_pack").items()
        if (found := rule.search(text))
    )
    editor.open("rule_pack", rel, line)
    panel.side.setCurrentWidget(panel.try_panel)
    # The draft has no problems: room for the YAML, and for the try table's columns.
    _splitter_of(panel.editor).setSizes([820, 60])
    _splitter_of(panel.files).setSizes([290, 520, 630])
    panel.try_panel.sentence.setCursorPosition(0)  # the sentence from its start
    camera.settle(lambda: editor.current() == ("rule_pack", rel))
    camera.save(window, "trainer-editor")

    window.tabs.setCurrentWidget(drills.panel)
    camera.settle(lambda: drills.history.rowCount() > 0 and bool(drills.scenarios))
    before = drills.history.rowCount()
    scenario, *answers = DRILL[lang]
    drills.select(scenario)
    drills.start_selected()
    camera.settle(lambda: drills.drill is not None)
    for answer in answers:
        camera.settle(lambda: drills.panel.send.isEnabled() or drills.drill is None)
        if drills.drill is None:
            break  # the debtor hung up
        drills.panel.answer.setText(answer)
        drills.send_answer()
    camera.settle(lambda: drills.history.rowCount() > before)  # stored, and read again
    drills.select(scenario)  # the history was read again: the picker shows the drill played
    drills.panel.history.selectRow(0)
    camera.settle(lambda: bool(drills.panel.report.toPlainText()))
    camera.save(window, "trainer-drill")
    window.close()
    window.deleteLater()
    qt.processEvents()
    return camera.shots


def _splitter_of(widget: QWidget) -> QSplitter:
    from PySide6.QtWidgets import QSplitter

    parent = widget.parentWidget()
    assert isinstance(parent, QSplitter)
    return parent


class _Camera:
    def __init__(self, lang: str, out: Path) -> None:
        self.lang, self.out = lang, out
        self.shots: list[Path] = []

    def settle(self, until: Callable[[], bool], timeout_s: float = 60.0) -> None:
        """Let the window work until ``until()``, then lay out and paint."""
        from PySide6.QtCore import QEventLoop

        loop, deadline = QEventLoop(), time.monotonic() + timeout_s
        while not until():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.lang}: the window did not reach the state in time")
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        for _ in range(5):
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def save(self, widget: QWidget, state: str) -> None:
        path = self.out / f"{state}-{self.lang}.png"
        if not widget.grab().save(str(path)):
            raise RuntimeError(f"could not write {path}")
        self.shots.append(path)


if __name__ == "__main__":
    raise SystemExit(main())
