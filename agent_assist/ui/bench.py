"""``python -m agent_assist.ui.bench``: how the desktop feels, measured on this machine.

1. launch: process start to the main window's first paint, built by ``run.build``
   on a demo database;
2. responsiveness: a 10 ms heartbeat timer on the UI thread while the demo call
   plays through the real window at ``--speed``; a late beat is a blocked UI;
3. long transcript: ``--hours`` of two-speaker partials and finals through the
   window's own event slot into its transcript model and view.

Run without ``--db-url``, it makes the demo database in a temporary folder and
starts itself again, so the launch figure is a fresh process (imports included)
and excludes building the demo data. ``agent-assist bench ui`` runs it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from agent_assist.events import Final, Partial
from agent_assist.settings import load_settings
from agent_assist.ui import run
from agent_assist.ui.controllers.main_controller import MainController
from agent_assist.ui.views.main_window import MainWindow

HEARTBEAT_MS = 10
FINAL_EVERY_MS = 3000  # one final per speaker every ~3 s of speech
PARTIALS_PER_FINAL = 4  # Vosk revises a 3 s utterance a few times before it is final
TIMED_MS = 600_000  # updates are timed over the first and the last 10 minutes of speech
CATCH_UP_EVERY = 50  # in between, untimed, the model alone; Qt catches up every 50 events
UTTERANCE_BASE = 1_000_000  # synthetic utterance numbers never meet the demo call's
SPOKEN = "您好 我 是 银行 的 催收 专员 请问 您 本月 的 还款 什么 时候 能 到账 我们 可以 商量"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.db_url is None:
        return _relaunch_on_demo_database(args)
    return _measure(args)


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m agent_assist.ui.bench")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--speed", type=_positive, default=10.0, help="demo call replay speed")
    p.add_argument("--hours", type=_positive, default=2.0, help="synthetic transcript length")
    p.add_argument("--as", dest="username", default="zhang.wei", metavar="USERNAME")
    # Set by the relaunch: the database to open and when (epoch s) the launch began.
    p.add_argument("--db-url", help=argparse.SUPPRESS)
    p.add_argument("--started", type=float, help=argparse.SUPPRESS)
    return p


def _relaunch_on_demo_database(args: argparse.Namespace) -> int:
    from agent_assist.store.database import open_database
    from agent_assist.store.demo import load_demo

    with tempfile.TemporaryDirectory(prefix="agent-assist-bench-ui-") as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        db = open_database(url)
        try:
            load_demo(db)
        finally:
            db.close()
        # The data folder too: the call's spool and settings stay out of the user's own.
        env = {**os.environ, "AGENT_ASSIST_DB_URL": url, "AGENT_ASSIST_DATA_DIR": folder}
        options = ["--speed", str(args.speed), "--hours", str(args.hours), "--as", args.username]
        command = [sys.executable, "-m", "agent_assist.ui.bench", *options, "--db-url", url]
        if args.json:
            command.append("--json")
        command += ["--started", repr(time.time())]
        return subprocess.run(command, env=env, check=False).returncode


def _measure(args: argparse.Namespace) -> int:
    started = args.started if args.started is not None else time.time()
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt, QApplication)
    built = time.perf_counter()
    window = run.build(args.username, demo_speed=args.speed)
    build_ms = (time.perf_counter() - built) * 1000
    controller = window.findChild(MainController)
    assert controller is not None, "run.build gives the window its controller"
    try:
        shown_ms = _ms((_first_paint(window) - started) * 1000)
        # As the app does once the window is up; a collector's first call comes later.
        ready_s = _after_shown(window)
        figures = {
            "launch": {"shown_ms": shown_ms, "build_ms": _ms(build_ms), "ready_s": ready_s},
            "call": {"speed": args.speed, **_call_heartbeat(window, controller)},
            "transcript": {
                "hours": args.hours,
                **_long_transcript(qt, window, controller, args.hours),
            },
        }
    finally:
        window.close()
        window.deleteLater()
        qt.processEvents()
    print(json.dumps(figures) if args.json else _as_text(figures))
    return 0


def _after_shown(window: MainWindow, timeout_s: float = 60.0) -> float:
    """Start what the app starts once its window is up; seconds until the worklist is
    shown and the rule packs are compiled (the speech model may still be loading)."""
    began = time.perf_counter()
    controller = window.findChild(MainController)
    assert controller is not None
    warm = run.after_shown(window, load_settings(), "zh")
    deadline = time.monotonic() + timeout_s
    while warm.is_alive() or controller.worklist.rowCount() == 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the worklist and rule packs were not ready in {timeout_s:.0f} s")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    return round(time.perf_counter() - began, 2)


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = time.time()
        return False


def _first_paint(window: MainWindow, timeout_s: float = 30.0) -> float:
    """Shows the window; returns when (epoch s) its first pixels were painted."""
    spy = _FirstPaint()
    window.installEventFilter(spy)
    window.show()
    deadline = time.monotonic() + timeout_s
    while spy.at is None and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    window.removeEventFilter(spy)
    if spy.at is None:
        raise RuntimeError(f"the window was not painted within {timeout_s:.0f} s")
    return spy.at


def _call_heartbeat(
    window: MainWindow, controller: MainController, timeout_s: float = 600.0
) -> dict[str, Any]:
    """Plays the demo call and beats every 10 ms; how late each beat came is how long
    the UI thread was busy."""
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    loop = QEventLoop()
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)

    def ended() -> None:  # the controller enables the button again on CallEnded
        if window.demo_action.isEnabled():
            loop.quit()

    window.demo_action.changed.connect(ended)
    clicked = time.perf_counter()
    window.demo_action.trigger()  # starts the session on the UI thread: timed on its own
    call_start_ms = (time.perf_counter() - clicked) * 1000
    rows_before = controller.transcript.rowCount()
    heartbeat.start()
    guard.start(int(timeout_s * 1000))
    began = time.perf_counter()
    beats.append(began)
    loop.exec()
    wall_s = time.perf_counter() - began
    heartbeat.stop()
    window.demo_action.changed.disconnect(ended)
    if not guard.isActive():
        raise RuntimeError(f"the demo call did not end within {timeout_s:.0f} s")
    guard.stop()
    controller.bridge.wait(10)
    late = [max(0.0, (b - a) * 1000 - HEARTBEAT_MS) for a, b in itertools.pairwise(beats)]
    return {
        "call_start_ms": _ms(call_start_ms),
        "wall_s": round(wall_s, 2),
        "rows": controller.transcript.rowCount() - rows_before,
        "heartbeats": len(late),
        "blocked_max_ms": _ms(max(late, default=float("nan"))),
        "blocked_p99_ms": _ms(_percentile(late, 99)),
    }


def synthetic_speech(hours: float) -> Iterator[Partial | Final]:
    """Two speakers talking over each other: per 3 s slot, partials then a final each."""
    spoken = SPOKEN.split()
    for slot in range(round(hours * 3_600_000 / FINAL_EVERY_MS)):
        start = slot * FINAL_EVERY_MS
        words = [spoken[(slot + i) % len(spoken)] for i in range(12)]
        for step in range(1, PARTIALS_PER_FINAL + 2):
            t_ms = start + step * FINAL_EVERY_MS // (PARTIALS_PER_FINAL + 1)
            for speaker in ("agent", "debtor"):
                utterance = UTTERANCE_BASE + slot
                if step <= PARTIALS_PER_FINAL:
                    text = " ".join(words[: 1 + step * len(words) // (PARTIALS_PER_FINAL + 1)])
                    yield Partial(speaker, utterance, text, start, t_ms)
                else:
                    yield Final(speaker, utterance, " ".join(words), start, t_ms, t_ms)


def _long_transcript(
    qt: QApplication, window: MainWindow, controller: MainController, hours: float
) -> dict[str, Any]:
    """Each timed update goes through the window's slot, then Qt's own work for it (layout,
    paint). The middle of a long call is fed untimed, so a run takes minutes, not hours.
    The view follows the newest row by itself, as it does for a collector at the bottom."""
    view = window.transcript
    last_from = hours * 3_600_000 - TIMED_MS
    first: list[float] = []
    last: list[float] = []
    fed, n = time.perf_counter(), 0
    for n, event in enumerate(synthetic_speech(hours), start=1):
        in_first, in_last = event.start_ms < TIMED_MS, event.start_ms >= last_from
        if not (in_first or in_last):
            controller.transcript.on_event(event)
            if n % CATCH_UP_EVERY == 0:
                qt.processEvents()
            continue
        t0 = time.perf_counter()
        controller.on_event(event)
        qt.processEvents()
        took = (time.perf_counter() - t0) * 1000
        for timed, inside in ((first, in_first), (last, in_last)):
            if inside:
                timed.append(took)
    feed_s = time.perf_counter() - fed
    newest = view.visualRect(controller.transcript.index(controller.transcript.rowCount() - 1))
    if not view.viewport().rect().contains(newest):
        raise RuntimeError("the transcript did not keep its newest row in sight")
    paints = []
    for _ in range(5):
        t0 = time.perf_counter()
        view.viewport().repaint()
        paints.append((time.perf_counter() - t0) * 1000)
    scrolls = []
    bar = view.verticalScrollBar()
    for move in (view.scrollToTop, lambda: bar.setValue(bar.maximum() // 2), view.scrollToBottom):
        t0 = time.perf_counter()
        move()
        qt.processEvents()
        view.viewport().repaint()
        scrolls.append((time.perf_counter() - t0) * 1000)
    return {
        "rows": controller.transcript.rowCount(),
        "updates": n,
        "feed_s": round(feed_s, 2),
        "first_update_p50_ms": _ms(_percentile(first, 50)),
        "first_update_p99_ms": _ms(_percentile(first, 99)),
        # At the end of the call, where the transcript is longest:
        "update_p50_ms": _ms(_percentile(last, 50)),
        "update_p99_ms": _ms(_percentile(last, 99)),
        "update_max_ms": _ms(max(last, default=float("nan"))),
        "paint_ms": _ms(statistics.median(paints)),
        "scroll_max_ms": _ms(max(scrolls)),
    }


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _ms(value: float) -> float:
    return round(value, 3)


def _as_text(f: dict[str, Any]) -> str:
    launch, call, text = f["launch"], f["call"], f["transcript"]
    return "\n".join(
        (
            f"launch: window painted {launch['shown_ms']:.0f} ms after process start "
            f"(run.build {launch['build_ms']:.0f} ms); worklist and rule packs ready "
            f"{launch['ready_s']} s later",
            f"demo call at {call['speed']:g}x ({call['wall_s']} s, {call['rows']} rows): "
            f"UI blocked max {call['blocked_max_ms']:.1f} ms, p99 {call['blocked_p99_ms']:.1f} ms "
            f"over {call['heartbeats']} {HEARTBEAT_MS} ms beats; starting the call took "
            f"{call['call_start_ms']:.0f} ms",
            f"{text['hours']:g} h transcript ({text['rows']} rows, {text['updates']} updates "
            f"in {text['feed_s']} s): update in the last 10 min p50 {text['update_p50_ms']:.2f} "
            f"ms, p99 {text['update_p99_ms']:.2f} ms, max {text['update_max_ms']:.1f} ms "
            f"(first 10 min p50 {text['first_update_p50_ms']:.2f} ms, "
            f"p99 {text['first_update_p99_ms']:.2f} ms); "
            f"paint {text['paint_ms']:.1f} ms, scroll max {text['scroll_max_ms']:.1f} ms",
        )
    )


if __name__ == "__main__":
    sys.exit(main())
