"""Find personal numbers (resident IDs, bank cards, phones) in free text.

A number counts only if it validates: an ID must pass the GB 11643 checksum,
birth date and birth place (``stdnum.cn.ric``), a card the Luhn check, a
phone the numbering plan (``phonenumbers``). Validation is what keeps amounts,
dates, case and order numbers unmasked, so nothing here guesses from length.

Typed phones are found by ``phonenumbers.PhoneNumberMatcher``, which knows the
written formats ("(415) 555-2671", "+86 138 1234 5678"); IDs and cards, and
everything spoken, are found in the digit runs of ``spoken``. Where two
matches overlap the one with more digits wins, then ID over phone over card,
so an ID is never taken for the phone number inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import Literal

import phonenumbers
from stdnum import luhn
from stdnum.cn import ric

from agent_assist.privacy.spoken import EN_DIGITS, ZH_DIGITS, DigitRun, Span, digit_runs

PersonalKind = Literal["national_id", "bank_card", "phone"]
# Priority on a tie in length: "+86 138 1234 5678" is a phone even if its 13 digits pass Luhn.
KINDS: tuple[PersonalKind, ...] = ("national_id", "phone", "bank_card")

CARD_LENGTHS = range(13, 20)
SPOKEN_PHONE_LENGTHS = range(10, 14)  # 010 1234 5678, 138…, 86 138…, 1 415 555 2671
MIN_DIGITS = 10  # nothing shorter is ever personal here
MIN_PHONE_DIGITS = 7  # no valid number anywhere is shorter, country code included

# Anything that might be a digit. Nothing is detectable with fewer than four
# ("triple one triple two triple three four" is ten digits in four hits).
_HINT = re.compile(r"\d|[" + "".join(ZH_DIGITS) + "]|(?i:" + "|".join(EN_DIGITS) + ")")
_MIN_HINTS = 4
# Every hint holds one of these characters: a far cheaper first look for Chinese text.
_HINT_CHARS = re.compile(r"[\dA-Za-z" + "".join(ZH_DIGITS) + "]")


@dataclass(frozen=True, slots=True)
class PersonalNumber:
    """A personal number's span in the original text and what it is."""

    start: int
    end: int
    kind: PersonalKind


@dataclass(frozen=True, slots=True)
class Located:
    """A personal number with its digits and where each digit is in the text."""

    number: PersonalNumber
    digits: str
    spans: tuple[Span, ...]


def find_personal_numbers(text: str, region: str = "CN") -> list[PersonalNumber]:
    """Valid IDs, bank cards and phone numbers in ``text``, typed or spoken, in order.

    ``region`` is where numbers without a country code are from ("CN", "US").
    """
    return [found.number for found in locate(text, region)]


def locate(text: str, region: str = "CN") -> list[Located]:
    """``find_personal_numbers`` with each number's digits and their spans."""
    if not _has_hints(text):
        return []
    candidates = [found for run in digit_runs(text) for found in _in_run(run, region)]
    if sum(map(str.isdecimal, text)) >= MIN_PHONE_DIGITS:
        candidates.extend(_typed_phones(text, region))
    return _resolve(candidates)


def is_national_id(digits: str) -> bool:
    """An 18-character ID (last may be X), or a 15-digit one from before 1999."""
    if len(digits) == 18:
        return _ric_valid(digits)
    if len(digits) == 15 and digits.isdecimal():
        # The old form has no check digit: stdnum validates only the 18 form, so
        # upgrade it (century 19, computed check digit) and let it check date and place.
        upgraded = digits[:6] + "19" + digits[6:]
        return _ric_valid(upgraded + ric.calc_check_digit(upgraded + "0"))
    return False


def _ric_valid(number: str) -> bool:
    try:
        return ric.is_valid(number)
    except KeyError:
        # python-stdnum 2.2 raises KeyError, not a validation error, for a place
        # code that names a province or prefecture without a county (130001…).
        return False


def is_bank_card(digits: str) -> bool:
    return len(digits) in CARD_LENGTHS and digits.isdecimal() and luhn.is_valid(digits)


def is_phone(digits: str, region: str) -> bool:
    """A plain digit string that is a valid number dialled from ``region``."""
    number = parse_phone(digits, region)
    return number is not None and phonenumbers.is_valid_number(number)


def parse_phone(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _has_hints(text: str) -> bool:
    for pattern in (_HINT_CHARS, _HINT):
        if next(islice(pattern.finditer(text), _MIN_HINTS - 1, None), None) is None:
            return False
    return True


def _in_run(run: DigitRun, region: str) -> list[Located]:
    found = []
    cuts = run.cuts
    for i, a in enumerate(cuts):
        for b in cuts[i + 1 :]:
            if b - a < MIN_DIGITS:
                continue
            if b - a > CARD_LENGTHS[-1]:
                break
            digits = run.digits[a:b]
            kind = _kind(digits, run.spoken, region)
            if kind is not None:
                spans = run.spans[a:b]
                number = PersonalNumber(spans[0][0], spans[-1][1], kind)
                found.append(Located(number, digits, spans))
    return found


def _kind(digits: str, spoken: bool, region: str) -> PersonalKind | None:
    if is_national_id(digits):
        return "national_id"
    # Typed phones are left to the matcher, which knows their formats.
    spoken_phone = spoken and len(digits) in SPOKEN_PHONE_LENGTHS and digits.isdecimal()
    if spoken_phone and is_phone(digits, region):
        return "phone"
    return "bank_card" if is_bank_card(digits) else None


def _typed_phones(text: str, region: str) -> list[Located]:
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        spans = tuple((i, i + 1) for i in range(match.start, match.end) if text[i].isdecimal())
        digits = "".join(str(int(text[start])) for start, _ in spans)
        found.append(Located(PersonalNumber(match.start, match.end, "phone"), digits, spans))
    return found


def _resolve(candidates: list[Located]) -> list[Located]:
    """Keep the best of overlapping matches: more digits first, then by kind."""
    candidates.sort(key=lambda c: (-len(c.digits), KINDS.index(c.number.kind), c.number.start))
    kept: list[Located] = []
    for cand in candidates:
        start, end = cand.number.start, cand.number.end
        if all(end <= k.number.start or k.number.end <= start for k in kept):
            kept.append(cand)
    kept.sort(key=lambda c: c.number.start)
    return kept
