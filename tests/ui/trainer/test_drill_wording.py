"""A drill's report in the window's language (pytest-qt, offscreen): a stored report opened
from the history reads Chinese in a Chinese window, none of the English sentences the
terminal report uses; an English window shows those sentences."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agent_assist.store.database import Database
from agent_assist.store.drills_repo import DrillRepository
from agent_assist.store.records import UserRecord
from agent_assist.training.scenario import find_scenario
from agent_assist.ui.display_names import category_name
from agent_assist.ui.i18n import install_translators
from agent_assist.ui.trainer.drill_controller import DrillController
from agent_assist.ui.trainer.drill_panel import DrillPanel
from tests.core.store.builders import team_of
from tests.core.training.test_drill import CUES, ZH_GOOD, drill_of, play

THREAT = "你再不还钱我们就上门找你，让你全家不得安宁"


@pytest.fixture
def held() -> Iterator[list[object]]:
    """Panels and controllers, referenced until the test ends, collected on this thread."""
    kept: list[object] = []
    yield kept
    kept.clear()
    gc.collect()


@pytest.fixture
def stored(db: Database, no_stray_threads: None) -> tuple[UserRecord, dict[str, Any]]:
    """Ann's finished drill with a threat, lines not said and a reply not used; and its
    stored report (masked as the store keeps it)."""
    ann = team_of(db)[0]
    drill = drill_of(find_scenario("zh.short_overdue", CUES))
    play(drill, (ZH_GOOD[0], THREAT))
    report = drill.report()
    repo = DrillRepository(db, str)
    key = repo.start(ann.as_actor(), "zh.short_overdue", "zh-CN", "zh-CN", "1")
    repo.finish(ann.as_actor(), key, report.score, report.to_dict())
    (summary,) = repo.history(ann.as_actor())
    kept = repo.get(ann.as_actor(), summary.id).report
    assert kept is not None
    return ann, kept


def shown(
    qtbot: QtBot, db: Database, ann: UserRecord, held: list[object]
) -> tuple[str, dict[str, Any]]:
    """The report as the tab shows it when picked in the history."""
    panel = DrillPanel()
    qtbot.addWidget(panel)
    repo = DrillRepository(db, str)
    controller = DrillController(panel, repo, ann.as_actor())
    held += [panel, controller]
    controller.refresh()
    qtbot.waitUntil(lambda: controller.history.rowCount() == 1, timeout=20_000)
    panel.history.doubleClicked.emit(controller.history.index(0, 0))
    qtbot.waitUntil(lambda: panel.report.toPlainText() != "", timeout=20_000)
    summary = controller.history.row(0)
    report = repo.get(ann.as_actor(), summary.id).report
    assert report is not None
    return panel.report.toPlainText(), report


def english_sentences(report: dict[str, Any]) -> list[str]:
    """What the terminal report says in English: each detail, each piece of advice (the
    pack's explanations within are Chinese)."""
    return [c["detail"] for c in report["components"]] + list(report["practise"])


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    assert install_translators(qapp, "zh")
    yield
    install_translators(qapp, "en")


def test_a_chinese_window_words_the_report_in_chinese(
    chinese: None,
    qtbot: QtBot,
    db: Database,
    stored: tuple[UserRecord, dict[str, Any]],
    held: list[object],
) -> None:
    ann, report = stored
    text, _ = shown(qtbot, db, ann, held)
    sentences = english_sentences(report)
    assert len(sentences) == 8  # four details, a flag, two lines not said, a reply
    for sentence in sentences:
        assert sentence not in text
    for english in ("flags raised", "of 4 said", "used", "typed answers", "Do not say",
                    "Say it", "When the debtor shows", "What to practise"):  # fmt: skip
        assert english not in text
    assert "zh.agent.threat.family" in text  # ids stay ids
    assert report["flags"][0]["explanation"] in text  # the pack's own words
    assert category_name("debtor.evasion") in text


def test_an_english_window_shows_the_report_s_sentences(
    qtbot: QtBot, db: Database, stored: tuple[UserRecord, dict[str, Any]], held: list[object]
) -> None:
    ann, report = stored
    text, _ = shown(qtbot, db, ann, held)
    for sentence in english_sentences(report):
        # The cue is named as the window names it ("Evasion"), not by its id.
        named = sentence.replace("shows debtor.evasion,", "shows “Evasion”,")
        assert named in text, sentence
    assert "Compliance: 50.0 (flags raised: 1 critical)" in text
