"""May this message go out now? A pure check: everything it needs is passed in.

There is no recipient to check: a message belongs to a case and the bank sends
it to that case's own debtor (it resolves the number from the case reference),
so nothing here can address a relative, a colleague or any other third party.
What can still go wrong is checked, and every reason is listed, not only the
first: the debtor's local hour, a case status that forbids contact, a template
of another language or stage, and text the rule pack would flag if a collector
said it on a call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent_assist.messaging.templates import MessageLibrary, MessageTemplate
from agent_assist.rules.live import Matcher
from agent_assist.store.records import CaseRecord


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # outside_hours | status_blocked | wrong_language | wrong_stage | flagged_text | …
    message: str


@dataclass(frozen=True, slots=True)
class MessageVerdict:
    reasons: tuple[Reason, ...]
    local_time: datetime | None  # the debtor's, when their time zone is known

    @property
    def allowed(self) -> bool:
        return not self.reasons


def sending_reasons(
    status: str,
    *,
    when: datetime,
    hours: tuple[time, time],
    time_zone: str,
    blocked_statuses: Mapping[str, str],
) -> tuple[list[Reason], datetime | None]:
    """What forbids sending anything to a case in ``status`` at ``when``: checked on queueing
    and again just before a message leaves, as the status or the hour may have changed."""
    if when.tzinfo is None:
        raise ValueError("give `when` with a time zone")
    reasons: list[Reason] = []
    if status in blocked_statuses:
        reasons.append(Reason("status_blocked", blocked_statuses[status]))
    try:
        local = when.astimezone(ZoneInfo(time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        message = f"the debtor's time zone {time_zone!r} is unknown, so their local time is too"
        return [*reasons, Reason("unknown_time_zone", message)], None
    start, end = hours
    if not start <= local.time() < end:
        reasons.append(
            Reason(
                "outside_hours",
                f"it is {local:%H:%M} for the debtor ({time_zone}); messages may go out "
                f"from {start:%H:%M} to {end:%H:%M} their time",
            )
        )
    return reasons, local


# Call outcomes saying the number on file is not the debtor's.
WRONG_PARTY_OUTCOMES = frozenset({"wrong_number", "third_party"})


def check_message(
    case: CaseRecord,
    template: MessageTemplate,
    text: str,
    library: MessageLibrary,
    matcher: Matcher,
    *,
    when: datetime,
    hours: tuple[time, time],
    time_zone: str,
    blocked_statuses: Mapping[str, str],
    last_call_outcome: str | None = None,
) -> MessageVerdict:
    """Every reason the rendered ``text`` of ``template`` may not be queued for ``case``.

    ``matcher`` is the compiled rule pack of the template's language; the text is
    matched as a collector's final utterance, the path a live call takes.
    """
    from agent_assist.rules.quality import scan  # the text tools load slowly

    reasons, local = sending_reasons(
        case.status, when=when, hours=hours, time_zone=time_zone, blocked_statuses=blocked_statuses
    )
    if last_call_outcome in WRONG_PARTY_OUTCOMES:
        reasons.append(
            Reason(
                "wrong_party",
                f"the last call on this case reached someone else ({last_call_outcome}); "
                "a text to that number would tell a third party about the debt: "
                "confirm the debtor's number first",
            )
        )
    reads = case.debtor.language
    if _primary(reads) != _primary(template.language):
        message = f"template {template.id} is {template.language}; the debtor reads {reads}"
        reasons.append(Reason("wrong_language", message))
    stage = library.call_stage(case.stage)
    if stage not in template.stages:
        stages = ", ".join(template.stages)
        where = f"the {stage} stage" if stage else "no call stage in the library"
        reasons.append(
            Reason(
                "wrong_stage",
                f"template {template.id} is for the {stages} stage; case stage {case.stage} "
                f"is {where}",
            )
        )
    for flag in scan(matcher, text, "agent"):
        reasons.append(
            Reason(
                "flagged_text",
                f"the text is flagged {flag.category} ({flag.rule_id}) at "
                f"“{text[flag.start : flag.end]}”: {flag.explanation}",
            )
        )
    return MessageVerdict(tuple(reasons), local)


def _primary(language: str) -> str:
    return language.split("-", 1)[0].casefold()
