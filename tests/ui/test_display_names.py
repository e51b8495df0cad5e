"""Every flag category the taxonomy defines has a name a collector can read."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from agent_assist.compliance.risk_model import SEGMENTS
from agent_assist.rules.taxonomy import load_taxonomy
from agent_assist.script_library.model import PURPOSES
from agent_assist.store.cases_repo import CASE_STATUSES, PROMISE_STATUSES
from agent_assist.ui.controllers.wrapup_controller import OUTCOMES
from agent_assist.ui.display_names import (
    category_name,
    outcome_name,
    promise_state_name,
    purpose_name,
    script_title,
    segment_name,
    status_name,
)


def test_every_category_has_a_name(qtbot: QtBot) -> None:
    for category_id in load_taxonomy():
        name = category_name(category_id)
        assert name != category_id
        assert "." not in name


def test_an_unknown_category_shows_its_id(qtbot: QtBot) -> None:
    assert category_name("debtor.new_cue") == "debtor.new_cue"


def test_every_segment_has_a_name(qtbot: QtBot) -> None:
    names = {segment_name(segment) for segment in SEGMENTS}
    assert len(names) == len(SEGMENTS)
    assert not names & set(SEGMENTS)


def test_every_script_purpose_has_a_name_and_a_reply_names_its_cue(qtbot: QtBot) -> None:
    assert all(purpose_name(purpose) != purpose for purpose in PURPOSES)
    assert script_title("reply", ("debtor.hardship",)) == "Reply · Hardship"
    assert script_title("closing", ()) == "Closing"


@pytest.mark.parametrize(
    ("codes", "name"),
    [
        (OUTCOMES, outcome_name),
        (CASE_STATUSES, status_name),
        (PROMISE_STATUSES, promise_state_name),
    ],
)
def test_every_outcome_status_and_promise_state_has_a_name(
    qtbot: QtBot, codes: tuple[str, ...], name: Callable[[str], str]
) -> None:
    names = [name(code) for code in codes]
    assert len(set(names)) == len(codes)
    assert all("_" not in n for n in names)
