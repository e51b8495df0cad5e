"""``agent-assist bench ui``: launch time, UI responsiveness during a call, a long transcript.

The measuring runs in its own process (``python -m agent_assist.ui.bench``): the
command line never imports Qt, and the launch figure needs a fresh process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Mapping

BENCH_MODULE = "agent_assist.ui.bench"


def register(bench_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = bench_sub.add_parser(
        "ui",
        help="desktop launch time, UI thread blocking during a call, a long transcript",
        description=(
            "Launches the desktop on a demo database in a temporary folder and times the "
            "first paint of its window from process start; plays the demo call through the "
            "window at --speed with a 10 ms heartbeat timer on the UI thread (how late a "
            "beat comes is how long the UI was blocked); then feeds --hours of two-speaker "
            "partials and finals into the live transcript and times each update, a repaint "
            "and scrolling. Without a display it runs on Qt's offscreen platform."
        ),
    )
    p.add_argument("--speed", type=_positive, default=10.0, help="demo call speed (default 10)")
    p.add_argument("--hours", type=_positive, default=2.0, help="transcript length (default 2)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.set_defaults(func=run)


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def run(args: argparse.Namespace) -> int:
    command = [sys.executable, "-m", BENCH_MODULE, "--speed", str(args.speed)]
    command += ["--hours", str(args.hours), *(["--json"] if args.json else [])]
    return subprocess.run(command, env=bench_env(os.environ), check=False).returncode


def bench_env(env: Mapping[str, str], platform: str = sys.platform) -> dict[str, str]:
    """The environment for the measuring process: offscreen Qt when no display exists."""
    out = dict(env)
    if "QT_QPA_PLATFORM" not in out and not has_display(env, platform):
        out["QT_QPA_PLATFORM"] = "offscreen"
    return out


def has_display(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    if platform in ("win32", "darwin"):  # a desktop session always has a screen there
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
