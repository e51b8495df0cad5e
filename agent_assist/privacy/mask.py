"""Mask personal numbers before anything is stored or exported.

Every digit of a found number becomes ``*`` except the few a collector needs to
tell numbers apart: the last 4, the first 3 of an ID or of an 11-digit
Chinese mobile (138****5678), and a typed country code (+86, 0086, +1), which
says nothing about the person. Typed text keeps its length and shape; a
spoken digit word ("three", 三) becomes one ``*`` and the spaces stay.
"""

from __future__ import annotations

import re

import phonenumbers

from agent_assist.privacy.numbers import KINDS, Located, PersonalKind, locate, parse_phone
from agent_assist.privacy.spoken import Span

MASK = "*"
TAIL = 4  # digits kept at the end of every kind
HEAD = 3  # digits kept at the start of an ID or a Chinese mobile
MIN_MASKED = 4  # a short field value shows at most all but 4 of its digits
# A Chinese mobile, whose first 3 digits only name the carrier; "*" so that a
# masked one keeps its shape when masked again.
_CN_MOBILE = re.compile(r"1[3-9][\d*]{9}")


def mask_text(text: str, region: str = "CN") -> str:
    """``text`` with every number ``find_personal_numbers`` finds masked."""
    # Masking one number can leave digits that another pass would read anew
    # (overlapping candidates), so repeat until nothing is found: that makes
    # masking idempotent. Each pass masks digits, so the loop ends.
    while found := locate(text, region):
        text = _apply(text, found, region)
    return text


def mask_value(value: str, kind: PersonalKind, region: str = "CN") -> str:
    """Mask a structured field of ``kind`` whether or not it validates.

    A column holding IDs is personal whatever its checksum, so every digit is
    masked by the same policy as in text. ``*`` counts as an already masked
    digit, so masking a masked value changes nothing.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of personal number: {kind!r}")
    places = [i for i, ch in enumerate(value) if ch.isdecimal() or ch == MASK]
    last = len(value.rstrip()) - 1
    if kind == "national_id" and last >= 0 and value[last] in "Xx" and last not in places:
        places.append(last)  # the check character
    digits = "".join(value[i] if value[i] in "Xx*" else str(int(value[i])) for i in places)
    chars = list(value)
    shown = visible(digits, *layout(kind, value, digits, region))
    for i, keep in zip(places, shown, strict=True):
        if not keep:
            chars[i] = MASK
    return "".join(chars)


def layout(kind: PersonalKind, written: str, digits: str, region: str) -> tuple[int, int]:
    """How many leading digits are a country code, and how many after it stay readable.

    ``written`` is the number as it appears (for the "+"), ``digits`` its digits.
    """
    if kind == "national_id":
        return 0, HEAD
    if kind == "bank_card":
        return 0, 0
    prefix, country = 0, phonenumbers.country_code_for_region(region)
    idd = 2 if digits.startswith("00") else 0
    if idd or written.lstrip().startswith("+"):
        number = parse_phone(written.replace(MASK, "0"), region)  # a masked digit parses as 0
        code = str(number.country_code) if number is not None and number.country_code else ""
        if code and digits[idd : idd + len(code)] == code:
            prefix, country = idd + len(code), int(code)
    head = HEAD if country == 86 and _CN_MOBILE.fullmatch(digits[prefix:]) else 0
    return prefix, head


def visible(digits: str, prefix: int = 0, head: int = 0) -> list[bool]:
    """Which digits stay readable: ``prefix`` of them, ``head`` more, and the last 4."""
    n = len(digits)
    tail = TAIL
    # Short (invalid) field values: show less rather than the whole number.
    while head + tail > max(0, n - prefix - MIN_MASKED):
        if head:
            head -= 1
        else:
            tail -= 1
    return [i < prefix + head or i >= n - tail for i in range(n)]


def _apply(text: str, found: list[Located], region: str) -> str:
    masked: set[Span] = set()
    for item in found:
        written = text[item.number.start : item.number.end]
        rule = layout(item.number.kind, written, item.digits, region)
        for span, keep in zip(item.spans, visible(item.digits, *rule), strict=True):
            if not keep:
                masked.add(span)  # "double five" masks whole if either five is masked
    pieces: list[str] = []
    at = 0
    for start, end in sorted(masked):
        pieces += [text[at:start], MASK]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
