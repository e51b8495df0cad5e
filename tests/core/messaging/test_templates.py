from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from agent_assist.messaging.templates import (
    PURPOSES,
    STAGES,
    TemplateError,
    load_library,
)
from tests.core.messaging.builders import LIBRARY_HEAD, TEMPLATE, libraries, write_library


def problems_of(path: Path) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        load_library(path)
    return [f"{p.line}:{p.col}: {p.message}" for p in caught.value.problems]


def test_a_small_library_loads_with_its_rules(tmp_path: Path) -> None:
    library = load_library(write_library(tmp_path, LIBRARY_HEAD + TEMPLATE))

    assert library.language == "zh-CN"
    assert library.region == "CN"
    assert library.sms_hours == (time(8), time(21))
    assert library.blocked() == {"cease_requested": "已要求停止联系"}
    assert library.call_stage("M1") == "early"
    assert library.call_stage("M6+") is None
    (template,) = library.templates
    assert (template.id, template.stages, template.purpose) == ("t.one", ("early",), "reminder")
    assert template.variables == ("debtor_name",)
    assert template.line == 13


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_bundled_libraries_cover_every_stage_and_purpose(language: str) -> None:
    library = libraries()[language]

    covered = {(stage, t.purpose) for t in library.templates for stage in t.stages}

    assert covered == {(stage, purpose) for stage in STAGES for purpose in PURPOSES}
    assert {t.language for t in library.templates} == {language}
    assert all(t.id.startswith(language[:2] + ".") for t in library.templates)


def _with(template: str) -> str:
    return LIBRARY_HEAD + template


def _text(value: str) -> str:
    return _with(TEMPLATE.replace('    text: "{debtor_name}您好，请还款。"\n', value))


PROBLEMS = [
    (
        _text('    text: "{debtor_nme}您好"\n'),
        "16:12",
        "unknown variable {debtor_nme} (did you mean {debtor_name}?)",
    ),
    (
        _text("    text: >-\n      您好 {debtor_name}，\n      请还款 {amount}。\n"),
        "18:11",
        "unknown variable {amount}",
    ),
    (
        _text("    text: |\n      {debtor_name}您好\n      {hotline} {Hotline}\n"),
        "18:17",
        "unknown variable {Hotline}",
    ),
    (_text('    text: "您好 {debtor_name，请还款"\n'), "16:15", "a lone `{`"),
    (_text("    text: 您好 debtor_name}\n"), "16:25", "a lone `}`"),
    (_text('    text: "=HYPERLINK(1)"\n'), "16:11", "must not start with = + - or @"),
    (_text('    text: ""\n'), "16:11", "text is empty"),
    (_with(TEMPLATE + "    notes: x\n"), "17:5", "unknown key 'notes' in a template"),
    (_with(TEMPLATE.replace("stage: early", "stage: final")), "14:12", "stage must be one of"),
    (_with(TEMPLATE.replace("stage: early", "stage: [mid, now]")), "14:18", "not 'now'"),
    (_with(TEMPLATE.replace("purpose: reminder", "purpose: threat")), "15:14", "purpose must"),
    (_with(TEMPLATE + TEMPLATE), "17:9", "duplicate template id 't.one' (first at line 13)"),
    (_with(TEMPLATE.replace("    purpose: reminder\n", "")), "13:5", "missing key `purpose`"),
    (LIBRARY_HEAD.replace('"21:00"', '"25:00"') + TEMPLATE, "5:24", "'25:00' is not a time"),
    (LIBRARY_HEAD.replace('"08:00", "21:00"', '"21:00", "08:00"') + TEMPLATE, "5:14", "end after"),
    (LIBRARY_HEAD.replace('["08:00", "21:00"]', '"08:00"') + TEMPLATE, "5:14", "must be a list"),
    (LIBRARY_HEAD.replace("Asia/Shanghai", "Mars/Base") + TEMPLATE, "4:14", "unknown time zone"),
    (LIBRARY_HEAD.replace("language: zh-CN", "language: zh") + TEMPLATE, "2:13", "like zh-CN"),
    (LIBRARY_HEAD.replace("{year}年", "{yr}年") + TEMPLATE, "6:16", "unknown date part {yr}"),
    (
        LIBRARY_HEAD.replace("{year}年", "{month_name}") + TEMPLATE,
        "6:16",
        "add `month_names`",
    ),
    (LIBRARY_HEAD.replace("[M0, M1]", "[M0, M9]") + TEMPLATE, "8:15", "'M9' is not one of"),
    (
        LIBRARY_HEAD.replace("[M2, M3]", "[M1, M3]") + TEMPLATE,
        "9:9",
        "case stage M1 is already in the early stage",
    ),
    (
        LIBRARY_HEAD.replace("  cease_requested:", "  cease_request:") + TEMPLATE,
        "11:3",
        "unknown key 'cease_request' in blocked_statuses (did you mean 'cease_requested'?)",
    ),
    (LIBRARY_HEAD.replace("  version: 1.0\n", "") + TEMPLATE, "2:3", "missing key `version`"),
    (LIBRARY_HEAD.replace("templates:\n", ""), "1:1", "messages.yaml is missing key `templates`"),
    (LIBRARY_HEAD.replace("  mid: [M2, M3]", "  mid: [M2, M3"), "10:17", "YAML syntax error"),
    ("", "1:1", "messages.yaml is empty"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), PROBLEMS)
def test_each_problem_is_reported_where_it_is(
    tmp_path: Path, text: str, position: str, fragment: str
) -> None:
    (problem,) = problems_of(write_library(tmp_path, text))

    assert problem.split(": ", 1)[0] == position, problem
    assert fragment in problem


def test_every_problem_is_listed_in_line_order_and_nothing_loads(tmp_path: Path) -> None:
    text = LIBRARY_HEAD.replace("Asia/Shanghai", "Mars/Base") + TEMPLATE.replace(
        "{debtor_name}", "{name} {bank}"
    )
    path = write_library(tmp_path, text)

    with pytest.raises(TemplateError) as caught:
        load_library(path)

    lines = str(caught.value).splitlines()
    assert lines[0] == f"message templates {path} were not loaded (3 problems):"
    assert [line.split(": ", 1)[0] for line in lines[1:]] == [
        f"{path}:4:14",
        f"{path}:16:12",
        f"{path}:16:19",
    ]
    assert "unknown variable {bank} (did you mean {bank_name}?)" in lines[3]


@pytest.mark.parametrize(
    ("case_stage", "call_stage"),
    [
        ("M0", "early"),
        ("M1", "early"),
        ("m3", "mid"),
        ("M5", "late"),
        ("M6", "legal"),
        ("M6+", "legal"),
        ("M12", "legal"),
        ("", None),
        ("late", None),
    ],
)
def test_case_stages_map_to_call_stages_as_the_import_reads_them(
    case_stage: str, call_stage: str | None
) -> None:
    assert libraries()["zh-CN"].call_stage(case_stage) == call_stage
