"""Amount and date out of a promise, as said and as Vosk prints it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agent_assist.compliance.promise_terms import PromiseTerms, promise_terms

WEDNESDAY = date(2026, 11, 25)

CASES = [
    ("zh", "我下周五先还五百块", "500", date(2026, 12, 4)),
    ("zh", "我 下 周五 先 还 五百 块", "500", date(2026, 12, 4)),
    ("zh", "这周五还你们两千", "2000", date(2026, 11, 27)),
    ("zh", "我月底还三千二百元", "3200", date(2026, 11, 30)),
    ("zh", "十五 号 之前 给 你们 转 两千", "2000", date(2026, 12, 15)),
    ("zh", "那我明天还一千五吧", "1500", date(2026, 11, 26)),
    ("zh", "12月3号还1万", "10000", date(2026, 12, 3)),
    ("zh", "下个月10号还八百", "800", date(2026, 12, 10)),
    ("zh", "后天上午十点前还六百", "600", date(2026, 11, 27)),
    ("zh", "发了工资就还", None, None),
    ("en", "I'll pay fifty dollars on Friday", "50", date(2026, 11, 27)),
    ("en", "i can send two hundred and fifty by the fifteenth", "250", date(2026, 12, 15)),
    ("en", "I will pay $85 tomorrow", "85", date(2026, 11, 26)),
    ("en", "next monday i can do a hundred bucks", "100", date(2026, 11, 30)),
    ("en", "December 3rd I can pay 40", "40", date(2026, 12, 3)),
    ("en", "I get paid at 5 pm Friday so 60", "60", date(2026, 11, 27)),
    ("en", "end of the month I'll send 300", "300", date(2026, 11, 30)),
    ("en", "I'll pay when I can", None, None),
]


@pytest.mark.parametrize(("language", "text", "amount", "due"), CASES)
def test_terms(language: str, text: str, amount: str | None, due: date | None) -> None:
    expected = PromiseTerms(Decimal(amount) if amount else None, due)
    assert promise_terms(text, language, WEDNESDAY) == expected


def test_a_day_of_month_already_past_means_next_month() -> None:
    assert promise_terms("15号还", "zh", date(2026, 12, 20)).due == date(2027, 1, 15)
    assert promise_terms("on the 31st", "en", date(2026, 11, 5)).due == date(2026, 12, 31)
