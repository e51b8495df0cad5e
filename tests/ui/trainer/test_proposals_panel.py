"""The trainer's proposals tab (pytest-qt, offscreen, SQLite and PostgreSQL): the proposals
of the pack's language are listed; accepting writes the example into the chosen rule's YAML
and records the answer; dismissing records it; an answered proposal cannot be answered
again."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agent_assist.privacy import mask_text
from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import packs_dir
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.database import Database
from agent_assist.store.proposals_repo import Proposal, ProposalRepository
from agent_assist.store.records import UserRecord
from agent_assist.store.tables import ExampleDecision
from agent_assist.ui.trainer.proposals_controller import ProposalsController
from agent_assist.ui.trainer.proposals_panel import ProposalsPanel
from tests.core.store.builders import final, flag, started, team_of

FALSE_ALARM = "我们 会 依法 处理 不会 上门 闹"
MISSED = "我 天天 去 你 家 门口 蹲 着 你 跑 不 了"


@dataclass
class Tab:
    db: Database
    trainer: UserRecord
    pack: Path
    panel: ProposalsPanel
    controller: ProposalsController
    asked: list[tuple[str, list[str]]]

    def refs(self) -> list[str]:
        model = self.controller.model
        return [model.row(at).ref for at in range(model.rowCount())]

    def select(self, ref: str) -> None:
        self.panel.table.selectRow(self.refs().index(ref))


@pytest.fixture
def tab(qtbot: QtBot, db: Database, tmp_path: Path) -> Tab:
    """Lee judged a threat flag a false positive and noted a missed threat and an English
    line on Ann's call; the trainer edits a copy of the Chinese pack."""
    ann, _bo, lee, _kim, tia = team_of(db)
    alarm = replace(flag("f1"), rule_id="zh.agent.threat.visit_make_trouble", text=FALSE_ALARM)
    ops = CallOps(mask_text, user_id=ann.id, team_id=ann.team_id)
    for event in (started("c1"), final(1, FALSE_ALARM), final(2, MISSED), alarm):
        for op in ops.ops_for(event):
            apply_op(db, op)
    calls = CallRepository(db, mask_text)
    calls.set_verdict(
        lee.as_actor(), "c1", calls.get(lee.as_actor(), "c1").flags[0].id, "false_positive"
    )
    repo = ProposalRepository(db, mask_text)
    for words in (MISSED, "i will find you"):
        repo.note_missed(lee.as_actor(), "c1", "agent", 2, text=words, category="agent.threat")
    pack = tmp_path / "zh-CN"
    shutil.copytree(packs_dir() / "zh-CN", pack)
    panel = ProposalsPanel()
    qtbot.addWidget(panel)
    asked: list[tuple[str, list[str]]] = []

    def choose(_parent: object, proposal: Proposal, rules: list[str]) -> str | None:
        asked.append((proposal.ref, rules))
        return "zh.agent.threat.violence" if proposal.source == "missed" else rules[0]

    controller = ProposalsController(panel, repo, tia.as_actor(), lambda: pack, choose_rule=choose)
    panel.show()
    return Tab(db, tia, pack, panel, controller, asked)


def decisions(db: Database) -> list[tuple[str, str, str | None]]:
    with db.session() as session:
        rows = session.scalars(select(ExampleDecision).order_by(ExampleDecision.id))
        return [(d.source, d.decision, d.rule_id) for d in rows]


def test_accepting_writes_the_example_and_records_the_answer(qtbot: QtBot, tab: Tab) -> None:
    tab.controller.refresh()
    qtbot.waitUntil(lambda: tab.controller.model.rowCount() == 2)
    missed, fp = tab.refs()  # the English line is not for a Chinese pack
    assert missed.startswith("missed-")
    assert fp.startswith("fp-")
    model = tab.controller.model
    assert [model.data(model.index(0, c)) for c in (0, 1, 2, 3, 4)] == [
        "Should flag",
        MISSED,
        "Threat",
        "c1",
        "Lee",
    ]
    assert model.data(model.index(1, 2)) == "zh.agent.threat.visit_make_trouble"

    tab.select(missed)
    with qtbot.waitSignal(tab.controller.example_added, timeout=30_000) as written:
        tab.panel.accept.click()
    assert written.args == [str(tab.pack / "rules" / "agent_threat.yaml")]
    offered = tab.asked[0][1]
    assert tab.asked[0][0] == missed
    assert "zh.agent.threat.violence" in offered
    assert all(r.startswith("zh.agent.threat.") for r in offered)
    assert tab.refs() == [fp]
    assert tab.panel.status.text().startswith("Added to zh.agent.threat.violence as Should flag.")
    rule = next(r for r in load_pack(tab.pack).rules if r.id == "zh.agent.threat.violence")
    assert rule.examples.should_flag[-1] == MISSED
    assert decisions(tab.db) == [("missed", "accepted", "zh.agent.threat.violence")]

    tab.select(fp)
    tab.panel.accept.click()
    qtbot.waitUntil(lambda: tab.refs() == [], timeout=30_000)
    assert tab.asked[1][1][0] == "zh.agent.threat.visit_make_trouble"  # the rule that fired
    rule = next(
        r for r in load_pack(tab.pack).rules if r.id == "zh.agent.threat.visit_make_trouble"
    )
    assert rule.examples.should_not_flag[-1] == FALSE_ALARM


def test_dismissing_records_the_answer_and_a_second_answer_is_refused(
    qtbot: QtBot, tab: Tab
) -> None:
    tab.controller.refresh()
    qtbot.waitUntil(lambda: tab.controller.model.rowCount() == 2)
    missed, fp = tab.refs()
    tab.select(fp)
    tab.panel.dismiss.click()
    qtbot.waitUntil(lambda: tab.refs() == [missed])
    assert tab.panel.status.text() == "Dismissed."
    assert decisions(tab.db) == [("false_positive", "dismissed", None)]

    # Another trainer answered the missed flag meanwhile.
    source_id = int(missed.split("-")[1])
    ProposalRepository(tab.db, mask_text).decide(
        tab.trainer.as_actor(), "missed", source_id, "dismissed"
    )
    before = (tab.pack / "rules" / "agent_threat.yaml").read_bytes()
    tab.select(missed)
    tab.panel.accept.click()
    qtbot.waitUntil(lambda: "already dismissed" in tab.panel.status.text())
    assert (tab.pack / "rules" / "agent_threat.yaml").read_bytes() == before
    tab.controller.refresh()
    qtbot.waitUntil(lambda: tab.panel.status.text() == "Nothing waiting.")
    assert tab.refs() == []


def test_nothing_selected_or_no_rule_of_the_category_says_what_to_do(
    qtbot: QtBot, tab: Tab
) -> None:
    tab.controller.refresh()
    qtbot.waitUntil(lambda: tab.controller.model.rowCount() == 2)
    tab.panel.table.clearSelection()
    tab.panel.accept.click()
    assert tab.panel.status.text() == "Select a proposal first."
    for rules_file in (tab.pack / "rules").glob("agent_threat.yaml"):
        rules_file.unlink()  # the pack no longer has threat rules
    tab.controller.refresh()
    qtbot.waitUntil(lambda: "waiting" in tab.panel.status.text())
    tab.select(tab.refs()[0])
    tab.panel.accept.click()
    assert (
        tab.panel.status.text() == "The pack has no rule for Threat: write one in the editor first."
    )
    assert tab.asked == []
