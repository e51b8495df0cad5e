"""Proposed examples on SQLite and PostgreSQL: a lead's false positives and missed breaches
reach the trainers masked and audited, and each is answered exactly once."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from agent_assist.errors import AccessDenied, StoreError
from agent_assist.privacy import mask_text
from agent_assist.store import proposals_repo
from agent_assist.store.audit import read_audit
from agent_assist.store.call_log import CallOps, apply_op
from agent_assist.store.calls_repo import CallRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.proposals_repo import (
    Proposal,
    ProposalRepository,
    parse_ref,
    proposal_ref,
    text_language,
)
from agent_assist.store.records import UserRecord
from tests.core.store.builders import final, flag, started, team_of

THREAT_LINE = "我们明天就去你单位找你领导"
DEBTOR_LINE = "你们 再 打 我 电话 13800138000 我 就 投诉"


@dataclass(frozen=True)
class World:
    db: Database
    repo: ProposalRepository
    calls: CallRepository
    ann: UserRecord
    lee: UserRecord
    kim: UserRecord
    tia: UserRecord


@pytest.fixture
def world(db: Database) -> World:
    """Ann's call c1 (team red): the threat line with two flags on it, and a debtor line."""
    ann, _bo, lee, kim, tia = team_of(db)
    ops = CallOps(mask_text, user_id=ann.id, team_id=ann.team_id)
    events = (
        started("c1"),
        final(1, THREAT_LINE),
        final(2, DEBTOR_LINE, "debtor"),
        flag("f1"),
        replace(flag("f2"), rule_id="zh.agent.threat.other"),
    )
    for event in events:
        for op in ops.ops_for(event):
            apply_op(db, op)
    return World(
        db, ProposalRepository(db, mask_text), CallRepository(db, mask_text), ann, lee, kim, tia
    )


def judge(w: World, verdicts: dict[str, str]) -> dict[str, int]:
    """Lee's verdicts by live flag id; the flags' row ids."""
    rows = {f.flag_id: f.id for f in w.calls.get(SYSTEM, "c1").flags}
    for flag_id, verdict in verdicts.items():
        w.calls.set_verdict(w.lee.as_actor(), "c1", rows[flag_id], verdict)
    return rows


def note(w: World, text: str = DEBTOR_LINE, **changes: object) -> int:
    args: dict[str, object] = {
        "actor": w.lee.as_actor(),
        "call_id": "c1",
        "speaker": "debtor",
        "utterance": 2,
        "text": text,
        "category": "debtor.complaint_threat",
        "note": "call me on 13800138000 said the debtor",
    }
    args |= changes
    return w.repo.note_missed(**args)  # type: ignore[arg-type]


def test_false_positives_and_missed_breaches_are_proposed_masked(world: World) -> None:
    rows = judge(world, {"f1": "false_positive", "f2": "upheld"})
    missed = note(world)
    proposals = world.repo.proposals(world.tia.as_actor())
    assert [p.ref for p in proposals] == [f"missed-{missed}", f"fp-{rows['f1']}"]
    miss, false_positive = proposals
    assert miss == Proposal(
        source="missed",
        source_id=missed,
        kind="should_flag",
        text="你们 再 打 我 电话 138****8000 我 就 投诉",
        rule_id=None,
        category="debtor.complaint_threat",
        speaker="debtor",
        call_id="c1",
        utterance=2,
        by=world.lee.id,
        by_name="Lee",
        at=miss.at,
        note="call me on 138****8000 said the debtor",
    )
    assert (
        (false_positive.kind, false_positive.text, false_positive.flagged)
        == (
            "should_not_flag",
            THREAT_LINE,  # the whole line, not just the matched words
            THREAT_LINE[4:9],
        )
    )
    assert (false_positive.rule_id, false_positive.category) == (
        "zh.agent.threat.visit_workplace",
        "agent.threat",
    )
    assert (false_positive.by_name, false_positive.call_id) == ("Lee", "c1")


def test_only_leads_who_may_read_the_call_note_and_only_trainers_read_proposals(
    world: World,
) -> None:
    with pytest.raises(AccessDenied):
        note(world, actor=world.ann.as_actor())  # a collector
    with pytest.raises(AccessDenied):
        note(world, actor=world.tia.as_actor())  # a trainer
    with pytest.raises(AccessDenied, match="another collector or team"):
        note(world, actor=world.kim.as_actor())  # team blue's lead
    note(world, actor=SYSTEM)  # an admin
    for reader in (world.ann, world.lee):
        with pytest.raises(AccessDenied):
            world.repo.proposals(reader.as_actor())
        with pytest.raises(AccessDenied):
            world.repo.decide(reader.as_actor(), "missed", 1, "dismissed")
    assert len(world.repo.proposals(SYSTEM)) == 1


def test_a_note_names_a_real_line_and_a_category_of_its_speaker_once(world: World) -> None:
    with pytest.raises(StoreError, match="no line 7 of the debtor"):
        note(world, utterance=7)
    with pytest.raises(StoreError, match="no call"):
        note(world, call_id="nope")
    with pytest.raises(StoreError, match="said by the agent"):
        note(world, category="agent.threat")
    with pytest.raises(StoreError, match="unknown category"):
        note(world, category="debtor.complaint")
    with pytest.raises(StoreError, match="write the words"):
        note(world, text="  ")
    note(world)
    with pytest.raises(StoreError, match="already noted"):
        note(world, text=DEBTOR_LINE + " ")


def test_each_proposal_is_answered_once_and_then_leaves_the_list(world: World) -> None:
    rows = judge(world, {"f1": "false_positive"})
    missed = note(world)
    trainer = world.tia.as_actor()
    applied: list[tuple[str, str]] = []

    def apply(proposal: Proposal, rule_id: str) -> None:
        applied.append((proposal.ref, rule_id))

    with pytest.raises(StoreError, match="name the rule"):
        world.repo.decide(trainer, "missed", missed, "accepted", apply=apply)
    decided = world.repo.decide(trainer, "false_positive", rows["f1"], "accepted", apply=apply)
    assert decided.kind == "should_not_flag"
    assert applied == [(f"fp-{rows['f1']}", "zh.agent.threat.visit_workplace")]
    assert [p.ref for p in world.repo.proposals(trainer)] == [f"missed-{missed}"]
    with pytest.raises(StoreError, match="already accepted"):
        world.repo.decide(trainer, "false_positive", rows["f1"], "dismissed")
    world.repo.decide(trainer, "missed", missed, "dismissed", apply=apply)
    assert len(applied) == 1  # a dismissal writes nothing into a pack
    assert world.repo.proposals(trainer) == []
    with pytest.raises(StoreError, match="already dismissed"):
        world.repo.decide(trainer, "missed", missed, "accepted", "zh.debtor.x", apply=apply)
    with pytest.raises(StoreError, match="no proposal missed-999"):
        world.repo.decide(trainer, "missed", 999, "dismissed")
    upheld = judge(world, {"f2": "upheld"})["f2"]
    with pytest.raises(StoreError, match="no flag judged a false positive"):
        world.repo.decide(trainer, "false_positive", upheld, "dismissed")
    with pytest.raises(StoreError, match="decision must be"):
        world.repo.decide(trainer, "missed", missed, "maybe")


def test_a_failed_acceptance_records_nothing(world: World) -> None:
    missed = note(world)
    trainer = world.tia.as_actor()

    def broken(_proposal: Proposal, _rule_id: str) -> None:
        raise StoreError("the pack has no such rule")

    with pytest.raises(StoreError, match="no such rule"):
        world.repo.decide(trainer, "missed", missed, "accepted", "zh.x", apply=broken)
    assert [p.ref for p in world.repo.proposals(trainer)] == [f"missed-{missed}"]
    assert world.repo.get(trainer, "missed", missed).text.startswith("你们")


def test_a_trainer_who_answers_second_changes_no_file(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    missed = note(world)
    trainer = world.tia.as_actor()
    seen = world.repo.get(trainer, "missed", missed)  # what the second trainer's list showed
    world.repo.decide(trainer, "missed", missed, "dismissed")  # the first answer
    monkeypatch.setattr(proposals_repo, "_pending", lambda *_args: seen)
    applied: list[str] = []

    with pytest.raises(StoreError, match="already accepted or dismissed"):
        world.repo.decide(
            trainer, "missed", missed, "accepted", "zh.x", apply=lambda p, r: applied.append(r)
        )
    assert applied == [], "the example was not written into the pack"


def test_notes_reads_and_answers_are_audited_with_their_author(world: World) -> None:
    rows = judge(world, {"f1": "false_positive"})
    note(world)
    trainer = world.tia.as_actor()
    world.repo.proposals(trainer, language="zh")
    world.repo.decide(trainer, "false_positive", rows["f1"], "accepted", "zh.agent.threat.y")
    entries = [
        (e.actor_id, e.action, e.target_type, e.target_id, e.detail)
        for e in read_audit(world.db, SYSTEM)
    ]
    assert (world.lee.id, "note_missed", "call", "c1", "debtor.complaint_threat") in entries
    assert (world.tia.id, "read_proposals", "proposals", "zh", "2 proposals") in entries
    accepted = (world.tia.id, "example_accepted", "false_positive", str(rows["f1"]))
    assert (*accepted, "into zh.agent.threat.y") in entries


def test_the_language_filter_keeps_the_words_a_pack_of_that_language_can_take(
    world: World,
) -> None:
    note(world)
    note(world, text="stop calling me or I will complain")
    trainer = world.tia.as_actor()
    assert [p.text for p in world.repo.proposals(trainer, language="en")] == [
        "stop calling me or I will complain"
    ]
    assert len(world.repo.proposals(trainer, language="zh")) == 1
    assert len(world.repo.proposals(trainer)) == 2


def test_proposal_ids_read_back() -> None:
    assert parse_ref(" FP-12") == ("false_positive", 12)
    assert parse_ref(proposal_ref("missed", 3)) == ("missed", 3)
    for bad in ("fp12", "fp-x", "flag-3", ""):
        with pytest.raises(StoreError, match="fp-N or missed-N"):
            parse_ref(bad)
    assert (text_language("我 明天 去"), text_language("i will go 3")) == ("zh", "en")
