"""``agent-assist demo-call``: a scripted call printed and stored as ``transcribe`` does."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from agent_assist import cli
from agent_assist.cli import demo_cmd
from agent_assist.events import CallEnded, Final, to_dict
from agent_assist.paths import resources_dir
from agent_assist.store import tables as t
from agent_assist.store.database import open_database


def main(argv: Sequence[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """``agent-assist`` with the demo command registered (as cli/__init__ will)."""
    if demo_cmd not in cli._COMMAND_MODULES:
        monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, demo_cmd))
    return cli.main(argv)


def test_list_names_every_dialogue(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-call", "--list"], monkeypatch) == 0
    lines = capsys.readouterr().out.splitlines()
    with (resources_dir() / "demo" / "dialogues.yaml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    ids = [d["id"] for lang in ("zh", "en") for d in data[lang]]
    assert [line.split()[0] for line in lines] == ids
    assert ["zh-workplace-threat", "zh-CN", "10", "turns", "refused"] in [
        line.split() for line in lines
    ]


def test_an_unknown_dialogue_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-call", "--dialogue", "nope", "--no-store"], monkeypatch) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.count("\n") == 1
    assert "'nope'" in out.err
    assert "--list" in out.err


def test_a_speed_that_is_not_positive_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-call", "--speed", "0", "--no-store"], monkeypatch) == 2
    assert "--speed" in capsys.readouterr().err


def test_jsonl_has_transcribes_shape_and_the_call_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    argv = ["demo-call", "--dialogue", "zh-workplace-threat", "--speed", "2000"]
    assert main(argv, monkeypatch) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["type"] == "call_started"
    assert lines[-1] == {**lines[-1], "type": "call_ended", "reason": "completed"}
    types = {line["type"] for line in lines}
    assert {"partial", "final", "flag", "requirement_missed"} <= types
    assert "audio_level" not in types  # as transcribe: levels only with --levels-ms
    # Each speaker's worker has its own thread: at this speed their finals may interleave.
    final = next(x for x in lines if x["type"] == "final" and x["speaker"] == "agent")
    assert final.keys() == to_dict(Final("agent", 0, "", 0, 0, 0)).keys()
    assert final["text"] == "喂 刘 芳 是 吧"
    assert lines[-1].keys() == to_dict(CallEnded("completed", 0)).keys()

    db = open_database(url)
    try:
        with db.session() as session:
            call = session.scalars(select(t.Call)).one()
            segments = session.scalars(select(t.Segment).where(t.Segment.call_id == call.id))
            categories = session.scalars(
                select(t.FlagRow.category).where(t.FlagRow.call_id == call.id)
            ).all()
            texts = [s.text for s in segments]
    finally:
        db.close()
    assert call.id == lines[0]["call_id"]
    assert len(texts) == sum(1 for line in lines if line["type"] == "final")
    assert "agent.threat" in categories


def test_text_format_without_store_or_pack(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["demo-call", "--dialogue", "en-threats", "--speed", "2000", "--format", "text"]
    argv += ["--no-store", "--pack", "none"]
    assert main(argv, monkeypatch) == 0
    lines = capsys.readouterr().out.splitlines()
    # The two speakers' finals may interleave at this speed; each is printed once.
    assert "[00:01.20] agent: is this emily walsh" in lines
    assert lines[-1].endswith("call ended: completed")
    assert not [line for line in lines if "RAISED" in line or "MISSING" in line]
