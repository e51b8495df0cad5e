"""``agent-assist bench ui``: a tiny real run through the command's own subprocess."""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys

import pytest

from agent_assist.cli import bench_ui
from agent_assist.events import Final, Partial
from agent_assist.ui.bench import PARTIALS_PER_FINAL, synthetic_speech


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    bench_ui.register(parser.add_subparsers(dest="bench"))
    return parser.parse_args(argv)


@pytest.mark.slow
def test_a_tiny_run_prints_positive_figures_as_json(capfd: pytest.CaptureFixture[str]) -> None:
    args = _parse(["ui", "--json", "--hours", "0.05", "--speed", "50"])
    assert args.func(args) == 0
    out = capfd.readouterr().out
    figures = json.loads(out)
    assert set(figures) == {"launch", "call", "transcript"}
    assert set(figures["launch"]) == {"shown_ms", "build_ms", "ready_s"}
    assert set(figures["call"]) == {
        "speed",
        "call_start_ms",
        "wall_s",
        "rows",
        "heartbeats",
        "blocked_max_ms",
        "blocked_p99_ms",
    }
    assert set(figures["transcript"]) == {
        "hours",
        "rows",
        "updates",
        "feed_s",
        "first_update_p50_ms",
        "first_update_p99_ms",
        "update_p50_ms",
        "update_p99_ms",
        "update_max_ms",
        "paint_ms",
        "scroll_max_ms",
    }
    numbers = [v for part in figures.values() for v in part.values()]
    assert all(isinstance(v, int | float) and v > 0 for v in numbers), figures
    assert figures["launch"]["shown_ms"] > figures["launch"]["build_ms"]
    # 0.05 h = 60 slots of 3 s, two speakers each: one row per utterance.
    assert figures["transcript"]["updates"] == 60 * 2 * (PARTIALS_PER_FINAL + 1)
    assert figures["transcript"]["rows"] == 120 + figures["call"]["rows"]


def test_synthetic_speech_grows_each_utterance_then_closes_it() -> None:
    events = list(synthetic_speech(6 / 3600))  # two 3 s slots
    agent_first = [e for e in events if e.speaker == "agent" and e.utterance == events[0].utterance]
    texts = [e.text for e in agent_first]
    assert [type(e) for e in agent_first] == [Partial] * PARTIALS_PER_FINAL + [Final]
    assert all(a != b and b.startswith(a) for a, b in itertools.pairwise(texts))
    assert len({(e.speaker, e.utterance) for e in events}) == 4
    assert [e.t_ms for e in events] == sorted(e.t_ms for e in events)


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", "offscreen"),
        ({"DISPLAY": ":0"}, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", "xcb"),
        ({}, "win32", None),
        ({}, "darwin", None),
    ],
)
def test_offscreen_only_without_a_display(
    env: dict[str, str], platform: str, expected: str | None
) -> None:
    assert bench_ui.bench_env(env, platform).get("QT_QPA_PLATFORM") == expected


def test_the_command_line_does_not_import_qt() -> None:
    code = "import sys, agent_assist.cli.bench_ui; sys.exit('PySide6' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
