"""The debtor's local time: which zones apply, and clock arithmetic that survives DST.

Offsets are never fixed: every conversion goes through ``zoneinfo``, so the
same rule holds on the days clocks change (in the US on 2026-03-08 and
2026-11-01), when a local time may not exist or may happen twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from agent_assist.compliance.policy import ContactPolicy, known_zones, region_key
from agent_assist.errors import UserError

_SECOND = timedelta(seconds=1)


def debtor_zones(
    policy: ContactPolicy, time_zone: str | None, region: str | None
) -> tuple[str, ...]:
    """The zones a debtor's calls must suit: their own, else their region's, else the pack's.

    A region that spans zones gives them all (the most restrictive reading: a
    call must be allowed in each), and so does a pack default with several.
    """
    name = (time_zone or "").strip()
    if name:
        if name not in known_zones():
            raise UserError(
                f"the debtor's time zone {name!r} is not an IANA zone name; correct it in "
                "the bank's case list (for example Asia/Shanghai or America/Chicago)"
            )
        return (name,)
    if region:
        key = region_key(region)
        for entry in policy.regions:
            if key in (region_key(entry.code), region_key(entry.name)):
                return entry.zones
    return policy.default_zones


@cache
def zone_info(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def first_instant(zone: ZoneInfo, wall: datetime, not_before: datetime) -> datetime:
    """The earliest instant (UTC) ≥ ``not_before`` at which the clock in ``zone`` reads ``wall``.

    ``wall`` is naive. A wall time repeated when clocks go back is read at its
    first occurrence that is not before ``not_before``; one skipped when clocks
    go forward is reached at the jump, when the clock passes it.
    """
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if _reads(zone, instant) != wall:  # skipped: both folds straddle the jump
            instant = _jump(zone, wall, instant, fold)
        if instant >= not_before:
            found.append(instant)
    # Both occurrences lie before not_before only if the caller asked for a wall time
    # already passed; the next instant is then the soonest that can still qualify.
    return min(found) if found else not_before + _SECOND


def next_midnight(zone: ZoneInfo, after: datetime) -> datetime:
    """The instant the next local day begins in ``zone``."""
    today = after.astimezone(zone).date()
    return first_instant(
        zone, datetime.combine(today + timedelta(days=1), datetime.min.time()), after
    )


def _reads(zone: ZoneInfo, instant: datetime) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _jump(zone: ZoneInfo, wall: datetime, instant: datetime, fold: int) -> datetime:
    """The first instant whose wall time is ≥ ``wall`` (a time the clocks skip)."""
    other = wall.replace(tzinfo=zone, fold=1 - fold).astimezone(UTC)
    low, high = sorted((instant, other))  # the wall clock reads before ``wall`` at low
    while high - low > _SECOND:
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _reads(zone, middle) >= wall:
            high = middle
        else:
            low = middle
    return high
