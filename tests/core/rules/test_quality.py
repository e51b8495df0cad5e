import json
from pathlib import Path

import pytest

from agent_assist.errors import UserError
from agent_assist.rules.quality import evaluate, read_corpus, scan
from tests.core.rules.test_live import Substrings


def corpus_file(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


ROWS = [
    {
        "id": "1",
        "speaker": "agent",
        "text": "去你单位",
        "vosk": "去 你 单位",
        "categories": ["agent.threat"],
    },
    {
        "id": "2",
        "speaker": "agent",
        "text": "不会去你单位",
        "vosk": "不会 去 你 单位",
        "categories": [],
    },
    {
        "id": "3",
        "speaker": "agent",
        "text": "到你公司",
        "vosk": "到 你 公司",
        "categories": ["agent.threat"],
    },
    {"id": "4", "speaker": "debtor", "text": "去你单位", "vosk": "去 你 单位", "categories": []},
]


def test_scan_is_the_final_result_path() -> None:
    flags = scan(Substrings(visit="单位"), "去你单位", "agent")
    assert [(f.rule_id, f.state, f.start, f.end) for f in flags] == [("visit", "confirmed", 2, 4)]
    # independent lines: no cool-down carries over
    assert scan(Substrings(visit="单位"), "去你单位", "agent")


def test_precision_and_recall_per_category_and_side(tmp_path: Path) -> None:
    corpus = read_corpus(corpus_file(tmp_path, ROWS))
    report = evaluate(Substrings(visit="你单位"), corpus, "text")
    threat = report.per_category["agent.threat"]
    assert (threat.tp, threat.fp, threat.fn) == (1, 1, 1)
    assert threat.precision == 0.5
    assert threat.recall == 0.5
    assert report.per_side["agent"].tp == 1
    assert {e["id"] for e in report.errors} == {"2", "3"}


def test_vosk_variant_is_scored_on_its_own_text(tmp_path: Path) -> None:
    corpus = read_corpus(corpus_file(tmp_path, ROWS))
    report = evaluate(Substrings(visit="你单位"), corpus, "vosk")  # spaces break this matcher
    assert report.per_category["agent.threat"].tp == 0


def test_bad_corpus_lines_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "1", "speaker": "agent", "text": "x"}\n{"id": 2\n')
    with pytest.raises(UserError, match=r"bad.jsonl:2"):
        read_corpus(path)
