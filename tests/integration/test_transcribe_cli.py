"""``agent-assist transcribe`` end to end with the real Korean model."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent_assist.cli import main

pytestmark = [pytest.mark.real, pytest.mark.slow, pytest.mark.usefixtures("models_loaded_once")]


def test_jsonl_stream_of_a_stereo_call(call_wav: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["transcribe", str(call_wav), "--model", "ko", "--levels-ms", "500"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    types = [line["type"] for line in lines]
    assert types[0] == "call_started"
    assert types[-1] == "call_ended"
    assert lines[0]["speakers"] == ["agent", "debtor"]
    assert lines[-1]["reason"] == "completed"
    assert {"partial", "final", "audio_level"} <= set(types)
    finals = [line for line in lines if line["type"] == "final" and line["text"]]
    assert {f["speaker"] for f in finals} == {"agent", "debtor"}
    assert all({"start_ms", "end_ms", "words", "confidence"} <= set(f) for f in finals)


def test_text_format_and_no_partials(mono_wav: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["transcribe", str(mono_wav), "--model", "ko", "--format", "text"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].endswith("call ended: completed")
    assert all(line.startswith("[") for line in out)
    assert any(" agent: " in line for line in out)


def test_missing_model_names_the_commands_to_run(
    mono_wav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["transcribe", str(mono_wav), "--model", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "agent-assist models fetch" in err
    assert "agent-assist models add" in err


def test_unsupported_audio_names_the_format_and_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mp3ish = tmp_path / "call.mp3"
    mp3ish.write_bytes(b"ID3\x03\x00\x00\x00" + b"\x00" * 100)
    assert main(["transcribe", str(mp3ish), "--model", "ko"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "sox" in err


def test_runs_as_a_console_command(mono_wav: Path) -> None:
    exe = shutil.which("agent-assist", path=str(Path(sys.executable).parent))
    assert exe, "the agent-assist console script is installed with the package"
    done = subprocess.run(
        [exe, "transcribe", str(mono_wav), "--model", "ko", "--no-partials"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    types = [json.loads(line)["type"] for line in done.stdout.splitlines()]
    assert "partial" not in types
    assert types[-1] == "call_ended"
