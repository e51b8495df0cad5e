"""rules test / rules scan / bench rules through the command line."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from agent_assist.cli import main

PACKS = Path(__file__).parents[2] / "data" / "packs"


def test_bundled_packs_pass_all_their_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "test"]) == 0
    err = capsys.readouterr().err
    assert "zh-CN:" in err
    assert "en-US:" in err
    assert "fail" not in err


def test_a_wrong_example_fails_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "mini-zh"
    shutil.copytree(PACKS / "mini-zh", pack)
    rules = next(
        f for f in (pack / "rules").glob("*.yaml") if "visit_workplace" in f.read_text("utf-8")
    )
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace("- 我们 不会 去 您 单位 的", "- 我们 明天 去 你 单位 闹"), "utf-8"
    )
    assert main(["rules", "test", str(pack)]) == 1
    out, err = capsys.readouterr()
    assert "zh.agent.threat.visit_workplace should not flag: 我们 明天 去 你 单位 闹" in out
    assert f"{rules.name}:" in out
    assert "1 fail" in err


def test_scan_prints_one_line_per_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "a", "speaker": "agent", "text": "我 明天 就 去 你 单位 闹"},
        {"id": "b", "speaker": "agent", "text": "我们不会去您单位的"},
        {"id": "c", "speaker": "debtor", "text": "我 最近 失业 了"},
    ]
    stdin = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["rules", "scan", "--pack", str(PACKS / "mini-zh")]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert [o["categories"] for o in out] == [["agent.threat"], [], ["debtor.hardship"]]
    flag = out[0]["flags"][0]
    assert lines[0]["text"][flag["start"] : flag["end"]].startswith("去")
    assert {"rule_id", "kind", "score", "explanation", "reply"} <= set(flag)


def test_scan_rejects_a_bad_line_with_its_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "speaker": "agent", "text": "x"}\nnot json\n', "utf-8")
    assert main(["rules", "scan", "--pack", str(PACKS / "mini-zh"), str(source)]) == 2
    assert f"{source}:2:" in capsys.readouterr().err


def test_bench_rules_quality_on_a_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "mini-zh.jsonl"
    rows = [
        {
            "id": "z1",
            "speaker": "agent",
            "text": "我明天就去你单位闹",
            "vosk": "我 明天 就 去 你 单位 闹",
            "categories": ["agent.threat"],
        },
        {
            "id": "z2",
            "speaker": "agent",
            "text": "我们不会去您单位的",
            "vosk": "我们 不会 去 您 单位 的",
            "categories": [],
        },
        {
            "id": "z3",
            "speaker": "debtor",
            "text": "我生病住院了",
            "vosk": "我 生病 住院 了",
            "categories": ["debtor.hardship"],
        },
    ]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    args = [
        "bench",
        "rules",
        "--quality",
        "--pack",
        str(PACKS / "mini-zh"),
        "--corpus",
        str(tmp_path),
    ]
    assert main([*args, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["mini-zh"]
    agent = figures["clean"]["per_side"]["agent"]
    assert (agent["precision"], agent["recall"]) == (1.0, 1.0)
    assert figures["clean"]["per_side"]["debtor"]["recall"] == 0.0  # no rule for illness
    assert main([*args, "--split", "dev"]) == 0
    assert "(2 utterances, dev)" in capsys.readouterr().out


def test_bench_rules_without_a_corpus_says_where_to_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bench", "rules", "--quality", "--pack", "zh-CN", "--corpus", str(tmp_path)]) == 2
    assert "--corpus" in capsys.readouterr().err
