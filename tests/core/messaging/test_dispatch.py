"""Sending and exporting waiting messages, with the case checked again just before."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from agent_assist.errors import AccessDenied
from agent_assist.messaging.dispatch import (
    CSV_COLUMNS,
    export_waiting,
    send_waiting,
    write_csv,
)
from agent_assist.messaging.gateway import GatewayError, GatewayUnreachable, OutgoingMessage
from agent_assist.messaging.outbox import OutboxRecord
from agent_assist.messaging.render import RenderedMessage
from agent_assist.store.cases_repo import CaseRepository
from agent_assist.store.people_repo import SYSTEM
from tests.core.messaging.builders import TEXT, Team, libraries, message

DAY_IN_CHINA = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
NIGHT_IN_CHINA = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 23:00


@dataclass
class ScriptedGateway:
    """Answers each message in turn: a reference, or an error to raise."""

    answers: list[str | GatewayError]
    received: list[OutgoingMessage] = field(default_factory=list)

    def send(self, outgoing: OutgoingMessage) -> str | None:
        self.received.append(outgoing)
        answer = self.answers.pop(0)
        if isinstance(answer, GatewayError):
            raise answer
        return answer


def queue_three(team: Team) -> list[int]:
    ann = team.ann.as_actor()
    ids = ("zh.sms.mid.reminder", "zh.sms.repayment_plan", "zh.sms.payment_thanks")
    return [team.outbox.queue(ann, message(team.case_id, t)).id for t in ids]


def test_sent_failed_and_retried(team: Team) -> None:
    first, second, third = queue_three(team)
    gateway = ScriptedGateway(["g-1", GatewayError("answered 500"), "g-3"])

    outcome = send_waiting(team.outbox, SYSTEM, gateway, libraries(), DAY_IN_CHINA)

    assert outcome.sent == [(first, "g-1"), (third, "g-3")]
    assert outcome.failed == [(second, "answered 500")]
    assert [m.case_ref for m in gateway.received] == ["L-1"] * 3
    assert gateway.received[0] == OutgoingMessage(first, "L-1", "zh.sms.mid.reminder", TEXT)
    (failed,) = team.outbox.waiting(SYSTEM)
    assert (failed.id, failed.status, failed.error) == (second, "failed", "answered 500")

    retry = send_waiting(team.outbox, SYSTEM, ScriptedGateway(["g-2"]), libraries(), DAY_IN_CHINA)

    assert retry.sent == [(second, "g-2")]
    assert team.outbox.waiting(SYSTEM) == []


def test_a_gateway_that_does_not_answer_stops_the_run_and_nothing_is_lost(team: Team) -> None:
    first, second, third = queue_three(team)
    gateway = ScriptedGateway([GatewayUnreachable("connection refused")])

    outcome = send_waiting(team.outbox, SYSTEM, gateway, libraries(), DAY_IN_CHINA)

    assert (outcome.sent, outcome.failed, outcome.untried) == (
        [],
        [(first, "connection refused")],
        2,
    )
    waiting = {m.id: m.status for m in team.outbox.waiting(SYSTEM)}
    assert waiting == {first: "failed", second: "queued", third: "queued"}


def test_outside_the_debtors_hours_messages_wait(team: Team) -> None:
    queue_three(team)
    gateway = ScriptedGateway([])

    outcome = send_waiting(team.outbox, SYSTEM, gateway, libraries(), NIGHT_IN_CHINA)

    assert gateway.received == []
    assert [why for _, why in outcome.held] == [
        "it is 23:00 for the debtor (Asia/Shanghai); messages may go out from 08:00 to 21:00 "
        "their time"
    ] * 3
    assert {m.status for m in team.outbox.waiting(SYSTEM)} == {"queued"}


def test_a_status_recorded_after_queueing_cancels_the_message(team: Team) -> None:
    (first, *_rest) = queue_three(team)
    CaseRepository(team.db).set_status(team.ann.as_actor(), team.case_id, "cease_requested")
    gateway = ScriptedGateway([])

    outcome = send_waiting(team.outbox, SYSTEM, gateway, libraries(), DAY_IN_CHINA)

    assert gateway.received == []
    assert len(outcome.cancelled) == 3
    assert "停止催收联系" in outcome.cancelled[0][1]
    assert team.outbox.waiting(SYSTEM) == []
    cancelled = {m.id: m.error for m in team.outbox.listed(SYSTEM, ["cancelled"])}
    assert (cancelled[first] or "").startswith("status_blocked: ")


def test_a_message_of_a_language_without_a_library_waits(team: Team) -> None:
    queued = team.outbox.queue(SYSTEM, RenderedMessage("x", "fr-FR", team.case_id, "Bonjour"))

    outcome = send_waiting(team.outbox, SYSTEM, ScriptedGateway([]), libraries(), DAY_IN_CHINA)

    assert outcome.held == [
        (queued.id, "no fr-FR message library is installed to check it against")
    ]


def test_export_writes_the_csv_the_bank_expects_without_a_phone_number(team: Team) -> None:
    ids = queue_three(team)
    out = io.StringIO()

    def write(records: Sequence[OutboxRecord]) -> None:
        write_csv(records, out)

    outcome = export_waiting(
        team.outbox, SYSTEM, libraries(), DAY_IN_CHINA, write, target="batch.csv"
    )

    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert (
        tuple(rows[0])
        == CSV_COLUMNS
        == (
            "case_ref",
            "template_id",
            "language",
            "text",
            "created_at",
        )
    )
    assert [row[:4] for row in rows[1:]] == [
        ["L-1", "zh.sms.mid.reminder", "zh-CN", TEXT],
        ["L-1", "zh.sms.repayment_plan", "zh-CN", TEXT],
        ["L-1", "zh.sms.payment_thanks", "zh-CN", TEXT],
    ]
    assert all(datetime.fromisoformat(row[4]).tzinfo is not None for row in rows[1:])
    assert "5678" not in out.getvalue()  # the debtor's (masked) phone is not even there
    assert [message_id for message_id, _ in outcome.sent] == ids
    assert team.outbox.waiting(SYSTEM) == []


def test_export_at_night_writes_nothing(team: Team) -> None:
    queue_three(team)
    calls: list[Sequence[OutboxRecord]] = []

    outcome = export_waiting(
        team.outbox, SYSTEM, libraries(), NIGHT_IN_CHINA, calls.append, target="x.csv"
    )

    assert (calls, outcome.sent, len(outcome.held)) == ([], [], 3)


def test_a_collector_may_neither_send_nor_export_and_changes_nothing(team: Team) -> None:
    queue_three(team)
    # The case is blocked now: a run by the lead would cancel every message.
    CaseRepository(team.db).set_status(team.ann.as_actor(), team.case_id, "deceased")
    ann = team.ann.as_actor()

    with pytest.raises(AccessDenied):
        send_waiting(team.outbox, ann, ScriptedGateway([]), libraries(), DAY_IN_CHINA)
    with pytest.raises(AccessDenied):
        export_waiting(team.outbox, ann, libraries(), DAY_IN_CHINA, print, target="x")

    assert {m.status for m in team.outbox.waiting(ann)} == {"queued"}
