"""A small review report built by hand: every table with known figures."""

from __future__ import annotations

from datetime import date

from agent_assist.store.reports_repo import (
    CategoryWeek,
    CollectorWeek,
    PromiseRate,
    ReviewReport,
    RuleRate,
)

SAMPLE = ReviewReport(
    since=date(2026, 11, 1),
    until=date(2026, 11, 14),
    team="华东一组",
    collector_weeks=(
        CollectorWeek(date(2026, 10, 26), "张伟", flags=4, critical=1),
        CollectorWeek(date(2026, 11, 2), "张伟", flags=7, critical=2),
        CollectorWeek(date(2026, 11, 9), "Maria Lopez", flags=3, critical=0),
    ),
    category_weeks=(
        CategoryWeek(date(2026, 11, 2), "agent.threat", 5),
        CategoryWeek(date(2026, 11, 9), "debtor.hardship", 3),
    ),
    rule_rates=(
        RuleRate("zh.debtor.hardship.job_loss", "debtor.hardship", 3, 4),
        RuleRate("zh.agent.threat.visit_workplace", "agent.threat", 0, 5),
    ),
    promise_rates=(PromiseRate("张伟", kept=3, broken=1), PromiseRate("Maria Lopez", 0, 0)),
)
