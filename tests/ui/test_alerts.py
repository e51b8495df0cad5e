"""Alerts follow the call: a banner for a crossed line, cue cards with the reply, nudges."""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from agent_assist.events import CallEnded, CallStarted, Flag, RequirementMissed, ToneCue
from agent_assist.messaging.render import BankDetails
from agent_assist.paths import resources_dir
from agent_assist.store.records import CaseRecord, DebtorRecord
from agent_assist.ui.controllers.alerts_controller import AlertsController
from agent_assist.ui.controllers.script_controller import (
    LINE_ROLE,
    CallScripts,
    ScriptController,
    bundled_scripts,
    scripts_in,
)
from agent_assist.ui.views.alerts_panel import AlertBanner, AlertsPanel
from agent_assist.ui.views.script_panel import ScriptPanel

BANK = BankDetails("华信银行", "400-820-8888")


def case() -> CaseRecord:
    debtor = DebtorRecord(
        id=1,
        external_ref="D-1",
        name="王芳",
        national_id=None,
        phones=(),
        region=None,
        time_zone="Asia/Shanghai",
        segment="prime",
        language="zh-CN",
    )
    return CaseRecord(
        id=7,
        external_ref="CASE-7",
        debtor=debtor,
        product="信用卡",
        currency="CNY",
        principal=Decimal(30000),
        overdue_amount=Decimal("4860.00"),
        days_past_due=45,
        stage="M2",
        status="active",
        assigned_user_id=None,
    )


def flag(
    flag_id: str,
    state: str = "confirmed",
    *,
    speaker: str = "agent",
    category: str = "agent.threat",
    severity: str = "critical",
    explanation: str = "威胁到单位闹事属于暴力催收",
    reply: str | None = "zh.reply.rephrase_respectfully",
    text: str = "我明天去你单位闹",
) -> Flag:
    return Flag(
        flag_id=flag_id,
        state=state,  # type: ignore[arg-type]
        rule_id=f"zh.{category}.rule",
        category=category,
        severity=severity,
        speaker=speaker,
        utterance=0,
        text=text,
        start=0,
        end=len(text),
        kind="exact",
        score=1.0,
        explanation=explanation,
        reply=reply,
        t_ms=1000,
    )


def hardship(state: str = "confirmed", flag_id: str = "d1") -> Flag:
    return flag(
        flag_id,
        state,
        speaker="debtor",
        category="debtor.hardship",
        severity="info",
        explanation="债务人表示经济困难",
        reply="zh.reply.hardship_plan",
        text="我失业了实在没钱",
    )


def started() -> CallStarted:
    return CallStarted("c2", ("agent", "debtor"), "demo", "m", 16000, "2026-01-05T10:00:00+08:00")


@pytest.fixture
def banner(qtbot: QtBot) -> AlertBanner:
    shown = AlertBanner()
    qtbot.addWidget(shown)
    return shown


@pytest.fixture
def panel(qtbot: QtBot) -> AlertsPanel:
    shown = AlertsPanel()
    qtbot.addWidget(shown)
    shown.show()
    return shown


def alerts(banner: AlertBanner, panel: AlertsPanel, nudge_ms: int = 8000) -> AlertsController:
    return AlertsController(
        banner, panel, agent_name="李明", bank=BANK, language="zh-CN", nudge_ms=nudge_ms
    )


def test_a_critical_collector_flag_is_a_banner_until_acknowledged(
    qtbot: QtBot, banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel)
    assert banner.isHidden()
    controller.on_event(flag("f1", "raised"))
    assert not banner.isHidden()
    assert banner.category.text() == "Threat"
    assert banner.explanation.text() == "威胁到单位闹事属于暴力催收"
    assert banner.count.isHidden()  # one line crossed: nothing to count
    assert panel.cards() == []  # the banner says it; no card repeats it
    # Nothing but the collector's acknowledgement takes it away: not the call going on,
    # not its end, not the next call.
    for event in (flag("f1"), hardship(), CallEnded("completed", 5000), started()):
        controller.on_event(event)
        assert not banner.isHidden()
    with qtbot.waitSignal(controller.acknowledged, timeout=1000) as acknowledged:
        QTest.mouseClick(banner.acknowledge, Qt.MouseButton.LeftButton)
    assert acknowledged.args == ["f1"]
    assert banner.isHidden()


def test_a_flag_acknowledged_while_raised_does_not_return_when_confirmed(
    banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel)
    controller.on_event(flag("f1", "raised"))
    controller.acknowledge()
    controller.on_event(flag("f1", "confirmed"))
    assert banner.isHidden()
    controller.on_event(flag("f2", explanation="辱骂债务人", category="agent.insult"))
    assert not banner.isHidden()  # a new line crossed is shown again


def test_a_second_critical_flag_updates_the_banner_and_counts(
    qtbot: QtBot, banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel)
    controller.on_event(flag("f1", "raised"))
    controller.on_event(flag("f1", "confirmed"))  # the same flag confirmed: still one
    assert banner.count.isHidden()
    controller.on_event(flag("f2", category="agent.insult", explanation="辱骂债务人"))
    assert banner.category.text() == "Insult"  # the newest leads
    assert banner.explanation.text() == "辱骂债务人"
    assert not banner.count.isHidden()
    assert "2" in banner.count.text()
    with qtbot.waitSignals([controller.acknowledged, controller.acknowledged], timeout=1000):
        controller.acknowledge()
    assert banner.isHidden()


def test_a_retracted_flag_takes_its_card_and_its_banner_entry_away(
    banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel)
    controller.on_event(hardship("raised"))
    assert [card.title.text() for card in panel.cards()] == ["Hardship"]
    assert panel.calm.isHidden()
    controller.on_event(hardship("retracted"))  # the final no longer says it
    assert panel.cards() == []
    assert not panel.calm.isHidden()

    controller.on_event(flag("f1", "raised"))
    controller.on_event(flag("f2", "raised", category="agent.insult", explanation="辱骂债务人"))
    controller.on_event(flag("f2", "retracted"))
    assert banner.category.text() == "Threat"  # back to the one still standing
    assert banner.count.isHidden()
    controller.on_event(flag("f1", "retracted"))
    assert banner.isHidden()


def test_a_debtor_cue_card_shows_what_was_said_and_the_scripts_reply_line(
    qtbot: QtBot, banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel)
    controller.set_case(case(), "unable_willing")
    controller.on_event(hardship())
    (card,) = panel.cards()
    assert card.kind == "cue"
    assert card.title.text() == "Hardship"
    assert "income" in card.title.toolTip()  # the taxonomy's meaning, on hover
    assert "我失业了实在没钱" in card.said.text()
    # The reply is the line the suggested-script panel puts first for the same cue and case.
    scripts_panel = ScriptPanel()
    qtbot.addWidget(scripts_panel)
    scripts = ScriptController(scripts_panel, bundled_scripts, agent_name="李明", bank=BANK)
    scripts.set_case(case(), "unable_willing")
    scripts.on_event(hardship())
    lines = [scripts_panel.lines.item(row) for row in range(scripts_panel.lines.count())]
    first = next(item for item in lines if item.data(LINE_ROLE) is not None)
    assert first.data(LINE_ROLE) == ("zh.reply.hardship_plan", 0)
    assert not card.reply.isHidden()
    assert card.reply.text().endswith(first.text())
    assert "{" not in card.reply.text()  # filled for the case


def test_a_card_shows_the_words_as_the_transcript_does_with_the_match_in_bold(
    banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel)
    spoken = flag(
        "d1", speaker="debtor", category="debtor.hardship", severity="info", text="我 失业 了 没 钱"
    )
    # The rule matched 失业 at printed offsets 2..4; Vosk's spaces between Chinese words go.
    controller.on_event(dataclasses.replace(spoken, start=2, end=4))
    (card,) = panel.cards()
    assert card.said.text().endswith("我<b>失业</b>了没钱")


def test_without_a_case_the_reply_is_offered_in_the_windows_language(
    banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel)  # a demo call with no case chosen
    controller.on_event(hardship())
    (card,) = panel.cards()
    assert not card.reply.isHidden()
    assert "您的情况我理解" in card.reply.text()  # the zh-CN hardship plan's first line


def test_cards_come_newest_first_and_a_new_call_starts_calm(
    banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel)
    controller.on_event(hardship(flag_id="d1"))
    complaint = flag(
        "d2",
        speaker="debtor",
        category="debtor.complaint_threat",
        severity="warning",
        explanation="债务人威胁投诉",
        reply=None,
        text="我要投诉你们",
    )
    controller.on_event(complaint)
    controller.on_event(hardship("confirmed", flag_id="d1"))  # an update is not a new card
    assert [card.title.text() for card in panel.cards()] == ["Complaint threat", "Hardship"]
    controller.on_event(started())
    assert panel.cards() == []


def test_a_missed_required_statement_is_a_card_that_stays(
    qtbot: QtBot, banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel, nudge_ms=20)
    missed = RequirementMissed(
        "zh.identify_bank", "agent", 30.0, "warning", "未表明银行身份", 30000
    )
    controller.on_event(missed)
    controller.on_event(ToneCue("fast_speech", "agent", 7.2, 6.0, "语速偏快，放慢一点", 31000))
    qtbot.waitUntil(panel.nudge.isHidden, timeout=2000)
    (card,) = panel.cards()
    assert card.kind == "missed"
    assert card.said.text() == "未表明银行身份"
    assert card.title.toolTip() == "zh.identify_bank"


def test_a_tone_nudge_shows_then_goes_by_itself(
    qtbot: QtBot, banner: AlertBanner, panel: AlertsPanel
) -> None:
    controller = alerts(banner, panel, nudge_ms=150)
    controller.on_event(ToneCue("loud", "agent", 9.0, 6.0, "声音有点大，放轻一些", 1000))
    assert not panel.nudge.isHidden()
    assert panel.nudge.text() == "声音有点大，放轻一些"
    assert panel.cards() == []  # a nudge is not a card: it passes
    qtbot.waitUntil(panel.nudge.isHidden, timeout=2000)


def test_a_published_librarys_reply_shows_on_the_next_calls_cards(
    qtbot: QtBot, banner: AlertBanner, panel: AlertsPanel, tmp_path: Path
) -> None:
    shipped = resources_dir() / "scripts" / "zh-CN"
    published = tmp_path / "zh-CN"
    shutil.copytree(shipped, published)
    library = published / "scripts.yaml"
    text = library.read_text(encoding="utf-8")
    library.write_text(text.replace("您的情况我理解", "我们理解您的处境"), encoding="utf-8")
    active = {"zh-CN": shipped}  # the folder a call start picks: the team's active version

    def call_scripts(language: str) -> CallScripts:
        return scripts_in(active[language])

    controller = AlertsController(
        banner, panel, call_scripts, agent_name="李明", bank=BANK, language="zh-CN"
    )
    scripts_panel = ScriptPanel()
    qtbot.addWidget(scripts_panel)
    scripts = ScriptController(scripts_panel, call_scripts, agent_name="李明", bank=BANK)
    controller.set_case(case(), "unable_willing")
    scripts.set_case(case(), "unable_willing")
    for event in (started(), hardship()):
        controller.on_event(event)
    (card,) = panel.cards()
    assert "您的情况我理解" in card.reply.text()

    active["zh-CN"] = published  # published between two calls
    for event in (started(), hardship()):
        controller.on_event(event)
        scripts.on_event(event)
    (card,) = panel.cards()
    assert "我们理解您的处境" in card.reply.text()
    # The card offers the line the suggested-script panel puts first.
    lines = [scripts_panel.lines.item(row) for row in range(scripts_panel.lines.count())]
    first = next(item for item in lines if item.data(LINE_ROLE) is not None)
    assert first.data(LINE_ROLE) == ("zh.reply.hardship_plan", 0)
    assert card.reply.text().endswith(first.text())
