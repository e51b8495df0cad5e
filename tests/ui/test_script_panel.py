"""The suggested-script panel follows the call: openings, replies to debtor cues, lines used."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot

from agent_assist.events import CallStarted, Flag
from agent_assist.messaging.render import BankDetails
from agent_assist.store.records import CaseRecord, DebtorRecord
from agent_assist.ui.controllers.script_controller import (
    LINE_ROLE,
    ScriptController,
    bundled_scripts,
)
from agent_assist.ui.views.script_panel import ScriptPanel


def case(stage: str = "M1", language: str = "zh-CN") -> CaseRecord:
    debtor = DebtorRecord(
        id=1,
        external_ref="D-1",
        name="王芳",
        national_id="110***********1751",
        phones=("138****0000",),
        region=None,
        time_zone="Asia/Shanghai",
        segment="prime",
        language=language,
    )
    return CaseRecord(
        id=7,
        external_ref="CASE-7",
        debtor=debtor,
        product="信用卡",
        currency="CNY",
        principal=Decimal(30000),
        overdue_amount=Decimal("4860.00"),
        days_past_due=25,
        stage=stage,
        status="active",
        assigned_user_id=None,
    )


def hardship(state: str = "confirmed", flag_id: str = "d1") -> Flag:
    return Flag(
        flag_id=flag_id,
        state=state,  # type: ignore[arg-type]
        rule_id="zh.debtor.hardship.lost_job",
        category="debtor.hardship",
        severity="info",
        speaker="debtor",
        utterance=0,
        text="我 失业 了 实在 没 钱",
        start=0,
        end=5,
        kind="exact",
        score=1.0,
        explanation="债务人表示经济困难",
        reply="zh.reply.hardship_plan",
        t_ms=1000,
    )


@pytest.fixture
def panel(qtbot: QtBot) -> ScriptPanel:
    shown = ScriptPanel()
    qtbot.addWidget(shown)
    shown.resize(500, 700)
    shown.show()
    return shown


@pytest.fixture
def controller(panel: ScriptPanel) -> ScriptController:
    return ScriptController(
        panel, bundled_scripts, agent_name="李明", bank=BankDetails("华信银行", "400-820-8888")
    )


def titles(panel: ScriptPanel) -> list[str]:
    items = [panel.lines.item(row) for row in range(panel.lines.count())]
    # A title row shows the script's purpose by name; its tooltip is the script's id.
    return [f"{item.text()} · {item.toolTip()}" for item in items if item.data(LINE_ROLE) is None]


def line_items(panel: ScriptPanel) -> list[QListWidgetItem]:
    items = [panel.lines.item(row) for row in range(panel.lines.count())]
    return [item for item in items if item.data(LINE_ROLE) is not None]


def click(panel: ScriptPanel, where: QPoint) -> None:
    QTest.mouseClick(panel.lines.viewport(), Qt.MouseButton.LeftButton, pos=where)


def key(item: QListWidgetItem) -> tuple[Any, ...]:
    return tuple(item.data(LINE_ROLE))


@pytest.mark.parametrize(
    ("case_stage", "call_stage"),
    [
        ("M0", "early"),
        ("M1", "early"),
        ("M2", "mid"),
        ("M3", "mid"),
        ("M4", "late"),
        ("M5", "late"),
        ("M6+", "legal"),
        ("M9", "legal"),
        ("X1", None),
    ],
)
def test_case_stages_map_to_call_stages_from_the_data(
    case_stage: str, call_stage: str | None
) -> None:
    for language in ("zh-CN", "en-US"):
        assert bundled_scripts(language).stage_of(case_stage) == call_stage


@pytest.mark.parametrize(
    ("stage", "first"),
    [
        ("M1", "zh.open.early"),
        ("M3", "zh.open.mid"),
        ("M5", "zh.open.late"),
        ("M6+", "zh.open.legal"),
    ],
)
def test_a_fresh_call_opens_with_the_stages_opening_filled_for_the_case(
    panel: ScriptPanel, controller: ScriptController, stage: str, first: str
) -> None:
    controller.set_case(case(stage), "able_willing")
    shown = titles(panel)
    assert shown[0] == f"Opening · {first}"
    purposes = [title.split(" · ")[0] for title in shown]
    assert purposes.count("Opening") >= 2  # the stage's, then the general greeting
    assert purposes == sorted(purposes, key=lambda purpose: purpose != "Opening")
    other_stages = {"zh.open.early", "zh.open.mid", "zh.open.late", "zh.open.legal"} - {first}
    assert not any(title.split(" · ")[-1] in other_stages for title in shown)
    assert "王芳" in line_items(panel)[0].text()  # filled, not {debtor_name}
    assert "{" not in "".join(item.text() for item in line_items(panel))


def test_a_debtor_hardship_flag_brings_the_hardship_reply_to_the_top(
    panel: ScriptPanel, controller: ScriptController
) -> None:
    controller.set_case(case("M2"), "unable_willing")
    controller.on_event(hardship("raised"))
    assert titles(panel)[0] == "Repayment plan · zh.reply.hardship_plan"
    assert "Hardship" in panel.context.text()
    assert key(line_items(panel)[0]) == ("zh.reply.hardship_plan", 0)
    controller.on_event(hardship("retracted"))  # the final no longer says it
    assert titles(panel)[0] == "Opening · zh.open.mid"


def test_agent_flags_do_not_change_the_suggestions(
    panel: ScriptPanel, controller: ScriptController
) -> None:
    controller.set_case(case("M1"), None)
    before = titles(panel)
    agent = hardship()
    controller.on_event(
        Flag(**{**{f: getattr(agent, f) for f in agent.__slots__}, "speaker": "agent"})
    )
    assert titles(panel) == before


def test_clicking_a_line_marks_it_used_and_says_which(
    qtbot: QtBot, panel: ScriptPanel, controller: ScriptController
) -> None:
    controller.set_case(case("M1"), None)
    item = line_items(panel)[1]
    where = panel.lines.visualItemRect(item).center()
    with qtbot.waitSignal(controller.line_used, timeout=2000) as used:
        click(panel, where)
    assert used.args == list(key(item))
    assert item.font().strikeOut()
    assert not line_items(panel)[0].font().strikeOut()
    with qtbot.assertNotEmitted(controller.line_used):  # marked once: a second click is quiet
        click(panel, where)
    # A cue re-suggests, but a line already said stays marked when it is shown again.
    said = key(item)
    controller.on_event(hardship())
    controller.on_event(hardship("retracted"))
    again = [i for i in line_items(panel) if key(i) == said]
    assert again
    assert again[0].font().strikeOut()
    controller.on_event(CallStarted("c2", ("agent", "debtor"), "demo", "m", 16000, "2026"))
    assert not any(i.font().strikeOut() for i in line_items(panel))


def test_clicking_a_title_row_marks_nothing(
    qtbot: QtBot, panel: ScriptPanel, controller: ScriptController
) -> None:
    controller.set_case(case("M1"), None)
    title = panel.lines.item(0)
    where = panel.lines.visualItemRect(title).center()
    with qtbot.assertNotEmitted(controller.line_used):
        click(panel, where)


def test_an_opening_fully_said_gives_way_to_the_next_script(
    qtbot: QtBot, panel: ScriptPanel, controller: ScriptController
) -> None:
    controller.set_case(case("M1"), None)
    first = [item for item in line_items(panel) if key(item)[0] == "zh.open.early"]
    assert len(first) == 2
    for item in first:
        where = panel.lines.visualItemRect(item).center()
        click(panel, where)
    controller.on_event(hardship())
    controller.on_event(hardship("retracted"))  # back to the general scripts, re-ranked
    shown = titles(panel)
    assert shown[0] != "opening · zh.open.early"
    assert "opening · zh.open.early" not in shown[:-1]  # last, or pushed out by the limit
