"""Loading a script library: every problem at its line and column, nothing half-loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_assist.script_library import ScriptLibraryError
from tests.core.script_library.builders import HEAD, SCRIPT, load_text, write


def problems(folder: Path, text: str) -> list[str]:
    with pytest.raises(ScriptLibraryError) as caught:
        load_text(folder, text)
    path = str(write(folder, text))
    return [str(problem).removeprefix(path + ":") for problem in caught.value.problems]


def test_a_good_library_loads_with_its_variables_and_defaults(tmp_path: Path) -> None:
    text = (
        HEAD
        + SCRIPT
        + (
            "  - id: s.two\n    stage: [mid, late]\n    segments: [able_unwilling]\n"
            "    cues: [debtor.hardship]\n    purpose: plan\n    lines:\n"
            "      - 您逾期{days_past_due}天，金额{overdue_amount}。\n"
            "      - 请拨打{hotline}，金额{overdue_amount}。\n"
        )
    )
    library = load_text(tmp_path, text)
    one, two = library.scripts
    assert (one.id, one.stages, one.segments, one.cues, one.general) == ("s.one", (), (), (), True)
    assert one.variables == ("debtor_name",)
    assert two.stages == ("mid", "late")
    assert two.segments == ("able_unwilling",)
    assert two.cues == ("debtor.hardship",)
    assert two.variables == ("days_past_due", "overdue_amount", "hotline")
    assert two.line == 14
    assert library.placeholder("overdue_amount") == "【金额】"
    assert library.placeholder("hotline") == "[hotline]"  # none given: the variable's name
    assert library.region == "CN"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # unknown variable: at the very brace, in a plain and a quoted line
        (
            "      - 您好{debtor_nme}。\n",
            "13:11: unknown variable {debtor_nme} (did you mean {debtor_name}?)",
        ),
        ('      - "您好{amount}"\n', "13:12: unknown variable {amount}"),
        ("      - 您好{debtor_name。\n", "13:11: a lone `{`"),
        ("      - ''\n", "13:9: each line is empty"),
        ("      -\n", "13:8: each line must be a string, not empty"),
    ],
)
def test_a_wrong_line_is_reported_where_it_is_written(
    tmp_path: Path, body: str, expected: str
) -> None:
    text = HEAD + SCRIPT.replace('      - "{debtor_name}您好。"\n', body)
    found = problems(tmp_path, text)
    assert len(found) == 1
    assert found[0].startswith(expected)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("stage", "soon", "9:12: stage must be one of any, early, mid, late, legal, not 'soon'"),
        ("stage", "[mid, later]", "9:18: each of stage must be one of early, mid, late, legal"),
        ("stage", "[]", "9:12: stage is empty"),
        ("segments", "[rich]", "10:16: each of segments must be one of able_willing"),
        ("cues", "[debtor.hardshp]", "11:12: unknown cue 'debtor.hardshp' (did you mean "),
        ("cues", "debtor.hardship", "11:11: cues must be a list, not a string"),
        ("purpose", "chat", "12:14: purpose must be one of opening, identity"),
    ],
)
def test_unknown_values_are_reported_at_their_node(
    tmp_path: Path, field: str, value: str, expected: str
) -> None:
    fields = {"stage": "any", "segments": "any", "cues": "[]", "purpose": "reply", field: value}
    text = HEAD + (
        f"  - id: s.x\n    stage: {fields['stage']}\n    segments: {fields['segments']}\n"
        f"    cues: {fields['cues']}\n    purpose: {fields['purpose']}\n    lines: [您好。]\n"
    )
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    assert found[0].startswith(expected)


def test_every_problem_is_reported_in_line_order_and_nothing_loads(tmp_path: Path) -> None:
    text = (
        HEAD
        + SCRIPT
        + SCRIPT.replace("{debtor_name}", "{name}")
        + (
            "  - id: s.three\n    stage: any\n    segments: any\n    purpose: reply\n"
            "    lines: []\n    colour: red\n"
        )
    )
    found = problems(tmp_path, text)
    assert [entry.split(": ")[0] for entry in found] == ["14:9", "19:10", "24:12", "25:5"]
    assert "duplicate script id 's.one' (first at line 8)" in found[0]
    assert "unknown variable {name}" in found[1]
    assert "lines is empty" in found[2]
    assert "unknown key 'colour'" in found[3]


def test_missing_keys_and_a_bad_head_are_reported(tmp_path: Path) -> None:
    text = (
        "library:\n  language: chinese\n  version: 1\n  date_format: '{yr}'\n"
        "scripts:\n  - id: s.one\n    purpose: reply\n"
    )
    found = problems(tmp_path, text)
    assert found[0].startswith("2:13: language must look like zh-CN or en-US")
    assert found[1].startswith("4:16: unknown date part {yr}")
    assert found[2].startswith("6:5: a script is missing keys `stage`, `segments`, `lines`")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: scripts.yaml is empty"),
        ("library: [\n", "2:1: YAML syntax error"),
        (HEAD.replace("scripts:\n", "scripts: []\n"), "7:10: scripts is empty"),
    ],
)
def test_an_empty_or_broken_file_is_reported(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(tmp_path, text)[0].startswith(expected)


def test_the_error_message_lists_every_problem_with_the_file(tmp_path: Path) -> None:
    text = HEAD + SCRIPT.replace("{debtor_name}", "{who}")
    with pytest.raises(ScriptLibraryError) as caught:
        load_text(tmp_path, text)
    message = str(caught.value)
    assert "was not loaded (1 problem)" in message
    assert f"{tmp_path / 'scripts.yaml'}:13:10: unknown variable {{who}}" in message
