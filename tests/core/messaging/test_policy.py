from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_assist.messaging.policy import MessageVerdict, check_message, sending_reasons
from agent_assist.messaging.render import render
from agent_assist.messaging.templates import MessageLibrary, MessageTemplate, load_library
from agent_assist.store.records import CaseRecord
from tests.core.messaging.builders import (
    EN_BANK,
    EN_CASE,
    LIBRARY_HEAD,
    ZH_BANK,
    ZH_CASE,
    libraries,
    matcher,
    promise,
    write_library,
)

# 10:00 in Shanghai, 20:00 the day before in Chicago: inside both windows.
MORNING_IN_CHINA = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
FIRST_STAGE = {"early": "M1", "mid": "M2", "late": "M4", "legal": "M6+"}


def verdict(
    case: CaseRecord,
    template: MessageTemplate,
    library: MessageLibrary,
    *,
    text: str | None = None,
    when: datetime = MORNING_IN_CHINA,
    last_call_outcome: str | None = None,
) -> MessageVerdict:
    bank = ZH_BANK if library.language == "zh-CN" else EN_BANK
    if text is None:
        text = render(
            template, library, case, bank, promise=promise(case), due_date=date(2026, 12, 1)
        ).text
    return check_message(
        case,
        template,
        text,
        library,
        matcher(library.language),
        when=when,
        hours=library.sms_hours,
        time_zone=case.debtor.time_zone,
        blocked_statuses=library.blocked(),
        last_call_outcome=last_call_outcome,
    )


def _bundled() -> list[tuple[str, str]]:
    return [(lang, t.id) for lang, lib in libraries().items() for t in lib.templates]


@pytest.mark.parametrize(("language", "template_id"), _bundled())
def test_every_bundled_template_passes_its_rule_pack(language: str, template_id: str) -> None:
    library = libraries()[language]
    template = library.template(template_id)
    base = ZH_CASE if language == "zh-CN" else EN_CASE
    case = replace(base, stage=FIRST_STAGE[template.stages[-1]])

    result = verdict(case, template, library)

    assert result.reasons == ()
    assert result.allowed


def _zh(template_id: str = "zh.sms.mid.reminder") -> tuple[MessageLibrary, MessageTemplate]:
    library = libraries()["zh-CN"]
    return library, library.template(template_id)


REFUSALS = [
    (replace(ZH_CASE, status="cease_requested"), {}, "status_blocked", "已要求停止催收联系"),
    (replace(ZH_CASE, status="bankrupt"), {}, "status_blocked", "破产程序"),
    (replace(ZH_CASE, status="disputed"), {}, "status_blocked", "异议"),
    (ZH_CASE, {"when": datetime(2026, 11, 27, 13, 0, tzinfo=UTC)}, "outside_hours", "21:00"),
    (ZH_CASE, {"when": datetime(2026, 11, 26, 23, 59, tzinfo=UTC)}, "outside_hours", "07:59"),
    (
        replace(ZH_CASE, debtor=replace(ZH_CASE.debtor, time_zone="Mars/Base")),
        {},
        "unknown_time_zone",
        "'Mars/Base' is unknown",
    ),
    (
        replace(ZH_CASE, debtor=replace(ZH_CASE.debtor, language="en-US")),
        {},
        "wrong_language",
        "the debtor reads en-US",
    ),
    (replace(ZH_CASE, stage="M6+"), {}, "wrong_stage", "case stage M6+ is the legal stage"),
    (
        ZH_CASE,
        {"text": "王芳你好，再不还钱我们就找人收拾你"},
        "flagged_text",
        "agent.threat (zh.agent.threat.violence)",
    ),
    (ZH_CASE, {"text": "王芳你好，请还款，不然就去你单位找你领导"}, "flagged_text", "agent."),
    (ZH_CASE, {"last_call_outcome": "wrong_number"}, "wrong_party", "third party"),
    (ZH_CASE, {"last_call_outcome": "third_party"}, "wrong_party", "confirm the debtor's number"),
]


@pytest.mark.parametrize(("case", "changes", "code", "fragment"), REFUSALS)
def test_each_reason_alone(
    case: CaseRecord, changes: dict[str, object], code: str, fragment: str
) -> None:
    library, template = _zh()

    result = verdict(case, template, library, **changes)  # type: ignore[arg-type]

    assert not result.allowed
    assert [reason.code for reason in result.reasons] == [code]
    assert fragment in result.reasons[0].message


@pytest.mark.parametrize(
    ("local", "allowed"),
    [(time(7, 59), False), (time(8, 0), True), (time(20, 59), True), (time(21, 0), False)],
)
def test_hours_start_inclusive_end_exclusive(local: time, allowed: bool) -> None:
    library, template = _zh()
    when = datetime.combine(date(2026, 11, 27), local, ZoneInfo("Asia/Shanghai"))

    assert verdict(ZH_CASE, template, library, when=when).allowed is allowed


def test_every_reason_together() -> None:
    library, template = _zh()
    case = replace(
        ZH_CASE,
        status="attorney_represented",
        stage="M5",
        debtor=replace(ZH_CASE.debtor, language="en-US"),
    )
    late_evening = datetime(2026, 11, 27, 14, 30, tzinfo=UTC)  # 22:30 in Shanghai

    result = verdict(case, template, library, text="你给我等着，有你好受的", when=late_evening)

    assert [reason.code for reason in result.reasons] == [
        "status_blocked",
        "outside_hours",
        "wrong_language",
        "wrong_stage",
        "flagged_text",
    ]
    assert result.local_time == late_evening.astimezone(ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("language", "text", "category"),
    [
        (
            "zh-CN",
            "【{bank_name}】{debtor_name}，再不还钱就找人收拾你，你给我等着。",
            "agent.threat",
        ),
        ("en-US", "{bank_name}: {debtor_name}, pay now or we will have you arrested.", "agent."),
    ],
)
def test_a_template_with_a_threat_is_refused_because_the_pack_flags_it(
    tmp_path: Path, language: str, text: str, category: str
) -> None:
    head = LIBRARY_HEAD.replace("zh-CN", language)
    head = head.replace(
        "Asia/Shanghai", "America/Chicago" if language == "en-US" else "Asia/Shanghai"
    )
    library = load_library(
        write_library(
            tmp_path, head + f'  - {{id: bad, stage: mid, purpose: reminder, text: "{text}"}}\n'
        )
    )
    base = ZH_CASE if language == "zh-CN" else EN_CASE
    case = replace(base, stage="M2")
    bank = ZH_BANK if language == "zh-CN" else EN_BANK
    message = render(library.templates[0], library, case, bank)

    result = check_message(
        case,
        library.templates[0],
        message.text,
        library,
        matcher(language),
        when=MORNING_IN_CHINA if language == "zh-CN" else datetime(2026, 11, 27, 16, tzinfo=UTC),
        hours=library.sms_hours,
        time_zone=case.debtor.time_zone,
        blocked_statuses=library.blocked(),
    )

    assert [reason.code for reason in result.reasons] == ["flagged_text"]
    assert category in result.reasons[0].message


def test_the_debtors_zone_follows_daylight_saving_time() -> None:
    hours = (time(8), time(21))
    # 12:30 UTC is 07:30 in New York on Saturday (EST) and 08:30 on Sunday (EDT from 2026-03-08).
    saturday = datetime(2026, 3, 7, 12, 30, tzinfo=UTC)

    before, _ = sending_reasons(
        "active", when=saturday, hours=hours, time_zone="America/New_York", blocked_statuses={}
    )
    after, local = sending_reasons(
        "active",
        when=saturday + timedelta(days=1),
        hours=hours,
        time_zone="America/New_York",
        blocked_statuses={},
    )

    assert [r.code for r in before] == ["outside_hours"]
    assert after == []
    assert local is not None
    assert local.hour == 8


ZONES = ["Asia/Shanghai", "America/New_York", "America/Phoenix", "America/Los_Angeles"]


@given(
    when=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
    start=st.integers(min_value=0, max_value=22),
    length=st.integers(min_value=1, max_value=23),
)
def test_sending_is_allowed_exactly_inside_the_local_hours(
    when: datetime, zone: str, start: int, length: int
) -> None:
    hours = (time(start), time(min(start + length, 23), 59))
    local = when.astimezone(ZoneInfo(zone)).time()

    reasons, _ = sending_reasons(
        "active", when=when, hours=hours, time_zone=zone, blocked_statuses={}
    )

    assert (reasons == []) == (hours[0] <= local < hours[1])


def test_a_naive_instant_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="time zone"):
        sending_reasons(
            "active",
            when=datetime(2026, 1, 1, 9),
            hours=(time(8), time(21)),
            time_zone="Asia/Shanghai",
            blocked_statuses={},
        )
