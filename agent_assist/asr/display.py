"""Recognised text as a collector reads it: no spaces between Chinese or Japanese characters.

Vosk's Mandarin and Japanese models print words separated by spaces
("我 明天 去 你 单位 闹"). Those spaces are dropped between two such
characters and kept next to Latin words and digits ("我 的 iPhone 坏 了" →
"我的 iPhone 坏了"). Hangul keeps its spaces: Korean is written with spaces
between words, and Vosk's Korean model prints them that way.

Flags index the text as printed (``Flag.start``/``Flag.end``), so the shown
text comes with a map from printed offsets to shown offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Han ideographs (unified, extension A, compatibility, planes 2 and 3), kana,
# bopomofo, CJK and full-width punctuation, half-width katakana; not Hangul,
# not Latin letters or digits, full-width or not.
_WIDE = (
    "\u2e80-\u2fdf"
    "\u3001-\u303f"
    "\u3040-\u30ff"
    "\u3100-\u312f"
    "\u31c0-\u31ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\uf900-\ufaff"
    "\ufe30-\ufe4f"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff9f"
    "\U00020000-\U0003134f"
)
_GAP = re.compile(f"(?<=[{_WIDE}])\\s+(?=[{_WIDE}])")


@dataclass(frozen=True, slots=True)
class DisplayText:
    """``text`` to show, and ``offsets[i]``: where printed character ``i`` is shown.

    ``offsets`` has one entry more than the printed text (its end). A dropped
    space maps to the character shown after it.
    """

    text: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The shown span of printed ``[start, end)`` (clamped to the printed text)."""
        last = len(self.offsets) - 1
        return self.offsets[min(max(start, 0), last)], self.offsets[min(max(end, 0), last)]


def for_display(printed: str) -> DisplayText:
    pieces: list[str] = []
    offsets: list[int] = []
    kept = shown = 0  # where the next kept piece starts: printed, shown
    for gap in _GAP.finditer(printed):
        piece = printed[kept : gap.start()]
        pieces.append(piece)
        offsets.extend(range(shown, shown + len(piece)))
        shown += len(piece)
        offsets.extend([shown] * (gap.end() - gap.start()))
        kept = gap.end()
    tail = printed[kept:]
    offsets.extend(range(shown, shown + len(tail) + 1))
    return DisplayText("".join(pieces) + tail, tuple(offsets))
