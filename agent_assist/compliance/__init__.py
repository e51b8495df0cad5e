"""The compliance guard and what follows a call.

Pre-dial check (``docs/compliance.md``): may a debtor be called now?

- :mod:`.policy`: a pack's ``contact_policy.yaml`` (hours, caps, holidays, blocked statuses)
- :mod:`.calendar`: statutory holiday calendars
- :mod:`.local_time`: the debtor's time zones; DST-safe clock arithmetic
- :mod:`.check`: ``check(policy, calendar, facts, history, when) -> Verdict``

Nothing is imported here, so each module loads only what it uses.
"""
