"""The demo call: a scripted dialogue through the real session, recogniser worker and rules."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_assist import app
from agent_assist.audio.frames import Frame
from agent_assist.call.demo import (
    AGENT,
    DEBTOR,
    MODEL_NAME,
    DemoDialogue,
    Pace,
    ScriptedCallSource,
    ScriptedRecognizer,
    load_dialogues,
    spoken_words,
    timeline,
)
from agent_assist.call.session import Analyzer
from agent_assist.events import (
    AudioLevel,
    CallEnded,
    CallStarted,
    Event,
    Final,
    Flag,
    Partial,
    RequirementMissed,
)

DIALOGUES = load_dialogues(date(2026, 11, 27))
FAST = 2000.0  # a 45 s dialogue in about 25 ms of pacing


def run_demo(
    dialogue_id: str, speed: float = FAST, analyzers: Sequence[Analyzer] = ()
) -> tuple[ScriptedCallSource, list[Event]]:
    source = ScriptedCallSource(DIALOGUES[dialogue_id], speed=speed)
    session = app.demo_session(source, 250, analyzers)
    session.start()
    return source, list(session.events(timeout=30))


def test_the_dialogues_are_the_demo_data_sets_filled_in() -> None:
    assert {"zh-workplace-threat", "en-threats", "zh-salary-promise"} <= DIALOGUES.keys()
    for dialogue in DIALOGUES.values():
        assert dialogue.turns
        for speaker, line in dialogue.turns:
            assert speaker in (AGENT, DEBTOR)
            assert "{" not in line, (dialogue.id, line)
            assert "}" not in line, (dialogue.id, line)
    (first, *_) = DIALOGUES["zh-workplace-threat"].turns
    assert first == (AGENT, "喂，刘芳是吧？")


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("喂，刘芳是吧？", "zh", ["喂", "刘", "芳", "是", "吧"]),
        ("欠了4,860元，工号3027。", "zh", ["欠", "了", "4860", "元", "工", "号", "3027"]),
        ("Is this Emily Walsh?", "en", ["is", "this", "emily", "walsh"]),
        ("You’re 47 days late; $1,284.50.", "en", ["you're", "47", "days", "late", "1284.50"]),
        ("……", "zh", []),
    ],
)
def test_words_are_what_a_recogniser_prints(text: str, lang: str, words: list[str]) -> None:
    assert spoken_words(text, lang) == words


_LINES = st.lists(
    st.tuples(
        st.sampled_from((AGENT, DEBTOR)),
        st.text(alphabet=st.sampled_from("你好还钱吧，。 abc19"), max_size=30),
    ),
    max_size=8,
)


@given(lines=_LINES, lang=st.sampled_from(("zh", "en")), pause=st.integers(200, 2000))
def test_turns_never_overlap_and_words_follow_each_other(
    lines: list[tuple[str, str]], lang: str, pause: int
) -> None:
    dialogue = DemoDialogue("t", lang, "", "none", "", tuple(lines))
    script = timeline(dialogue, Pace(pause_ms=pause))
    assert len(script.turns) == sum(1 for _, line in lines if spoken_words(line, lang))
    for before, after in zip(script.turns, script.turns[1:], strict=False):
        assert after.start_ms - before.end_ms == pause
    for turn in script.turns:
        assert turn.text == " ".join(w.text for w in turn.words)
        for a, b in zip(turn.words, turn.words[1:], strict=False):
            assert a.start_ms < a.end_ms == b.start_ms
    assert script.duration_ms >= (script.turns[-1].end_ms if script.turns else 0)


def test_the_source_paces_its_blocks_and_speed_scales_the_pace() -> None:
    source = ScriptedCallSource(DIALOGUES["zh-wrong-number"], speed=100)
    frames: list[Frame] = []
    begun = time.monotonic_ns()

    def keep(frame: Frame) -> None:
        frames.append(frame)

    source.start(keep, lambda event: None)
    assert source.wait(30)
    blocks = -(-source.script.duration_ms // 100)
    assert len(frames) == 2 * blocks  # one per speaker per 100 ms block
    for i in range(0, len(frames), 2):
        agent, debtor = frames[i], frames[i + 1]
        assert (agent.speaker, debtor.speaker) == (AGENT, DEBTOR)
        assert agent.start_sample == debtor.start_sample == i // 2 * 1600
        # Due when its last sample would have been spoken, 100 times faster.
        assert agent.captured_ns - begun >= (i // 2 + 1) * 100_000_000 // 100
    assert (time.monotonic_ns() - begun) / 1e9 >= source.script.duration_ms / 1000 / 100
    # The other speaker is quiet while one speaks: never both voiced at once.
    loud = [f for f in frames if np.abs(np.frombuffer(f.pcm, "<i2")).max() >= 30]
    assert {f.speaker for f in loud} == {AGENT, DEBTOR}
    assert len({f.start_sample for f in loud}) == len(loud)


@pytest.mark.parametrize("dialogue_id", ["zh-workplace-threat", "en-threats"])
def test_one_final_per_turn_with_growing_partials_on_the_scripts_times(dialogue_id: str) -> None:
    source, events = run_demo(dialogue_id)
    script = source.script
    assert isinstance(events[0], CallStarted)
    assert events[0].model == MODEL_NAME
    assert events[0].speakers == (AGENT, DEBTOR)
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert ended.reason == "completed"
    assert ended.t_ms >= script.duration_ms
    # Each speaker has its own worker thread: across speakers, order follows decoding.
    finals = sorted((e for e in events if isinstance(e, Final)), key=lambda f: f.start_ms)
    assert [(f.speaker, f.text) for f in finals] == [(t.speaker, t.text) for t in script.turns]
    for speaker in (AGENT, DEBTOR):
        numbers = [f.utterance for f in finals if f.speaker == speaker]
        assert numbers == list(range(len(numbers)))
    for final, turn in zip(finals, script.turns, strict=True):
        assert (final.start_ms, final.end_ms) == (turn.start_ms, turn.end_ms)
        assert [(w.text, w.start_ms, w.end_ms) for w in final.words] == [
            (w.text, w.start_ms, w.end_ms) for w in turn.words
        ]
        assert turn.end_ms <= final.t_ms <= turn.end_ms + 300  # the next quiet block ends it
        partials = [
            e
            for e in events
            if isinstance(e, Partial)
            and (e.speaker, e.utterance) == (final.speaker, final.utterance)
        ]
        assert len(partials) >= 2
        texts = [p.text for p in partials]
        for shorter, longer in zip(texts, [*texts[1:], final.text], strict=True):
            assert longer.startswith(shorter)
            assert len(longer) >= len(shorter)
        assert all(p.start_ms == turn.start_ms for p in partials)
        assert [p.t_ms for p in partials] == sorted(p.t_ms for p in partials)
        assert all(p.t_ms >= p.words[-1].end_ms for p in partials)
        assert events.index(partials[-1]) < events.index(final)


def test_levels_move_a_little_and_never_read_as_loud_speech() -> None:
    _, events = run_demo("zh-salary-promise")
    levels = [e for e in events if isinstance(e, AudioLevel) and e.speaker == AGENT]
    readings = {e.rms_dbfs for e in levels}
    assert len(readings) > 2  # a meter that moves
    assert all(-96 < db < -45 for db in readings)  # nonzero, and quieter than real speech


@pytest.mark.parametrize(
    ("dialogue_id", "raised"),
    [
        ("zh-workplace-threat", {"agent.threat", "agent.third_party_disclosure"}),
        ("zh-insult", {"agent.insult"}),
        ("zh-false-legal", {"agent.false_legal"}),
        ("en-threats", {"agent.threat", "agent.false_legal"}),
        ("en-third-party", {"agent.third_party_disclosure"}),
    ],
)
def test_the_real_pack_raises_the_collectors_violations(dialogue_id: str, raised: set[str]) -> None:
    dialogue = DIALOGUES[dialogue_id]
    _, events = run_demo(dialogue_id, analyzers=app.live_analyzers(dialogue.pack))
    flags = [e for e in events if isinstance(e, Flag)]
    confirmed = {f.category for f in flags if f.state == "confirmed"}
    assert raised <= confirmed
    for category in raised:  # seen on a partial first, then confirmed by the final
        states = [f.state for f in flags if f.category == category]
        assert states.index("raised") < states.index("confirmed")


@pytest.mark.parametrize("dialogue_id", ["zh-salary-promise", "en-paycheck-promise"])
def test_a_compliant_call_raises_no_agent_flag_and_misses_no_statement(dialogue_id: str) -> None:
    dialogue = DIALOGUES[dialogue_id]
    _, events = run_demo(dialogue_id, analyzers=app.live_analyzers(dialogue.pack))
    assert not [e for e in events if isinstance(e, Flag) and e.category.startswith("agent.")]
    assert not [e for e in events if isinstance(e, RequirementMissed)]
    assert {"debtor.promise_to_pay"} <= {e.category for e in events if isinstance(e, Flag)}


def test_stopping_mid_turn_keeps_only_the_words_heard() -> None:
    source = ScriptedCallSource(DIALOGUES["zh-salary-promise"], speed=20)
    session = app.demo_session(source)
    session.start()
    events: list[Event] = []
    for event in session.events(timeout=30):
        events.append(event)
        if isinstance(event, Partial) and event.utterance == 1 and event.speaker == AGENT:
            session.stop()
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert ended.reason == "stopped"
    assert ended.t_ms < source.script.duration_ms
    cut = next(e for e in events if isinstance(e, Final) and (e.speaker, e.utterance) == (AGENT, 1))
    turn = next(t for t in source.script.turns if t.start_ms == cut.start_ms)
    assert turn.text.startswith(cut.text)
    assert len(cut.text) < len(turn.text)  # a 10 s line, stopped half a second into it


def test_the_recogniser_hears_nothing_in_quiet_audio() -> None:
    script = timeline(DIALOGUES["en-cease"])
    recognizer = ScriptedRecognizer(script, 16000)
    quiet = b"\x02\x00" * 1600
    for _ in range(100):  # 10 s, across several turns' times
        assert recognizer.AcceptWaveform(quiet) == 0
    assert recognizer.Result() == '{"text": "", "result": []}'
