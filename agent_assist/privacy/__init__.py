"""Personal-number masking: IDs, bank cards and phones, typed or spoken.

The store masks every transcript segment, flag span text, debtor record and
export with ``mask_text`` (free text) or ``mask_value`` (a field known to hold
one kind of number) before anything is written.
"""

from agent_assist.privacy.mask import mask_text, mask_value
from agent_assist.privacy.numbers import (
    KINDS,
    Located,
    PersonalKind,
    PersonalNumber,
    find_personal_numbers,
    is_bank_card,
    is_national_id,
    is_phone,
    locate,
)
from agent_assist.privacy.spoken import DigitRun, digit_runs, spoken_runs, written_runs

__all__ = [
    "KINDS",
    "DigitRun",
    "Located",
    "PersonalKind",
    "PersonalNumber",
    "digit_runs",
    "find_personal_numbers",
    "is_bank_card",
    "is_national_id",
    "is_phone",
    "locate",
    "mask_text",
    "mask_value",
    "spoken_runs",
    "written_runs",
]
