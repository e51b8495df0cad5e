"""Phonetic keys: pinyin for Chinese characters, metaphone-based keys for English words.

Chinese: ``pypinyin.lazy_pinyin`` costs ~330 µs per 40 characters, far too
slow per partial, so the whole per-character table (pypinyin's own
single-character dictionary, first reading, tone numbers) is built once on
first use and applied with ``str.translate``. Each syllable is encoded as one
private-use character, so a text's code string has exactly one code per
character and automaton hits on it are character positions of the text.
pypinyin's default readings are wrong in exactly the words collection calls
are made of (还款 → hai kuan), hence the small context table below.

English: metaphone alone ignores vowels, so "so you", "see you" and "sue you"
share a key; a coarse class of the first vowel sound is appended to keep the
common phrases apart while "sew you" still meets "sue you".
"""

from __future__ import annotations

import threading
from functools import lru_cache

import ahocorasick
import jellyfish

# Readings for polyphones in context: the words a collection call is made of.
# Keys are normalised (simplified, numerals as they normalise); values give one
# toned syllable per character.
POLYPHONES: dict[str, str] = {
    # 还 huán = repay (pypinyin reads hái = still)
    "还款": "huan2 kuan3",
    "还钱": "huan2 qian2",
    "还清": "huan2 qing1",
    "还债": "huan2 zhai4",
    "还贷": "huan2 dai4",
    "还账": "huan2 zhang4",
    "还上": "huan2 shang4",
    "还给": "huan2 gei3",
    "还完": "huan2 wan2",
    "还本": "huan2 ben3",
    "还不起": "huan2 bu4 qi3",
    "还不上": "huan2 bu4 shang4",
    "还不了": "huan2 bu4 liao3",
    "还得起": "huan2 de5 qi3",
    "归还": "gui1 huan2",
    "偿还": "chang2 huan2",
    "退还": "tui4 huan2",
    # 重 chóng = again
    "重新": "chong2 xin1",
    "重复": "chong2 fu4",
    # 行 háng = bank, trade
    "银行": "yin2 hang2",
    "行业": "hang2 ye4",
    "同行": "tong2 hang2",
    "行长": "hang2 zhang3",
    # 长 cháng = long
    "长期": "chang2 qi1",
    "延长": "yan2 chang2",
    "长时间": "chang2 shi2 jian1",
    # 调 tiáo = mediate, adjust
    "调解": "tiao2 jie3",
    "协调": "xie2 tiao2",
    "调整": "tiao2 zheng3",
    # 便 pián
    "便宜": "pian2 yi5",
    # 了 liǎo, 得 de / děi
    "了解": "liao3 jie3",
    "受不了": "shou4 bu4 liao3",
    "了结": "liao3 jie2",
    "觉得": "jue2 de5",
    "记得": "ji4 de5",
    "得还": "dei3 huan2",
    "就得": "jiu4 dei3",
    "必须得": "bi4 xu1 dei3",
    # threats and pressure
    "恐吓": "kong3 he4",
    "曝光": "bao4 guang1",
    "没收": "mo4 shou1",
    "强迫": "qiang3 po4",
    "勉强": "mian3 qiang3",
    "着急": "zhao2 ji2",
    # 尽 jǐn = as soon as possible
    "尽快": "jin3 kuai4",
    "尽早": "jin3 zao3",
    "尽量": "jin3 liang4",
    "处理": "chu3 li3",
    "利率": "li4 lv4",
    "会计": "kuai4 ji4",
}

_TONE_MARKS: dict[str, tuple[str, int]] = {
    **{c: ("a", t) for t, c in enumerate("āáǎà", 1)},
    **{c: ("e", t) for t, c in enumerate("ēéěè", 1)},
    **{c: ("i", t) for t, c in enumerate("īíǐì", 1)},
    **{c: ("o", t) for t, c in enumerate("ōóǒò", 1)},
    **{c: ("u", t) for t, c in enumerate("ūúǔù", 1)},
    **{c: ("v", t) for t, c in enumerate("ǖǘǚǜ", 1)},
    "ü": ("v", 0),
    "ń": ("n", 2),
    "ň": ("n", 3),
    "ǹ": ("n", 4),
    "ḿ": ("m", 2),
}
_COMBINING_TONES = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}

# Syllable codes live in the private-use area: toned from U+E000, toneless
# from U+F000, so the two alphabets never overlap and neither meets text.
_TONED_BASE = 0xE000
_TONELESS_BASE = 0xF000


def tone3(reading: str) -> str:
    """``"qǐ"`` → ``"qi3"``; no mark = neutral tone 5 (ü is written v)."""
    tone = 5
    out: list[str] = []
    for ch in reading:
        if ch in _TONE_MARKS:
            base, mark = _TONE_MARKS[ch]
            out.append(base)
            tone = mark or tone
        elif ch in _COMBINING_TONES:
            tone = _COMBINING_TONES[ch]
        else:
            out.append(ch)
    return "".join(out) + str(tone)


class _Tables:
    """Per-character readings and their code translation tables (built once)."""

    def __init__(self) -> None:
        from pypinyin.pinyin_dict import pinyin_dict

        self.codes: dict[str, str] = {}  # "qi3" or "-qi" (toneless) → its code character
        self._next = {True: _TONED_BASE, False: _TONELESS_BASE}
        # str.translate tables: code point → code character
        self.toned: dict[int, str] = {}
        self.toneless: dict[int, str] = {}
        for cp, readings in pinyin_dict.items():
            syllable = tone3(readings.split(",", 1)[0])  # the first reading is the usual one
            self.toned[cp] = self.code(syllable, toned=True)
            self.toneless[cp] = self.code(syllable[:-1], toned=False)
        self.polyphones = ahocorasick.Automaton()
        for word, readings in POLYPHONES.items():
            syllables = tuple(readings.split())
            for syllable in syllables:
                self.code(syllable, toned=True)
                self.code(syllable[:-1], toned=False)
            self.polyphones.add_word(word, (len(word), syllables))
        self.polyphones.make_automaton()
        self.syllables = {code: syllable for syllable, code in self.codes.items()}

    def code(self, syllable: str, *, toned: bool) -> str:
        key = syllable if toned else "-" + syllable
        found = self.codes.get(key)
        if found is None:
            found = chr(self._next[toned])
            self._next[toned] += 1
            self.codes[key] = found
        return found


_lock = threading.Lock()
_tables: list[_Tables] = []  # built on first use, then shared by every pack and thread


def _get_tables() -> _Tables:
    if not _tables:
        with _lock:
            if not _tables:
                _tables.append(_Tables())
    return _tables[0]


def warm_up() -> None:
    """Build the pinyin table now (it takes ~0.3 s), e.g. while a pack compiles."""
    _get_tables()


def has_reading(ch: str) -> bool:
    return ord(ch) in _get_tables().toned


def _context(text: str, tables: _Tables) -> list[tuple[int, tuple[str, ...]]]:
    """Polyphone words in ``text``: (start index, one syllable per character)."""
    found: list[tuple[int, tuple[str, ...]]] = []
    for end, (length, syllables) in tables.polyphones.iter(text):
        found.append((end - length + 1, syllables))
    return found


def pinyin(text: str) -> list[str | None]:
    """Toned reading per character (``None`` where there is none), context-aware."""
    tables = _get_tables()
    toned = tables.toned
    out = [tables.syllables[toned[ord(ch)]] if ord(ch) in toned else None for ch in text]
    for start, syllables in _context(text, tables):
        out[start : start + len(syllables)] = syllables
    return out


def pinyin_codes(text: str) -> tuple[str, str]:
    """(toned, toneless) code strings, one code per character of ``text``.

    Characters without a reading (digits, Latin letters) stay themselves, so
    they match only themselves.
    """
    tables = _get_tables()
    toned = text.translate(tables.toned)
    toneless = text.translate(tables.toneless)
    context = _context(text, tables)
    if context:
        toned_list, toneless_list = list(toned), list(toneless)
        for start, syllables in context:
            for i, syllable in enumerate(syllables, start):
                toned_list[i] = tables.codes[syllable]
                toneless_list[i] = tables.codes["-" + syllable[:-1]]
        toned, toneless = "".join(toned_list), "".join(toneless_list)
    return toned, toneless


_VOWELS = frozenset("aeiouy")
# The first vowel sound of a word, coarsely, from its spelling.
_VOWEL_GROUPS = {
    "ew": "u",
    "ue": "u",
    "oo": "u",
    "ou": "u",
    "ui": "u",
    "ee": "i",
    "ea": "i",
    "ie": "i",
    "ey": "i",
    "y": "i",
    "ay": "a",
    "ai": "a",
    "ei": "a",
    "oa": "o",
    "ow": "o",
    "au": "o",
    "aw": "o",
}


def _vowel_class(word: str) -> str:
    i = 1 if word[:1] == "y" else 0  # a leading y is a consonant (you, yes)
    while i < len(word) and word[i] not in _VOWELS:
        i += 1
    if i == len(word):
        return ""
    j = i + 1
    while j < len(word) and (word[j] in _VOWELS or word[j] == "w"):
        j += 1
    group = word[i:j]
    return _VOWEL_GROUPS.get(group[:2], _VOWEL_GROUPS.get(group[:1], group[:1]))


@lru_cache(maxsize=65536)
def english_key(word: str) -> str:
    """Metaphone of a lower-case word plus its first vowel class (``sue`` → ``S/u``)."""
    if not word.isalpha():
        return word  # numbers and mixed tokens match only themselves
    return jellyfish.metaphone(word) + "/" + _vowel_class(word)
