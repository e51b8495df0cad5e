from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent_assist.cli import main
from agent_assist.rules import registry

PACKS = Path(__file__).resolve().parents[2] / "data" / "packs"


def test_valid_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", str(PACKS / "mini-zh")]) == 0

    out = capsys.readouterr().out
    assert out == "mini-zh 1.0: 3 rules, 5 patterns, 3 categories — OK\n"


def test_bundled_id(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(registry, "resources_dir", lambda: PACKS.parent)

    assert main(["rules", "check", "mini-en"]) == 0

    assert capsys.readouterr().out.startswith("mini-en 2026.11.1: 1 rules, 1 patterns")


def test_broken_pack_lists_every_problem_in_file_order(capsys: pytest.CaptureFixture[str]) -> None:
    folder = PACKS / "broken"

    assert main(["rules", "check", str(folder)]) == 1

    lines = capsys.readouterr().out.splitlines()
    assert [line.removeprefix(f"{folder}{os.sep}") for line in lines] == [
        "pack.yaml:3:7: pack id 'brokn' does not match its folder name 'broken'",
        "pack.yaml:4:13: language must be one of zh, en, not 'fr'",
        "rules/a.yaml:2:13: unknown category 'agent.threats'; did you mean agent.threat?",
        "rules/a.yaml:4:11: `[` is never closed",
        "rules/b.yaml:1:7: duplicate rule id 'zh.agent.threat.one' (first at rules/a.yaml:1)",
        "rules/b.yaml:3:12: speaker 'debtor' contradicts category 'agent.threat', which the "
        "agent says; use agent or any, or leave speaker out",
        "rules/b.yaml:4:13: patterns is empty: give at least one pattern",
        "broken: 7 problems — FAILED",
    ]


def test_unknown_pack_is_a_user_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["rules", "check", str(tmp_path / "nowhere")]) == 2

    assert "no rule pack" in capsys.readouterr().err


def test_rules_without_an_action_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 2

    assert "check" in capsys.readouterr().err
