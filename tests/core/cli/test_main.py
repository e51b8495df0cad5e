import argparse
from pathlib import Path

import pytest

from agent_assist import cli
from agent_assist.errors import AudioError


def _with_handler(monkeypatch: pytest.MonkeyPatch, handler) -> None:
    real = cli.build_parser

    def build() -> argparse.ArgumentParser:
        parser = real()
        parser.set_defaults(func=handler)
        return parser

    monkeypatch.setattr(cli, "build_parser", build)


def test_user_errors_are_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise AudioError("the headset is unplugged; plug it in and try again")

    _with_handler(monkeypatch, handler)
    assert cli.main([]) == cli.EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert err == "agent-assist: the headset is unplugged; plug it in and try again\n"


def test_unexpected_errors_are_logged_not_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path))

    def handler(args: argparse.Namespace) -> int:
        raise ZeroDivisionError("boom")

    _with_handler(monkeypatch, handler)
    assert cli.main([]) == cli.EXIT_INTERNAL_ERROR
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1
    logs = list((tmp_path / "logs").glob("crash-*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in err
    assert "ZeroDivisionError: boom" in logs[0].read_text()


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == cli.EXIT_USER_ERROR
    assert "transcribe" in capsys.readouterr().out
