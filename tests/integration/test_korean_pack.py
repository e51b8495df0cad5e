"""The Korean test pack flags Korean speech decoded by the real Korean model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agent_assist.cli import main
from agent_assist.rules.loader import load_pack
from tests.conftest import require_real
from tests.support.korean import PACK, THREAT_RULE, THREAT_SENTENCE, write_threat_call


def test_the_threat_sentence_is_an_example_the_pack_flags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (rule,) = [r for r in load_pack(PACK).rules if r.id == THREAT_RULE]
    assert THREAT_SENTENCE in rule.examples.should_flag
    assert main(["rules", "test", str(PACK)]) == 0, capsys.readouterr().out


@pytest.mark.real
@pytest.mark.slow
def test_spoken_korean_threat_raises_the_packs_flag(
    korean_model_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_real(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    wav = write_threat_call(tmp_path / "threat.wav")
    code = main(["transcribe", str(wav), "--model", str(korean_model_path), "--pack", str(PACK)])
    assert code == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    finals = [e["text"] for e in events if e["type"] == "final" and e["text"]]
    flags = [e for e in events if e["type"] == "flag" and e["state"] == "confirmed"]
    assert [(f["rule_id"], f["category"], f["speaker"]) for f in flags] == [
        (THREAT_RULE, "agent.threat", "agent")
    ], f"the model heard: {finals}"
