"""Times in a call, severities by rank and the review's names (English window)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from agent_assist.ui.review.names import (
    clock,
    flag_category_name,
    severity_name,
    severity_of_rank,
    verdict_name,
)


def test_a_time_in_the_call_reads_as_minutes_and_seconds() -> None:
    assert clock(0) == "0:00"
    assert clock(61_999) == "1:01"
    assert clock(3_725_000) == "1:02:05"


def test_a_call_rank_names_its_most_severe_flag(qtbot: QtBot) -> None:
    assert [severity_of_rank(rank) for rank in range(4)] == ["", "info", "warning", "critical"]
    assert severity_name(severity_of_rank(3)) == "Critical"


def test_verdicts_and_categories_have_names(qtbot: QtBot) -> None:
    assert verdict_name(None) == "Not judged"
    assert verdict_name("upheld") == "Valid breach"
    assert flag_category_name("required_statement") == "Required statement missed"
    assert flag_category_name("agent.threat") == "Threat"
