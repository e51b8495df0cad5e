"""A demo call: a scripted dialogue replayed through the real call session.

With no speech model and no microphone, the demo still drives every part a
live call does: the session's threads, one recogniser worker per speaker,
the rule engine (flags from partials and finals, required statements, tone
cues), the recorder. Only the two ends are scripted:

- ``ScriptedCallSource`` delivers audio per speaker at real-time pace
  (× ``speed``): a faint hum while that speaker's turn is spoken, near
  silence otherwise (never zero, so level meters move a little).
- ``ScriptedRecognizer`` hears that audio as a recogniser would: it does not
  know its speaker, only the script; speech at call time *t* can only be the
  turn spoken then (turns never overlap). It reveals the turn's words as
  their end times pass (``PartialResult``) and closes the utterance at the
  first quiet block after it (``AcceptWaveform`` returns True), with word
  times on the call's timeline.

Words are what Vosk prints: for Chinese one character per word (no
segmenter is needed, and the rule engine joins the words before matching),
for English lower-case words; punctuation is dropped, numbers stay digits.
The dialogues are the demo data set's (``resources/demo/dialogues.yaml``),
filled in for one fictional case per language.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from agent_assist.asr.worker import Recognizer, RecognizerFactory
from agent_assist.audio.frames import SAMPLE_WIDTH, EventSink, Frame, FrameSink
from agent_assist.audio.source import AudioSource
from agent_assist.events import SourceError, Speaker
from agent_assist.store.cases_repo import CaseInput

# The demo data set's own loaders: the demo call fills the dialogues in as it does.
from agent_assist.store.demo import (
    LANGS,
    DemoCase,
    Staff,
    demo_placeholders,
    demo_promise_amount,
    demo_setup,
    demo_staff,
    demo_yaml,
)

AGENT: Speaker = "agent"
DEBTOR: Speaker = "debtor"
MODEL_NAME = "scripted (demo call)"  # what CallStarted names as the model

_HUM = 100  # peak amplitude of "speech": about -50 dBFS, below the tone cues' voiced level
_QUIET = 3  # the line's hiss between turns: about -80 dBFS
_SPEECH_PEAK = 30  # what the recogniser hears as speech: well between the two


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast the script is spoken (an unhurried collector: no fast-speech cue)."""

    zh_chars_per_s: float = 4.0
    en_words_per_s: float = 2.5
    pause_ms: int = 800  # between turns; at least two audio blocks
    lead_in_ms: int = 1200  # ringing before the first "hello"
    tail_ms: int = 1000  # line open after the last turn


@dataclass(frozen=True, slots=True)
class DemoDialogue:
    id: str
    lang: str  # "zh" / "en": a section of dialogues.yaml
    language: str  # the pack's language tag, e.g. "zh-CN"
    pack: str  # the bundled rule pack its calls run through
    outcome: str
    turns: tuple[tuple[Speaker, str], ...]  # (speaker, the line as written)


@dataclass(frozen=True, slots=True)
class ScriptedWord:
    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class ScriptedTurn:
    speaker: Speaker
    text: str  # as a recogniser prints it: the words joined by spaces
    words: tuple[ScriptedWord, ...]

    @property
    def start_ms(self) -> int:
        return self.words[0].start_ms

    @property
    def end_ms(self) -> int:
        return self.words[-1].end_ms


@dataclass(frozen=True, slots=True)
class Script:
    dialogue_id: str
    turns: tuple[ScriptedTurn, ...]
    duration_ms: int

    def turn_at(self, start_ms: int, end_ms: int) -> ScriptedTurn | None:
        """The turn spoken during [start_ms, end_ms), if any."""
        return next((t for t in self.turns if t.start_ms < end_ms and t.end_ms > start_ms), None)

    def speaking(self, speaker: Speaker, start_ms: int, end_ms: int) -> bool:
        turn = self.turn_at(start_ms, end_ms)
        return turn is not None and turn.speaker == speaker


# --- the dialogues ---------------------------------------------------------

# One fictional case per language; the dialogues' placeholders are filled from it.
_CASES = {
    "zh": DemoCase(
        "zh",
        CaseInput(
            "DEMO-CN-CC-00042", "DEMO-CN-000042", "刘芳", None, (), None, "Asia/Shanghai",
            None, "zh-CN", "信用卡", "CNY", Decimal(30000), Decimal("4860.00"), 47, "M2",
        ),
        female=True,
        phone="13912345678",
    ),
    "en": DemoCase(
        "en",
        CaseInput(
            "DEMO-US-CC-00042", "DEMO-US-000042", "Emily Walsh", None, (), None,
            "America/New_York", None, "en-US", "credit card", "USD", Decimal(6000),
            Decimal("1284.50"), 47, "M2",
        ),
        female=True,
        phone="(617) 555-0142",
    ),
}  # fmt: skip


def load_dialogues(today: date) -> dict[str, DemoDialogue]:
    """Every demo dialogue by id, filled in; promised dates count from ``today``."""
    dialogues: dict[str, DemoDialogue] = {}
    for lang in LANGS:
        collector = next(
            s for s in demo_staff().values() if (s.team, s.role) == (lang, "collector")
        )
        for script in demo_yaml("dialogues.yaml")[lang]:
            dialogues[script["id"]] = _dialogue(lang, collector, script, today)
    return dialogues


def _dialogue(lang: str, collector: Staff, script: dict[str, Any], today: date) -> DemoDialogue:
    setup, case = demo_setup(lang), _CASES[lang]
    promise = script.get("promise") or {"days": 0, "share": 0}
    amount = demo_promise_amount(case, Decimal(str(promise["share"])))
    values = demo_placeholders(case, collector, amount, today + timedelta(days=promise["days"]))
    values["dpd"] = str(case.item.days_past_due)
    turns = []
    for turn in script["turns"]:
        ((who, line),) = turn.items()
        turns.append((AGENT if who == "A" else DEBTOR, str(line).format_map(values)))
    return DemoDialogue(
        script["id"], lang, setup["language"], setup["pack"], script["outcome"], tuple(turns)
    )


# Letters and digits; a point or comma between digits (1,284.50); an apostrophe in a word.
_RUN = re.compile(r"[^\W_]+(?:(?:'|(?<=\d)[.,](?=\d))[^\W_]+)*")


def spoken_words(text: str, lang: str) -> list[str]:
    """The words a recogniser would print for ``text``: see the module's docstring."""
    words = []
    for found in _RUN.findall(text.replace("’", "'")):
        run = re.sub(r"(?<=\d),(?=\d)", "", found)  # 1,284.50 is said as one number
        if lang == "zh":
            # Chinese characters one by one; Latin letters and digits as whole words.
            words.extend(re.findall(r"[0-9A-Za-z.']+|.", run))
        else:
            words.append(run.lower())
    return words


def timeline(dialogue: DemoDialogue, pace: Pace = Pace()) -> Script:
    """When each word is spoken: turn after turn, a pause between them."""
    turns, at = [], pace.lead_in_ms
    for speaker, line in dialogue.turns:
        words, start = [], at
        for word in spoken_words(line, dialogue.lang):
            if dialogue.lang == "zh":
                ms = 1000 * len(word) / pace.zh_chars_per_s if not word.isascii() else 600
            else:
                ms = 1000 / pace.en_words_per_s
            end = round(start + ms)
            words.append(ScriptedWord(word, round(start), end))
            start = end
        if not words:
            continue
        turn = ScriptedTurn(speaker, " ".join(w.text for w in words), tuple(words))
        turns.append(turn)
        at = turn.end_ms + pace.pause_ms
    end = turns[-1].end_ms if turns else 0
    return Script(dialogue.id, tuple(turns), end + pace.tail_ms)


# --- the recogniser --------------------------------------------------------


class ScriptedRecognizer:
    """Recognises the script's words in the audio it hears (Vosk's interface)."""

    def __init__(self, script: Script, rate: int) -> None:
        self._script = script
        self._rate = rate
        self._samples = 0  # its clock: samples since its first one, as Vosk's
        self._turn: ScriptedTurn | None = None  # the utterance being heard
        self._heard_ms = 0

    def AcceptWaveform(self, data: bytes) -> int:
        start_ms = self._samples * 1000 // self._rate
        self._samples += len(data) // SAMPLE_WIDTH
        end_ms = self._samples * 1000 // self._rate
        pcm = np.frombuffer(data, dtype="<i2")
        if pcm.size and int(np.abs(pcm.astype(np.int32)).max()) >= _SPEECH_PEAK:
            if self._turn is None:
                self._turn = self._script.turn_at(start_ms, end_ms)
            self._heard_ms = end_ms
            return 0
        return 1 if self._turn is not None else 0  # quiet after speech: an endpoint

    def PartialResult(self) -> str:
        words = self._heard()
        return json.dumps(
            {"partial": " ".join(w.text for w in words), "partial_result": _json_words(words)},
            ensure_ascii=False,
        )

    def Result(self) -> str:
        words = self._heard()
        self._turn = None
        return json.dumps(
            {"text": " ".join(w.text for w in words), "result": _json_words(words)},
            ensure_ascii=False,
        )

    def FinalResult(self) -> str:
        return self.Result()

    def _heard(self) -> list[ScriptedWord]:
        if self._turn is None:
            return []
        return [w for w in self._turn.words if w.end_ms <= self._heard_ms]


def _json_words(words: list[ScriptedWord]) -> list[dict[str, object]]:
    return [
        {"word": w.text, "start": w.start_ms / 1000, "end": w.end_ms / 1000, "conf": 1.0}
        for w in words
    ]


def scripted_recognizer_factory(script: Script) -> RecognizerFactory:
    def build(rate: int) -> Recognizer:
        return ScriptedRecognizer(script, rate)

    return build


# --- the source ------------------------------------------------------------


class ScriptedCallSource(AudioSource):
    """Two speakers' audio for a dialogue, at real-time pace × ``speed``."""

    def __init__(
        self,
        dialogue: DemoDialogue,
        rate: int = 16000,
        speed: float = 1.0,
        *,
        pace: Pace = Pace(),
        block_ms: int = 100,
    ) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        if pace.pause_ms < 2 * block_ms:  # else the recogniser may hear two turns as one
            raise ValueError(f"a pause of {pace.pause_ms} ms is under two {block_ms} ms blocks")
        self.speakers = (AGENT, DEBTOR)
        self.rate = rate
        self.speed = speed
        self.script = timeline(dialogue, pace)
        self._block_ms = block_ms
        self._block = rate * block_ms // 1000
        rng = np.random.default_rng(7)  # the same hum on every run
        noise = rng.uniform(-1, 1, (8, self._block))
        # Several blocks of hum at slightly different loudness: the meter moves.
        self._speech = [
            (row * _HUM * (0.7 + 0.3 * i / 7)).astype("<i2").tobytes()
            for i, row in enumerate(noise)
        ]
        self._quiet = (rng.uniform(-1, 1, self._block) * _QUIET).astype("<i2").tobytes()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def describe(self) -> str:
        return f"demo:{self.script.dialogue_id} (scripted: {', '.join(self.speakers)})"

    def start(self, on_frame: FrameSink, on_event: EventSink) -> None:
        if self._thread is not None:
            raise RuntimeError("a source starts once")
        self._thread = threading.Thread(
            target=self._run, args=(on_frame, on_event), name="demo-call", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is None:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    @property
    def overflows(self) -> int:
        return 0  # it waits for its consumer, as a file does

    def _run(self, on_frame: FrameSink, on_event: EventSink) -> None:
        block = 0
        try:
            blocks = -(-self.script.duration_ms // self._block_ms)
            start_ns = time.monotonic_ns()
            for block in range(blocks):
                # Due when its last sample would have been spoken, sped up.
                due_ns = start_ns + round((block + 1) * self._block_ms * 1e6 / self.speed)
                if self._stop.wait(max(0.0, (due_ns - time.monotonic_ns()) / 1e9)):
                    break
                self._deliver(on_frame, block, time.monotonic_ns())
        except Exception as exc:  # a thread must not die with a traceback: report it
            on_event(
                SourceError(
                    code="file_error",  # the nearest kind: a replay that broke
                    message=f"the demo call failed: {exc}",
                    t_ms=block * self._block_ms,
                    fatal=True,
                )
            )
        finally:
            self._done.set()

    def _deliver(self, on_frame: FrameSink, block: int, captured_ns: int) -> None:
        start_ms, end_ms = block * self._block_ms, (block + 1) * self._block_ms
        for speaker in self.speakers:
            speaking = self.script.speaking(speaker, start_ms, end_ms)
            pcm = self._speech[block % len(self._speech)] if speaking else self._quiet
            on_frame(Frame(speaker, pcm, self.rate, block * self._block, captured_ns))
