"""Which zones a debtor's calls must suit, and clock arithmetic on DST change days."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from agent_assist.compliance.local_time import debtor_zones, first_instant, next_midnight
from agent_assist.compliance.policy import ContactPolicy, Window
from agent_assist.errors import UserError
from tests.core.compliance.contact_policies import CN, US, utc, verdict

NEW_YORK = ZoneInfo("America/New_York")
US_STATES = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC",
]  # fmt: skip


@pytest.mark.parametrize(
    ("policy", "time_zone", "region", "zones"),
    [
        # The debtor's own zone wins over the region.
        (US, "America/Denver", "New York", ("America/Denver",)),
        (CN, "Asia/Shanghai", None, ("Asia/Shanghai",)),
        # Else the region, by code or name, in any case and spacing.
        (US, "", "NY", ("America/New_York",)),
        (US, "", "new york", ("America/New_York",)),
        (US, "  ", "California", ("America/Los_Angeles",)),
        # A state across zones gives each: the call must suit them all.
        (US, "", "Texas", ("America/Chicago", "America/Denver")),
        (US, "", "FL", ("America/New_York", "America/Chicago")),
        (US, "", "Arizona", ("America/Phoenix", "America/Denver")),
        # Else the pack's default: one zone for all of China, every US zone.
        (CN, "", "广东省广州市", ("Asia/Shanghai",)),
        (CN, "", None, ("Asia/Shanghai",)),
        (US, "", "Atlantis", US.default_zones),
        (US, "", None, US.default_zones),
    ],
)
def test_debtor_zones(
    policy: ContactPolicy, time_zone: str, region: str | None, zones: tuple[str, ...]
) -> None:
    assert debtor_zones(policy, time_zone, region) == zones


def test_every_state_and_dc_has_its_zones() -> None:
    for code in US_STATES:
        assert debtor_zones(US, "", code) != US.default_zones, code
    assert {"America/New_York", "Pacific/Honolulu"} <= set(US.default_zones)


def test_a_stored_zone_that_is_no_zone_is_an_error_not_a_guess() -> None:
    with pytest.raises(UserError, match="'Beijing' is not an IANA zone name"):
        debtor_zones(CN, "Beijing", None)


@pytest.mark.parametrize(
    ("wall", "not_before", "instant"),
    [
        # An ordinary morning: 08:00 EST.
        (datetime(2026, 1, 5, 8), utc(2026, 1, 1), utc(2026, 1, 5, 13)),
        # 02:30 does not exist on 2026-03-08: the clock passes it at the jump (03:00 EDT).
        (datetime(2026, 3, 8, 2, 30), utc(2026, 3, 8), utc(2026, 3, 8, 7)),
        # 01:30 happens twice on 2026-11-01: first in EDT, then in EST.
        (datetime(2026, 11, 1, 1, 30), utc(2026, 11, 1), utc(2026, 11, 1, 5, 30)),
        (datetime(2026, 11, 1, 1, 30), utc(2026, 11, 1, 6), utc(2026, 11, 1, 6, 30)),
    ],
)
def test_first_instant_a_clock_reads_a_time(
    wall: datetime, not_before: datetime, instant: datetime
) -> None:
    assert first_instant(NEW_YORK, wall, not_before) == instant


def test_next_midnight_when_midnight_is_skipped() -> None:
    # Chile moves its clocks at midnight: 2026-09-06 begins at 01:00 (-03), 04:00 UTC.
    santiago = ZoneInfo("America/Santiago")

    assert next_midnight(santiago, utc(2026, 9, 5, 16)) == utc(2026, 9, 6, 4)
    assert next_midnight(NEW_YORK, utc(2026, 3, 7, 16)) == utc(2026, 3, 8, 5)  # EST midnight
    assert next_midnight(NEW_YORK, utc(2026, 3, 8, 16)) == utc(2026, 3, 9, 4)  # EDT midnight


def test_hours_opening_inside_the_spring_gap_open_at_the_jump() -> None:
    early = replace(US, hours=replace(US.hours, window=Window(time(2, 30), time(21))))

    result = verdict(early, utc(2026, 3, 8, 6), zones=("America/New_York",))  # 01:00 EST

    assert result.next_allowed == utc(2026, 3, 8, 7)  # 03:00 EDT, the first instant past 02:30
    assert verdict(early, utc(2026, 3, 8, 7), zones=("America/New_York",)).allowed
