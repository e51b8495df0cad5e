"""Cases, promises and small template libraries for the messaging tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from agent_assist.messaging.outbox import OutboxRepository
from agent_assist.messaging.render import BankDetails, RenderedMessage
from agent_assist.messaging.templates import MessageLibrary, bundled_libraries
from agent_assist.rules.live import Matcher
from agent_assist.store.cases_repo import CaseInput, CaseRepository
from agent_assist.store.database import Database
from agent_assist.store.people_repo import SYSTEM
from agent_assist.store.records import CaseRecord, DebtorRecord, PromiseRecord
from tests.core.store.builders import team_of

ZH_DEBTOR = DebtorRecord(
    id=1,
    external_ref="D-1",
    name="王芳",
    national_id="110***********4573",
    phones=("138****5678",),
    region="北京",
    time_zone="Asia/Shanghai",
    segment="prime",
    language="zh-CN",
)
ZH_CASE = CaseRecord(
    id=7,
    external_ref="L-7",
    debtor=ZH_DEBTOR,
    product="信用卡",
    currency="CNY",
    principal=Decimal("20000.00"),
    overdue_amount=Decimal("3200.50"),
    days_past_due=45,
    stage="M2",
    status="active",
    assigned_user_id=1,
)
EN_CASE = replace(
    ZH_CASE,
    external_ref="L-8",
    debtor=replace(
        ZH_DEBTOR, name="Maria Lopez", time_zone="America/Chicago", language="en-US", region="IL"
    ),
    product="credit card",
    currency="USD",
    overdue_amount=Decimal("1234"),
    stage="M1",
)
ZH_BANK = BankDetails("华信银行", "400-820-8888")
EN_BANK = BankDetails("Northwind Bank", "1-800-555-0199")


def promise(case: CaseRecord, amount: str = "500", status: str = "pending") -> PromiseRecord:
    return PromiseRecord(
        id=3,
        case_id=case.id,
        call_id=None,
        amount=Decimal(amount),
        currency=case.currency,
        due_date=date(2026, 12, 5),
        status=status,
    )


@cache
def libraries() -> dict[str, MessageLibrary]:
    return bundled_libraries()


@cache
def matcher(language: str) -> Matcher:
    from agent_assist.rules.loader import load_pack
    from agent_assist.rules.matcher import compile_pack
    from agent_assist.rules.registry import resolve_pack

    return compile_pack(load_pack(resolve_pack(language)))


LIBRARY_HEAD = """\
library:
  language: zh-CN
  version: 1.0
  time_zone: Asia/Shanghai
  sms_hours: ["08:00", "21:00"]
  date_format: "{year}年{month}月{day}日"
stages:
  early: [M0, M1]
  mid: [M2, M3]
blocked_statuses:
  cease_requested: 已要求停止联系
templates:
"""

TEMPLATE = """\
  - id: t.one
    stage: early
    purpose: reminder
    text: "{debtor_name}您好，请还款。"
"""


def write_library(folder: Path, text: str) -> Path:
    path = folder / "messages.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- the outbox in a database ----------------------------------------------------------

TEXT = "【华信银行】尊敬的王芳，请于2026年12月1日前还款。"
ANNS_CASE = CaseInput(
    case_ref="L-1",
    debtor_ref="D-1",
    name="王芳",
    national_id="110***********4573",
    phones=("138****5678",),
    region="北京",
    time_zone="Asia/Shanghai",
    segment="prime",
    language="zh-CN",
    product="信用卡",
    currency="CNY",
    principal=Decimal("20000.00"),
    overdue_amount=Decimal("3200.50"),
    days_past_due=45,
    stage="M2",
    assigned_username="ann",
)


class Team:
    """Team red (collectors ann and bo, lead lee), kim leading blue, trainer tia; a case each
    for ann and bo."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.ann, self.bo, self.lee, self.kim, self.tia = team_of(db)
        cases = CaseRepository(db)
        bos = replace(ANNS_CASE, case_ref="L-2", debtor_ref="D-2", assigned_username="bo")
        cases.upsert_many(SYSTEM, [ANNS_CASE, bos], source="t")
        self.case_id = cases.assigned_to(self.ann.as_actor())[0].id
        self.bo_case_id = cases.assigned_to(self.bo.as_actor())[0].id
        self.outbox = OutboxRepository(db)


def message(case_id: int, template_id: str = "zh.sms.mid.reminder") -> RenderedMessage:
    return RenderedMessage(template_id, "zh-CN", case_id, TEXT)
