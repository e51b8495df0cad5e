"""Valid and invalid test numbers, computed with the same libraries the code uses.

Nothing here is a guessed number: check digits come from ``stdnum``, so a
test fails if a fixture is wrong rather than silently testing nothing.
"""

from __future__ import annotations

from stdnum import luhn
from stdnum.cn import ric

ZH_SAID = dict(zip("0123456789X", "零一二三四五六七八九叉", strict=True))
EN_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "x")
EN_SAID = dict(zip("0123456789X", EN_WORDS, strict=True))


def national_id(area: str = "110101", birth: str = "19900307", seq: str = "457") -> str:
    """An 18-digit resident ID with its real check character."""
    body = area + birth + seq
    number = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(number), number
    return number


def id_ending_in_x() -> str:
    """A valid ID whose check character is X."""
    for seq in range(1000):
        body = f"11010119900307{seq:03d}"
        if ric.calc_check_digit(body + "0") == "X":
            return national_id(seq=f"{seq:03d}")
    raise AssertionError("no sequence gives X")


def old_national_id(area: str = "110101", birth: str = "900307", seq: str = "457") -> str:
    """A 15-digit ID from before 1999 (no check digit)."""
    return area + birth + seq


def bad_national_id() -> str:
    """18 digits that fail the ID checksum and Luhn both."""
    good = national_id()
    for last in "0123456789":
        number = good[:-1] + last
        if not ric.is_valid(number) and not luhn.is_valid(number):
            return number
    raise AssertionError("unreachable")


def bank_card(body: str = "622202123456789012") -> str:
    """A card number (13-19 digits) ending in its Luhn check digit."""
    return body + luhn.calc_check_digit(body)


def bad_card(body: str = "622202123456789012") -> str:
    """The same number with a wrong check digit."""
    good = bank_card(body)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def say_zh(digits: str, sep: str = " ") -> str:
    """Digits as Vosk's Chinese model prints them (一 三 八 …)."""
    return sep.join(ZH_SAID[d] for d in digits)


def say_en(digits: str) -> str:
    return " ".join(EN_SAID[d] for d in digits)


def grouped(digits: str, size: int = 4, sep: str = " ") -> str:
    """Digits typed in groups: 6222 0212 3456 7890 128."""
    return sep.join(digits[i : i + size] for i in range(0, len(digits), size))
