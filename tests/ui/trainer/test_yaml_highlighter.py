"""The editor's YAML colours: keys, strings, comments and list dashes, each where it is."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from agent_assist.ui.trainer.yaml_highlighter import COMMENT, DASH, KEY, STRING, YamlHighlighter


def spans(line: str) -> dict[str, str]:
    """What each colour covers in ``line``: {"key": "...", ...} (pieces joined by |)."""
    document = QTextDocument()
    highlighter = YamlHighlighter(document)
    document.setPlainText(line)
    highlighter.rehighlight()
    named = {"key": KEY, "string": STRING, "comment": COMMENT, "dash": DASH}
    found: dict[str, list[str]] = {}
    for part in document.firstBlock().layout().formats():
        for name, fmt in named.items():
            if part.format.foreground() == fmt.foreground() and (
                part.format.fontWeight() == fmt.fontWeight()
            ):
                found.setdefault(name, []).append(line[part.start : part.start + part.length])
    return {name: "|".join(pieces) for name, pieces in found.items()}


def test_a_key_and_its_comment(qtbot: QtBot) -> None:
    assert spans("  severity: critical   # the worst") == {
        "key": "severity",
        "comment": "# the worst",
    }


def test_a_list_item_with_a_quoted_string(qtbot: QtBot) -> None:
    found = spans('    - "[你|您] … 单位 # not a comment"')
    assert found["dash"] == "-"
    assert found["string"] == '"[你|您] … 单位 # not a comment"'
    assert "comment" not in found


def test_keys_inside_a_flow_mapping_and_after_a_dash(qtbot: QtBot) -> None:
    found = spans("- id: a.b\n")
    assert found == {"dash": "-", "key": "id"}
    found = spans('    - {pattern: "上门 … 找 你", within: 4}')
    assert found["key"] == "pattern|within"
    assert found["string"] == '"上门 … 找 你"'


def test_a_whole_comment_line(qtbot: QtBot) -> None:
    assert spans("# threats: key: no") == {"comment": "# threats: key: no"}
