"""A spoken drill's answers from a call session (the real session over a scripted call),
and the debtor's lines said in order on a thread of their own."""

from __future__ import annotations

import threading

from agent_assist import app
from agent_assist.call.demo import DemoDialogue, ScriptedCallSource
from agent_assist.call.session import CallSession
from agent_assist.events import AudioLevel
from agent_assist.training.listen import spoken_answers
from agent_assist.training.speech import LineSpeaker

ANSWERS = ("Hello, this is Sam from Harbor Bank.", "Could you pay two hundred by Friday?")


def scripted(speed: float) -> CallSession:
    turns = tuple(("agent", answer) for answer in ANSWERS)
    dialogue = DemoDialogue("drill", "en", "en-US", "en-US", "none", turns)
    return app.demo_session(ScriptedCallSource(dialogue, speed=speed))


def test_every_answer_until_the_call_ends_by_itself() -> None:
    levels: list[AudioLevel] = []
    session = scripted(speed=8.0)
    heard = [final.text for final in spoken_answers(session, levels.append)]
    assert heard == ["hello this is sam from harbor bank", "could you pay two hundred by friday"]
    assert levels  # the tone cues' levels
    assert session.wait(0)


def test_closing_early_stops_the_call() -> None:
    session = scripted(speed=1.0)
    answers = spoken_answers(session, lambda level: None)
    assert next(answers).text.startswith("hello")
    answers.close()
    assert session.wait(5)  # stopped, its workers drained


def test_lines_are_said_in_order_off_the_caller_s_thread() -> None:
    said: list[tuple[str, str]] = []
    speaker = LineSpeaker(lambda line: said.append((line, threading.current_thread().name)))
    for line in ("one", "two", "three"):
        speaker.say(line)
    speaker.close()
    assert speaker.join(5)
    assert said == [(line, "debtor-voice") for line in ("one", "two", "three")]


def test_closing_with_drop_says_no_more() -> None:
    go = threading.Event()
    said: list[str] = []

    def slow(line: str) -> None:
        go.wait(5)
        said.append(line)

    speaker = LineSpeaker(slow)
    for line in ("one", "two", "three"):
        speaker.say(line)
    speaker.close(drop=True)
    go.set()
    assert speaker.join(5)
    assert len(said) <= 1  # at most the line being said when it closed
