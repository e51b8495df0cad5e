"""The words of an exported report, in its language (a file, not the window: no Qt here).

Category ids stay the contract in data; these names are what a reader sees.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_TEXT: dict[Lang, dict[str, str]] = {
    "zh": {
        "title": "通话质检报告",
        "period": "统计期间：{since} 至 {until}（按 UTC 日期，每周从周一开始）",
        "team": "团队：{team}",
        "all_teams": "团队：全部",
        "made": "生成时间：{at}",
        "collector_weeks": "每位催收员每周标记数",
        "category_weeks": "各类别每周趋势",
        "rule_rates": "各规则误报率（培训待办，最差在前）",
        "promises": "承诺还款兑现率",
        "section": "部分",
        "week": "周（周一）",
        "collector": "催收员",
        "category": "类别",
        "rule": "规则",
        "count": "数量",
        "of": "总数",
        "rate": "比率",
        "flags": "标记",
        "critical": "严重",
        "false_positives": "误报",
        "verdicts": "判定",
        "kept": "已兑现",
        "broken": "未兑现",
        "total": "合计",
        "none": "本期间没有数据。",
        "chart_collectors": "标记最多的催收员（每周）",
        "chart_categories": "标记最多的类别（每周）",
        "chart_rules": "误报率最高的规则",
    },
    "en": {
        "title": "Call review report",
        "period": "Period: {since} to {until} (UTC days, weeks start on Monday)",
        "team": "Team: {team}",
        "all_teams": "Team: all teams",
        "made": "Made: {at}",
        "collector_weeks": "Flags per collector per week",
        "category_weeks": "Trend per category per week",
        "rule_rates": "False-positive rate per rule (the trainers' to-do list, worst first)",
        "promises": "Promises kept",
        "section": "section",
        "week": "week (Monday)",
        "collector": "collector",
        "category": "category",
        "rule": "rule",
        "count": "count",
        "of": "of",
        "rate": "rate",
        "flags": "Flags",
        "critical": "Critical",
        "false_positives": "False positives",
        "verdicts": "Verdicts",
        "kept": "Kept",
        "broken": "Broken",
        "total": "Total",
        "none": "Nothing in this period.",
        "chart_collectors": "Collectors with the most flags (per week)",
        "chart_categories": "Categories with the most flags (per week)",
        "chart_rules": "Rules with the highest false-positive rate",
    },
}

_CATEGORIES: dict[Lang, dict[str, str]] = {
    "zh": {
        "agent.threat": "威胁",
        "agent.insult": "辱骂",
        "agent.false_legal": "虚假法律威胁",
        "agent.third_party_disclosure": "向第三方透露债务",
        "agent.harassment": "骚扰",
        "debtor.evasion": "回避",
        "debtor.wishful_thinking": "侥幸心理",
        "debtor.hardship": "经济困难",
        "debtor.dispute": "异议",
        "debtor.promise_to_pay": "承诺还款",
        "debtor.refusal": "拒绝还款",
        "debtor.wrong_party": "非本人",
        "debtor.complaint_threat": "扬言投诉",
        "debtor.vulnerability": "弱势债务人",
        "debtor.legal_representation": "已委托律师",
        "debtor.cease_request": "要求停止来电",
        "required_statement": "必要声明未说",
    },
    "en": {
        "agent.threat": "Threat",
        "agent.insult": "Insult",
        "agent.false_legal": "False legal threat",
        "agent.third_party_disclosure": "Debt disclosed to a third party",
        "agent.harassment": "Harassment",
        "debtor.evasion": "Evasion",
        "debtor.wishful_thinking": "Wishful thinking",
        "debtor.hardship": "Hardship",
        "debtor.dispute": "Dispute",
        "debtor.promise_to_pay": "Promise to pay",
        "debtor.refusal": "Refusal to pay",
        "debtor.wrong_party": "Wrong party",
        "debtor.complaint_threat": "Complaint threat",
        "debtor.vulnerability": "Vulnerable debtor",
        "debtor.legal_representation": "Has a lawyer",
        "debtor.cease_request": "Asks to stop calling",
        "required_statement": "Required statement missed",
    },
}


def text(lang: Lang, key: str) -> str:
    return _TEXT[lang][key]


def category_name(lang: Lang, category: str) -> str:
    """The category's name, or its id when the taxonomy has grown past this list."""
    return _CATEGORIES[lang].get(category, category)
