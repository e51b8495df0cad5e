"""Parsing one cell of a case list: amounts, days, stages, statuses, IDs, phones, zones.

Each parser returns the stored value or raises :class:`BadValue` with the rest
of the sentence ("is not an amount"); the row checker puts the column and the
(masked) value in front. Full-width characters are folded first (NFKC), since
Chinese input methods type ``１２３``, ``￥`` and ``；``.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from decimal import Decimal
from functools import cache

import phonenumbers
from phonenumbers import timezone
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from agent_assist.store.cases_repo import CASE_STATUSES


class BadValue(ValueError):
    def __init__(self, reason: str, value: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value  # the part at fault, when not the whole cell (one of several phones)


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# ---- amounts -------------------------------------------------------------------------

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # the store's Numeric(14, 2)
_AMOUNT = re.compile(
    r"(?P<symbol>US\$|\$|¥|RMB|CNY|USD)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<wan>万)?(?P<unit>元|美元)?"
)
_SYMBOL_CURRENCY = {
    "$": "USD",
    "US$": "USD",
    "USD": "USD",
    "美元": "USD",
    "¥": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "元": "CNY",
}


def parse_amount(text: str) -> tuple[Decimal, str | None]:
    """``1,234.56``, ``¥1,234``, ``$1,234``, ``1.2万`` → (amount, currency its symbol names)."""
    plain = re.sub(r"\s+", "", fold(text)).upper()
    if plain.startswith("-"):
        raise BadValue("is negative; amounts are 0 or more")
    match = _AMOUNT.fullmatch(plain)
    if match is None:
        raise BadValue("is not an amount")
    value = Decimal(match["number"].replace(",", ""))
    if match["wan"]:
        value *= 10_000
    if value > MAX_AMOUNT:
        raise BadValue("is too large for an amount")
    if value != value.quantize(CENT):
        raise BadValue("has more than 2 decimal places")
    currencies = {_SYMBOL_CURRENCY[s] for s in (match["symbol"], match["unit"]) if s}
    if len(currencies) > 1:
        raise BadValue("is not an amount")  # "$100元"
    return value.quantize(CENT), currencies.pop() if currencies else None


_CURRENCY_ALIASES = {"人民币": "CNY", "RMB": "CNY", "元": "CNY", "美元": "USD"}


def parse_currency(text: str) -> str:
    code = fold(text).upper()
    code = _CURRENCY_ALIASES.get(code, code)
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise BadValue("is not a currency code such as CNY or USD")
    return code


# ---- days and stages -----------------------------------------------------------------

MAX_DAYS = 36_500
STAGES = ("M0", "M1", "M2", "M3", "M4", "M5", "M6+")


def parse_days(text: str) -> int:
    plain = fold(text).replace(",", "").removesuffix("天").strip()
    if re.fullmatch(r"-\d+", plain):
        raise BadValue("is negative; days past due are 0 or more")
    if not re.fullmatch(r"\d+", plain):
        raise BadValue("is not a whole number of days")
    days = int(plain)
    if days > MAX_DAYS:
        raise BadValue("is more than 100 years")
    return days


def stage_for_days(days: int) -> str:
    """The usual 30-day buckets: M1 is 1-30 days past due, M6+ is 151 days and more."""
    return "M0" if days == 0 else STAGES[min(6, (days - 1) // 30 + 1)]


def parse_stage(text: str) -> str:
    match = re.fullmatch(r"M(\d{1,2})(\+?)", fold(text).upper())
    if match is None or (match[2] and int(match[1]) < 6):
        raise BadValue("is not a stage (M0, M1 … M5, M6+)")
    return STAGES[min(6, int(match[1]))]


# ---- status and language -------------------------------------------------------------

_STATUS_ALIASES = {
    "正常": "active",
    "争议": "disputed",
    "要求停催": "cease_requested",
    "律师代理": "attorney_represented",
    "已故": "deceased",
    "破产": "bankrupt",
    "结清": "closed",
    "已结清": "closed",
}


def parse_status(text: str) -> str:
    key = re.sub(r"[\s\-]+", "_", fold(text).casefold())
    status = key if key in CASE_STATUSES else _STATUS_ALIASES.get(key)
    if status is None:
        raise BadValue(f"is not a status ({', '.join(CASE_STATUSES)}, or 正常, 争议, 要求停催 …)")
    return status


LANGUAGES = ("zh-CN", "en-US")
_LANGUAGE_ALIASES = {
    **dict.fromkeys(("zhcn", "zh", "chinese", "中文", "汉语", "普通话"), "zh-CN"),
    **dict.fromkeys(("enus", "en", "english", "英文", "英语"), "en-US"),
}


def parse_language(text: str) -> str:
    language = _LANGUAGE_ALIASES.get(re.sub(r"[\s_\-]+", "", fold(text)).casefold())
    if language is None:
        raise BadValue(f"is not a supported language ({', '.join(LANGUAGES)})")
    return language


# ---- time zones ----------------------------------------------------------------------


@cache
def _zones() -> dict[str, str]:
    return {zone.casefold(): zone for zone in zoneinfo.available_timezones()}


def parse_time_zone(text: str) -> str:
    zone = _zones().get(fold(text).casefold())
    if zone is None:
        raise BadValue("is not a time zone; use an IANA name such as Asia/Shanghai")
    return zone


_REGION_ZONES = {
    **dict.fromkeys(("香港", "hongkong"), "Asia/Hong_Kong"),
    **dict.fromkeys(("澳门", "macau", "macao"), "Asia/Macau"),
    **dict.fromkeys(("台湾", "taiwan"), "Asia/Taipei"),
}
_LANGUAGE_ZONES = {"zh-CN": "Asia/Shanghai"}


def default_time_zone(region: str | None, language: str) -> str | None:
    """The zone to assume when none is given; None when it cannot be told (the US has six)."""
    if region:
        key = re.sub(r"\s+", "", fold(region)).casefold()
        key = key.removesuffix("特别行政区").removesuffix("省")
        if key in _REGION_ZONES:
            return _REGION_ZONES[key]
    return _LANGUAGE_ZONES.get(language)


def zone_from_phones(phones: tuple[str, ...], language: str) -> str | None:
    """The time zone of the phones' area, when every phone points at one single zone."""
    region = "US" if language == "en-US" else "CN"
    zones: set[str] = set()
    for phone in phones:
        try:
            number = phonenumbers.parse(phone, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            zones.update(z for z in timezone.time_zones_for_number(number) if z != "Etc/Unknown")
    return zones.pop() if len(zones) == 1 else None


# ---- personal numbers ----------------------------------------------------------------


def parse_national_id(text: str) -> str:
    """A mainland resident ID, validated (GB 11643 checksum, birth date and place)."""
    try:
        return ric.validate(fold(text))
    except InvalidLength:
        raise BadValue("is not 18 characters long") from None
    except InvalidChecksum:
        raise BadValue(
            "fails the check digit (a typo? Excel keeps 15 digits of a number: "
            "store ID columns as text)"
        ) from None
    except InvalidComponent:
        raise BadValue("has an impossible birth date or birth place") from None
    except ValidationError:
        raise BadValue("is not 17 digits and a check digit") from None


_PHONE_SEPARATORS = re.compile(r"[;,、/]")  # after NFKC: ；and ，are ; and ,
_PHONE = re.compile(r"\+?[\d\s().\-]+")


def parse_phones(text: str) -> tuple[str, ...]:
    phones: list[str] = []
    for part in _PHONE_SEPARATORS.split(fold(text)):
        phone = part.strip()
        if not phone:
            continue
        if not _PHONE.fullmatch(phone) or not 7 <= sum(c.isdigit() for c in phone) <= 15:
            raise BadValue("is not a phone number", value=phone)
        if phone not in phones:
            phones.append(phone)
    return tuple(phones)
