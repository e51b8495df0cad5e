"""Loading contact_policy.yaml: the bundled packs, and every problem at its line and column."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from agent_assist.compliance.policy import FILE, PolicyError, Window, load_policy
from tests.core.compliance.contact_policies import CN, US

BLOCKED = ("cease_requested", "attorney_represented", "disputed", "deceased", "bankrupt", "closed")
GOOD = """\
hours:
  start: "08:00"
  end: 21:00
  overridable: true
  message: "too late: {local} in {zone}"
time_zones:
  default: [Asia/Shanghai]
statuses:
  closed: closed
"""


def _write(folder: Path, text: str) -> Path:
    (folder / FILE).write_text(text, encoding="utf-8")
    return folder


def _problems(folder: Path, text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(_write(folder, text))
    return [str(problem).removeprefix(f"{folder / FILE}:") for problem in caught.value.problems]


def test_the_bundled_policies() -> None:
    assert CN.hours.window == Window(time(8), time(21))
    assert US.hours.window == Window(time(8), time(21))
    assert CN.sms_hours == US.sms_hours == Window(time(8), time(21))
    assert CN.default_zones == ("Asia/Shanghai",)
    assert CN.daily_cap is not None
    assert CN.daily_cap.attempts == 3
    assert CN.holidays is not None
    assert CN.holidays.country == "CN"
    assert (CN.rolling_cap, CN.after_conversation) == (None, None)
    assert US.rolling_cap is not None
    assert (US.rolling_cap.attempts, US.rolling_cap.days) == (7, 7)
    assert US.after_conversation is not None
    assert US.after_conversation.days == 7
    assert {"no_answer", "busy", "voicemail", "wrong_number", "third_party"} <= (
        US.after_conversation.not_conversation
    )
    assert (US.holidays, US.daily_cap) == (None, None)
    for policy in (CN, US):
        assert tuple(status for status, _ in policy.statuses) == BLOCKED
        assert policy.status_message("active") is None


def test_a_minimal_file(tmp_path: Path) -> None:
    policy = load_policy(_write(tmp_path, GOOD))

    # An unquoted 21:00 is a base-60 number to YAML 1.1: read as written.
    assert policy.hours.window == Window(time(8), time(21))
    assert (policy.regions, policy.holidays, policy.rolling_cap) == ((), None, None)


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        pytest.param(
            "", ["1:1: the file is empty; see docs/compliance.md for its format"], id="empty"
        ),
        pytest.param(
            "hours: [08:00\n",
            ["2:1: YAML syntax error: did not find expected ',' or ']' "
             "(while parsing a flow sequence started at 1:8)"],
            id="syntax",
        ),
        pytest.param(
            GOOD.replace('start: "08:00"', 'start: "8am"').replace("end: 21:00", 'end: "07:00"'),
            ['2:10: hours.start must be a time of day such as "08:00", not \'8am\''],
            id="bad-time",
        ),
        pytest.param(
            GOOD.replace("end: 21:00", 'end: "07:00"'),
            ["3:8: hours.end must be later than hours.start"],
            id="end-before-start",
        ),
        pytest.param(
            GOOD.replace("{zone}", "{timezone}"),
            ["5:12: message: unknown placeholder {timezone}; use {start}, {end}, {local}, {zone}"],
            id="placeholder",
        ),
        pytest.param(
            GOOD.replace("Asia/Shanghai", "Asia/Beijing"),
            ["7:13: 'Asia/Beijing' is not a time zone; use an IANA name such as Asia/Shanghai "
             "or America/New_York"],
            id="zone",
        ),
        pytest.param(
            GOOD.replace("  closed: closed", "  closd: closed"),
            ["9:3: unknown key 'closd' in statuses (did you mean 'closed'?); allowed: "
             "active, disputed, cease_requested, attorney_represented, deceased, bankrupt, closed"],
            id="status",
        ),
        pytest.param(
            GOOD + "daily_cap:\n  attempts: 0\n  overridable: maybe\n",
            ["11:3: daily_cap is missing key `message`",
             "11:13: attempts must be 1 or more, not 0",
             "12:16: overridable must be true or false, not a string"],
            id="cap",
        ),
        pytest.param(
            GOOD + "holidays:\n  country: US\n  overridable: false\n  message: x\n"
            "  unknown_message: \"{year} {when}\"\n",
            ["11:12: country must be one of CN, not 'US'",
             "14:20: unknown_message: unknown placeholder {when}; use {date}, {year}"],
            id="holidays",
        ),
        pytest.param(
            GOOD.replace("default: [Asia/Shanghai]", "default: []\n  regions:\n"
                         "    - {code: TX, name: Texas, zones: [America/Chicago]}\n"
                         "    - {code: tx, name: Tejas, zones: [America/Denver]}"),
            ["7:12: time_zones.default needs at least one time zone",
             "10:14: region 'tx' is listed twice (first at line 9)"],
            id="regions",
        ),
        pytest.param(
            GOOD + "after_conversation:\n  days: 7\n  not_conversation: []\n"
            "  overridable: true\n  message: \"{last}\"\n",
            ["12:21: not_conversation lists no call outcome; without it every unanswered "
             "call would count as a conversation"],
            id="conversations",
        ),
        pytest.param(
            "hours:\n  start: \"08:00\"\ntime_zone: {}\n",
            ["1:1: the contact policy is missing keys `time_zones`, `statuses`",
             "2:3: hours is missing keys `end`, `overridable`, `message`",
             "3:1: unknown key 'time_zone' in the contact policy (did you mean 'time_zones'?); "
             "allowed: hours, time_zones, statuses, sms_hours, holidays, daily_cap, "
             "rolling_cap, after_conversation"],
            id="keys",
        ),
    ],
)  # fmt: skip
def test_problems_are_reported_at_their_line_and_column(
    tmp_path: Path, text: str, problems: list[str]
) -> None:
    assert _problems(tmp_path, text) == problems


def test_a_broken_file_is_refused_whole_with_every_problem(tmp_path: Path) -> None:
    text = GOOD.replace("Asia/Shanghai", "Mars/Olympus").replace("{zone}", "{where}")

    with pytest.raises(PolicyError) as caught:
        load_policy(_write(tmp_path, text))

    message = str(caught.value)
    assert message.startswith(f"contact policy {tmp_path / FILE} was not loaded (2 problems):")
    assert ":5:12: message: unknown placeholder {where}" in message
    assert ":7:13: 'Mars/Olympus' is not a time zone" in message


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"contact_policy.yaml:1:1: missing contact_policy.yaml"):
        load_policy(tmp_path)
