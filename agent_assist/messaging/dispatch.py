"""Letting waiting messages go: to the bank's gateway, or as a CSV file for it.

Just before a message leaves, the case is checked again: a status recorded
since it was queued (a cease request, a dispute…) cancels it, and outside the
debtor's sending hours it keeps waiting. Nothing is lost on the way: a message
the gateway does not take is marked failed and tried again next time.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from agent_assist.messaging.gateway import (
    Gateway,
    GatewayError,
    GatewayUnreachable,
    OutgoingMessage,
)
from agent_assist.messaging.outbox import OutboxRecord, OutboxRepository
from agent_assist.messaging.policy import Reason, sending_reasons
from agent_assist.messaging.templates import MessageLibrary
from agent_assist.store.access import require_role
from agent_assist.store.records import Actor

# What the bank receives: a case reference, never a phone number.
CSV_COLUMNS = ("case_ref", "template_id", "language", "text", "created_at")


@dataclass(frozen=True, slots=True)
class Sorted:
    ready: tuple[OutboxRecord, ...]
    held: tuple[tuple[OutboxRecord, Reason], ...]  # keep waiting (the hour, a missing library)
    stopped: tuple[tuple[OutboxRecord, Reason], ...]  # to cancel: the case forbids it now


@dataclass
class Outcome:
    """What became of the waiting messages; each list holds (message id, detail)."""

    sent: list[tuple[int, str | None]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    held: list[tuple[int, str]] = field(default_factory=list)
    cancelled: list[tuple[int, str]] = field(default_factory=list)
    untried: int = 0  # left waiting after the gateway stopped answering


def sort_waiting(
    messages: Sequence[OutboxRecord], libraries: Mapping[str, MessageLibrary], when: datetime
) -> Sorted:
    ready: list[OutboxRecord] = []
    held: list[tuple[OutboxRecord, Reason]] = []
    stopped: list[tuple[OutboxRecord, Reason]] = []
    for message in messages:
        library = libraries.get(message.language)
        if library is None:
            why = f"no {message.language} message library is installed to check it against"
            held.append((message, Reason("no_library", why)))
            continue
        reasons, _ = sending_reasons(
            message.case_status,
            when=when,
            hours=library.sms_hours,
            time_zone=message.time_zone or library.time_zone,
            blocked_statuses=library.blocked(),
        )
        blocked = [r for r in reasons if r.code == "status_blocked"]
        if blocked:
            stopped.append((message, blocked[0]))
        elif reasons:
            held.append((message, reasons[0]))
        else:
            ready.append(message)
    return Sorted(tuple(ready), tuple(held), tuple(stopped))


def send_waiting(
    outbox: OutboxRepository,
    actor: Actor,
    gateway: Gateway,
    libraries: Mapping[str, MessageLibrary],
    when: datetime,
) -> Outcome:
    """Post every message that may go now; stop at the first gateway that does not answer."""
    batch = _settle(outbox, actor, libraries, when)
    outcome = batch.outcome
    for index, message in enumerate(batch.ready):
        outgoing = OutgoingMessage(message.id, message.case_ref, message.template_id, message.text)
        try:
            ref = gateway.send(outgoing)
        except GatewayError as exc:
            outbox.mark_failed(actor, message.id, str(exc))
            outcome.failed.append((message.id, str(exc)))
            if isinstance(exc, GatewayUnreachable):
                outcome.untried = len(batch.ready) - index - 1
                break
            continue
        outbox.mark_sent(actor, message.id, ref)
        outcome.sent.append((message.id, ref))
    return outcome


def export_waiting(
    outbox: OutboxRepository,
    actor: Actor,
    libraries: Mapping[str, MessageLibrary],
    when: datetime,
    write: Callable[[Sequence[OutboxRecord]], None],
    *,
    target: str,
) -> Outcome:
    """Hand every message that may go now to ``write`` (e.g. :func:`write_csv`), marking it sent."""
    batch = _settle(outbox, actor, libraries, when)
    ids = [message.id for message in batch.ready]
    exported = outbox.export(actor, ids, write, target=target) if ids else []
    batch.outcome.sent.extend((message.id, f"export:{target}") for message in exported)
    return batch.outcome


def write_csv(messages: Sequence[OutboxRecord], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for m in messages:
        writer.writerow((m.case_ref, m.template_id, m.language, m.text, m.created_at.isoformat()))


@dataclass(frozen=True)
class _Batch:
    ready: tuple[OutboxRecord, ...]
    outcome: Outcome


def _settle(
    outbox: OutboxRepository,
    actor: Actor,
    libraries: Mapping[str, MessageLibrary],
    when: datetime,
) -> _Batch:
    """Sort the waiting messages; cancel those the case now forbids."""
    require_role(actor, "admin", "team_lead", to="send or export messages")
    sorted_ = sort_waiting(outbox.waiting(actor), libraries, when)
    outcome = Outcome()
    for message, reason in sorted_.stopped:
        outbox.cancel(actor, message.id, f"{reason.code}: {reason.message}")
        outcome.cancelled.append((message.id, reason.message))
    outcome.held.extend((message.id, reason.message) for message, reason in sorted_.held)
    return _Batch(sorted_.ready, outcome)
