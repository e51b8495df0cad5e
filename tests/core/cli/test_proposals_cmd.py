"""``agent-assist proposals list | accept | dismiss``: from a lead's verdicts to a pack's
examples, on a SQLite file and a copy of the bundled Chinese pack."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from agent_assist.cli import main
from agent_assist.privacy import mask_text
from agent_assist.rules.loader import load_pack
from agent_assist.rules.registry import packs_dir
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.database import open_database
from agent_assist.store.proposals_repo import ProposalRepository
from tests.core.store.builders import final, flag, started, team_of

FALSE_ALARM = "我们 会 依法 处理 不会 上门 闹"
MISSED = "我 天天 去 你 家 门口 蹲 着 你 跑 不 了"


@pytest.fixture
def proposals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """A false positive (fp) and a missed threat (missed) on Ann's call; their ids."""
    url = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.setenv("AGENT_ASSIST_DB_URL", url)
    db = open_database(url)
    try:
        ann, _bo, lee, *_ = team_of(db)
        alarm = replace(flag("f1"), rule_id="zh.agent.threat.visit_make_trouble", text=FALSE_ALARM)
        ops = CallOps(mask_text, user_id=ann.id, team_id=ann.team_id)
        for event in (started("c1"), final(1, FALSE_ALARM), final(2, MISSED), alarm):
            for op in ops.ops_for(event):
                apply_op(db, op)
        calls = CallRepository(db, mask_text)
        row = calls.get(lee.as_actor(), "c1").flags[0].id
        calls.set_verdict(lee.as_actor(), "c1", row, "false_positive")
        missed = ProposalRepository(db, mask_text).note_missed(
            lee.as_actor(), "c1", "agent", 2, text=MISSED, category="agent.threat"
        )
        return row, missed
    finally:
        db.close()


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "zh-CN"
    shutil.copytree(packs_dir() / "zh-CN", folder)
    return folder


def examples(pack: Path, rule_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    rule = next(r for r in load_pack(pack).rules if r.id == rule_id)
    return rule.examples.should_flag, rule.examples.should_not_flag


def test_list_accept_and_dismiss(
    proposals: tuple[int, int], pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fp, missed = proposals
    assert main(["proposals", "list", "--as", "tia", "--pack", str(pack)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith(f"missed-{missed}  should_flag  agent.threat  call c1  Lee  ")
    assert listed[0].endswith(MISSED)
    assert listed[1].startswith(f"fp-{fp}  should_not_flag  zh.agent.threat.visit_make_trouble")
    assert len(listed) == 2
    assert main(["proposals", "list", "--as", "tia", "--pack", "en-US"]) == 0
    assert capsys.readouterr().out == "no proposals waiting\n"

    assert main(["proposals", "accept", f"fp-{fp}", "--pack", str(pack), "--as", "tia"]) == 0
    out = capsys.readouterr().out
    rule = "zh.agent.threat.visit_make_trouble"
    assert out.startswith(f"fp-{fp}: added to {rule} as should_not_flag in rules/agent_threat")
    assert FALSE_ALARM in examples(pack, rule)[1]

    accept_missed = ["proposals", "accept", f"missed-{missed}", "--pack", str(pack), "--as", "tia"]
    assert main(accept_missed) == 2
    assert "name the rule" in capsys.readouterr().err
    assert main([*accept_missed, "--rule", "zh.agent.threat.violence"]) == 0
    out = capsys.readouterr().out
    assert "added to zh.agent.threat.violence as should_flag" in out
    assert MISSED in examples(pack, "zh.agent.threat.violence")[0]

    assert main(["proposals", "dismiss", f"fp-{fp}", "--as", "tia"]) == 2
    assert "already accepted" in capsys.readouterr().err
    assert main(["proposals", "list", "--as", "tia"]) == 0
    assert capsys.readouterr().out == "no proposals waiting\n"


def test_an_example_the_rule_disobeys_is_added_with_a_note(
    proposals: tuple[int, int], pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fp, missed = proposals
    argv = ["proposals", "accept", f"missed-{missed}", "--rule", "zh.debtor.complaint.hotline"]
    # A rule of the other side: accepted as asked, and the trainer is told it does not fire.
    assert main([*argv, "--pack", str(pack), "--as", "tia"]) == 0
    out = capsys.readouterr().out
    assert "note: zh.debtor.complaint.hotline does not flag this sentence yet" in out
    assert MISSED in examples(pack, "zh.debtor.complaint.hotline")[0]


def test_refusals_are_one_line_and_change_nothing(
    proposals: tuple[int, int], pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fp, _missed = proposals
    before = (pack / "rules" / "agent_threat.yaml").read_bytes()
    assert main(["proposals", "list", "--as", "lee"]) == 2
    assert "only a trainer, admin may read proposed examples" in capsys.readouterr().err
    bad_rule = ["--rule", "zh.agent.threat.nope", "--pack", str(pack), "--as", "tia"]
    assert main(["proposals", "accept", f"fp-{fp}", *bad_rule]) == 2
    assert "has no rule 'zh.agent.threat.nope'" in capsys.readouterr().err
    assert main(["proposals", "dismiss", "fp-x", "--as", "tia"]) == 2
    assert "fp-N or missed-N" in capsys.readouterr().err
    assert (pack / "rules" / "agent_threat.yaml").read_bytes() == before
    assert main(["proposals", "list", "--as", "tia"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2  # both still waiting


def test_a_shipped_pack_id_edits_the_trainers_working_copy(
    proposals: tuple[int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path / "data"))
    fp, _missed = proposals
    installed = packs_dir() / "zh-CN" / "rules" / "agent_threat.yaml"
    before = installed.read_bytes()
    assert main(["proposals", "accept", f"fp-{fp}", "--pack", "zh-CN", "--as", "lee"]) == 2
    assert "only a trainer, admin may accept" in capsys.readouterr().err
    assert not (tmp_path / "data" / "drafts").exists(), "nothing made for a refused user"

    assert main(["proposals", "accept", f"fp-{fp}", "--pack", "zh-CN", "--as", "tia"]) == 0

    copy = tmp_path / "data" / "drafts" / "rule_pack" / "zh-CN"
    assert f"the working copy {copy} holds it" in capsys.readouterr().out
    assert FALSE_ALARM in examples(copy, "zh.agent.threat.visit_make_trouble")[1]
    assert installed.read_bytes() == before, "the installed pack is never changed"
