"""Speed figures for the matcher: the core of ``agent-assist bench rules``.

Targets (docs): p99 ≤ 0.5 ms per call for a 40-character Mandarin partial and
a 20-word English partial, with a pack of a few hundred patterns and with a
synthetic 5,000-pattern pack; compile ≤ 1 s for 5,000 patterns.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Sequence

from agent_assist.rules import phonetic
from agent_assist.rules.matcher import compile_pack
from agent_assist.rules.model import (
    Exclusion,
    Language,
    PackInfo,
    Pattern,
    Rule,
    RulePack,
    SpeakerRole,
)

# Partials as Vosk prints them: ~40 characters (zh, spaced and unspaced), ~20 words (en).
SAMPLE_TEXTS: dict[Language, tuple[str, ...]] = {
    "zh": (
        "你好 我 是 银行 信用卡 中心 的 工作人员 "
        "您 的 账户 已经 逾期 三十 天 了 请问 您 什么 时候 能 还款",
        "我们不会去您单位也不会联系您的家人但是您必须在三天之内把最低还款额还上",
        "我 最近 失业 了 家里 老人 生病 住院 实在 没有 钱 能不能 先 减免 一部分 利息 分期 还",
        "再不还钱我们就上门找你去你公司闹让你全家不得安宁你自己看着办吧我们说到做到",
        "您 说 的 情况 我 理解 我们 可以 帮 您 申请 停 息 挂账 但是 需要 您 提供 相关 证明 材料",
        "我们已经把材料交给律师了下周就起诉你到时候法院会冻结你的账户还会影响征信",
    ),
    "en": (
        "hi this is john calling from the bank about your "
        "credit card account that is now thirty days past due",
        "if you don't pay today we will sue you and "
        "take you to court and tell your employer about this debt",
        "i lost my job last month and my wife is in "
        "the hospital so i can not pay the full amount right now",
        "we are not going to call your family or your work "
        "we just want to set up a payment plan with you",
        "you said you would pay by friday but nothing "
        "came through so what happened with the payment this time",
        "this is an attempt to collect a debt and "
        "any information obtained will be used for that purpose ok",
    ),
}

_ZH_VOCABULARY = (
    "还款 逾期 欠款 利息 银行 单位 公司 家人 朋友 电话 起诉 法院 律师 上门 催收 账户 征信 冻结 "
    "减免 分期 失业 生病 住院 工资 最低 全额 今天 明天 马上 立刻 必须 不要 可以 我们 你们 您的 "
    "老板 同事 领导 父母 孩子 学校 通讯录 曝光 坐牢 警察 拘留 黑名单 信用卡 网贷 本金 罚息 "
    "协商 延期 困难 理解 帮助 申请 证明 材料 处理 后果 严重 负责 承担 办法 问题 时间 金额"
)
_EN_VOCABULARY = (
    "pay debt court sue lawyer arrest jail police family employer work boss wife kids job lost "
    "sick hospital money payment plan today tomorrow now right away full amount interest fee "
    "late due account card bank credit report score call text email home house car garnish "
    "wages take you your we will not never can cannot must have to need want going tell "
    "friends neighbors everyone know about this that the a an is are be been"
)
_ZH_WORDS = tuple(_ZH_VOCABULARY.split())
_EN_WORDS = tuple(_EN_VOCABULARY.split())
# No real pack flags "the" or "you" on their own: one-word phrases are content words.
_EN_FUNCTION_VOCABULARY = (
    "take you your we will not never can cannot must have to need want going tell "
    "know about this that the a an is are be been now right away full due"
)
_EN_FUNCTION_WORDS = frozenset(_EN_FUNCTION_VOCABULARY.split())
# Filler: words that real packs have and these texts do not say (made-up
# two-character words; made-up English words), so that most patterns of a big
# pack do not occur in a given utterance, as in a real pack.
_ZH_CHARS = (
    "的是了人在有他这中大来上国个到说为子和地出道也时年得就那要下以生会自着去之过家学对可她里后"
    "小么心多天而能好都然没日于起还发成事只作当想看文无开手用主行方又如前所本见经头面同已老从动长"
    "知民样现分将外但身些与高意进把法此实回理美点月明其种声全工己话儿者向情部正名定女问力机给等很"
)
_SYLLABLES = ("ka", "lo", "mi", "ru", "ten", "zor", "vak", "pli", "dru", "mes", "qua", "bin")
_NEGATIONS: dict[Language, tuple[str, ...]] = {
    "zh": ("不会", "不是", "没有", "不要", "别"),
    "en": ("not", "never", "no"),
}
_QUOTES: dict[Language, tuple[str, ...]] = {"zh": ("您说", "你刚才说"), "en": ("you said",)}
_COMMON: dict[Language, tuple[str, ...]] = {"zh": ("你", "您"), "en": ("you", "your")}


def synthetic_pack(
    n_patterns: int,
    language: Language,
    seed: int = 0,
    patterns_per_rule: int = 5,
    dense: bool = False,
) -> RulePack:
    """A pack of ``n_patterns`` distinct patterns shaped like a real one.

    Phrases are two or three words (one in twenty a single content word), half
    from collection-call vocabulary (the words of ``SAMPLE_TEXTS``), half
    filler that the texts never say. One pattern in five is a sequence
    ``A … B`` (a tenth of those start with a common part like ``[你|您]``), one
    part in four has an alternative; every rule is tolerant and carries
    negation and quoting exclusions, so every layer of the matcher is
    exercised. ``dense=True`` drops the filler: every phrase is call
    vocabulary, a stress case far denser than any real pack.
    """
    rng = random.Random(seed)
    zh = language == "zh"
    words = _ZH_WORDS if zh else _EN_WORDS
    if zh:
        filler = ["".join(rng.sample(_ZH_CHARS, 2)) for _ in range(400)]
    else:
        filler = ["".join(rng.sample(_SYLLABLES, rng.choice((2, 3)))) for _ in range(400)]
    joiner = "" if zh else " "
    seen: set[str] = set()
    content = [w for w in words if w not in _EN_FUNCTION_WORDS]

    def phrase(max_words: int = 3) -> str:
        n = 1 if rng.random() < 0.05 else min(max_words, rng.choice((2, 2, 3)))
        pool = words if dense or rng.random() < 0.5 else filler
        return joiner.join(rng.sample(content if n == 1 and pool is words else pool, n))

    def part(max_words: int = 3) -> tuple[str, ...]:
        first = phrase(max_words)
        return (first, phrase(max_words)) if rng.random() < 0.25 else (first,)

    def elements() -> tuple[tuple[str, ...], ...]:
        if rng.random() >= 0.2:
            return (part(),)
        first = _COMMON[language] if rng.random() < 0.1 else part(2)
        return (first, part(2))

    patterns: list[Pattern] = []
    while len(patterns) < n_patterns:
        parts = elements()
        source = " … ".join("[" + "|".join(alts) + "]" for alts in parts)
        if source not in seen:
            seen.add(source)
            patterns.append(Pattern(elements=parts, within=6, source=source))
    speakers: tuple[SpeakerRole, ...] = ("agent", "debtor", "any")
    exclusions = (
        Exclusion("before", _NEGATIONS[language], 4),
        Exclusion("utterance", _QUOTES[language]),
    )
    rules = tuple(
        Rule(
            id=f"synthetic.{i // patterns_per_rule}",
            category="agent.threat",
            speaker=speakers[(i // patterns_per_rule) % 3],
            severity="warning",
            patterns=tuple(patterns[i : i + patterns_per_rule]),
            exclusions=exclusions,
            explanation="synthetic",
            reply=None,
        )
        for i in range(0, len(patterns), patterns_per_rule)
    )
    info = PackInfo(
        id=f"synthetic-{language}-{n_patterns}{'-dense' if dense else ''}",
        language=language,
        jurisdiction="XX",
        version="0",
        title="synthetic benchmark pack",
        sources=(),
    )
    return RulePack(info=info, rules=rules)


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))]


def measure_speed(pack: RulePack, texts: Sequence[str], repeats: int = 200) -> dict[str, float]:
    """Compile ``pack`` and time ``match`` on each text for both speakers, ``repeats`` times.

    ``tables_s`` is the one-off build of the shared pinyin table (0 when it
    was already built in this process); ``compile_s`` is the pack alone.
    """
    started = time.perf_counter()
    if pack.info.language == "zh":
        phonetic.warm_up()
    tables_s = time.perf_counter() - started
    started = time.perf_counter()
    compiled = compile_pack(pack)
    compile_s = time.perf_counter() - started
    matches = 0
    for text in texts:  # warm caches (numerals, English keys) as a live call would
        for speaker in ("agent", "debtor"):
            matches += len(compiled.match(text, speaker))
    gc.collect()
    times: list[float] = []
    for _ in range(repeats):
        for text in texts:
            for speaker in ("agent", "debtor"):
                t0 = time.perf_counter_ns()
                compiled.match(text, speaker)
                times.append((time.perf_counter_ns() - t0) / 1000)
    times.sort()
    return {
        "patterns": float(sum(len(rule.patterns) for rule in pack.rules)),
        "tables_s": tables_s,
        "compile_s": compile_s,
        "calls": float(len(times)),
        "matches_per_call": matches / max(1, 2 * len(texts)),
        "p50_us": _quantile(times, 0.5),
        "p99_us": _quantile(times, 0.99),
        "max_us": times[-1] if times else 0.0,
        "mean_us": sum(times) / len(times) if times else 0.0,
    }
