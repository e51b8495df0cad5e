from agent_assist.events import AudioLevel, Final, Word
from agent_assist.rules.model import ToneSettings
from agent_assist.rules.tone import ToneAnalyzer

SETTINGS = ToneSettings(
    window_s=20,
    max_rate=7.0,
    loud_db_above_baseline=10,
    baseline_s=5,
    talk_over_s=1.0,
    cooldown_s=30,
)


def words(start_ms: int, end_ms: int, n: int) -> tuple[Word, ...]:
    step = (end_ms - start_ms) // n
    return tuple(Word(f"w{i}", start_ms + i * step, start_ms + (i + 1) * step) for i in range(n))


def final(speaker: str, text: str, start: int, end: int, *, utt: int = 0) -> Final:
    return Final(speaker, utt, text, start, end, end, words(start, end, 4))


def test_fast_mandarin_is_nudged_normal_is_not() -> None:
    tone = ToneAnalyzer(SETTINGS, "zh")
    calm = "您好 我 是 招商 银行 信用卡 中心 的 客服"  # 16 characters in 4 s
    assert tone.on_event(final("agent", calm, 0, 4_000)) == []
    rushed = "你 这个 钱 到底 什么 时候 还 我 跟 你 说 今天 必须 给 我 准话" * 2  # 46 in 4 s
    cues = tone.on_event(final("agent", rushed, 5_000, 9_000, utt=1))
    assert [c.kind for c in cues] == ["fast_speech"]  # 62 characters in 8 s of speech
    assert cues[0].value == 7.8


def test_english_rate_is_words_per_minute() -> None:
    tone = ToneAnalyzer(ToneSettings(max_rate=210), "en")
    normal = " ".join(["word"] * 10)  # 10 words in 4 s = 150 wpm
    assert tone.on_event(final("agent", normal, 0, 4_000)) == []
    fast = " ".join(["word"] * 30)  # 30 words in 6 s = 300 wpm, over the window 240 wpm
    assert [c.kind for c in tone.on_event(final("agent", fast, 5_000, 11_000, utt=1))] == [
        "fast_speech"
    ]


def test_the_debtor_speaking_fast_is_not_the_collectors_problem() -> None:
    tone = ToneAnalyzer(SETTINGS, "zh")
    fast = "我 真的 没有 钱 了 你们 别 再 打 了 我 求求 你们 了 行 不 行 啊"
    assert tone.on_event(final("debtor", fast, 0, 2_000)) == []


def test_loud_relative_to_the_collectors_own_baseline() -> None:
    tone = ToneAnalyzer(SETTINGS, "zh")
    cues = []
    for t in range(0, 6_000, 250):  # baseline around -30 dBFS
        cues += tone.on_event(AudioLevel("agent", t, -30.0, -20.0))
    for t in range(6_000, 7_000, 250):  # a bit louder: -25
        cues += tone.on_event(AudioLevel("agent", t, -25.0, -15.0))
    assert cues == []
    for t in range(7_000, 8_000, 250):  # shouting: -15
        cues += tone.on_event(AudioLevel("agent", t, -15.0, -5.0))
    assert [c.kind for c in cues] == ["loud"]
    assert cues[0].value >= 10


def test_silence_does_not_count_towards_the_baseline() -> None:
    tone = ToneAnalyzer(SETTINGS, "zh")
    for t in range(0, 10_000, 250):
        assert tone.on_event(AudioLevel("agent", t, -80.0, -70.0)) == []
    # no baseline yet: a loud start is not judged
    assert tone.on_event(AudioLevel("agent", 10_000, -10.0, -5.0)) == []


def test_talk_over_beyond_the_limit_once_per_cooldown() -> None:
    tone = ToneAnalyzer(SETTINGS, "zh")
    assert tone.on_event(final("debtor", "我 现在 真的 没 钱", 0, 3_000)) == []
    short = tone.on_event(final("agent", "嗯 嗯", 2_600, 3_200))  # 0.4 s overlap
    assert short == []
    long = tone.on_event(final("agent", "你 听 我 说", 1_000, 3_000, utt=1))  # 2 s overlap
    assert [c.kind for c in long] == ["talk_over"]
    again = tone.on_event(final("agent", "你 听 我 说", 1_000, 3_000, utt=2))
    assert again == []  # cool-down
