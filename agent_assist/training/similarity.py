"""How closely a trainee's answer follows a suggested reply.

The measure is the share of the reply's sounds that the answer says, in the reply's
order: both texts are normalised as the matcher does (numbers as digits, simplified
characters, lower case), turned into one phonetic key per unit (toneless pinyin per
Chinese character; a metaphone key per English word) and aligned with difflib's
matching blocks. Why this shape:

- Sounds, not spellings: a spoken answer reaches us through Vosk, which writes
  homophones (还款 as 环款, "sue" as "sew"); a typed answer and a spoken one score alike.
- Coverage of the reply, not a symmetric ratio: a trainee who adds the debtor's name,
  a greeting or a filler has still used the reply; only leaving its words out lowers it.
- Order matters: the same words shuffled are another sentence.
- The reply's ``{variables}`` are left out: the case's values are the trainee's to say.
"""

from __future__ import annotations

import difflib
import re

from agent_assist.rules import phonetic
from agent_assist.rules.model import Language
from agent_assist.rules.normalize import normalize_text

USED_AT = 0.6  # an answer that says this share of a reply has used it
_VARIABLE = re.compile(r"\{[a-z_]+\}")


def _keys(text: str, language: Language) -> list[str]:
    normal = normalize_text(text, language)
    if language == "zh":
        return list(phonetic.pinyin_codes("".join(normal.split()))[1])
    # Metaphone is for Latin letters; other scripts (a Korean drill) compare as written.
    return [phonetic.english_key(w) if w.isascii() else w for w in normal.split()]


def reply_coverage(answer: str, reply: str, language: Language) -> float:
    """The share (0..1) of ``reply``'s sounds that ``answer`` says, in order."""
    wanted = _keys(_VARIABLE.sub(" ", reply), language)
    if not wanted:
        return 0.0
    said = _keys(answer, language)
    blocks = difflib.SequenceMatcher(None, wanted, said, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / len(wanted)
