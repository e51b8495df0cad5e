"""Calm-down nudges for the collector, from audio levels and word timing.

- Fast speech: speaking rate over a sliding window (characters per second of
  speech for Chinese, words per minute for English) above the pack's limit.
- Loud: the collector's level well above their own baseline, learned over
  the first seconds of their speech (headsets and voices differ too much
  for an absolute threshold).
- Talk-over: the collector's words overlapping the debtor's for longer than
  the limit within one utterance.
Each kind is nudged at most once per cool-down. Thresholds come from the pack.
"""

from __future__ import annotations

import statistics
import threading
from collections import deque

from agent_assist.events import AudioLevel, Event, Final, ToneCue, ToneKind, Word
from agent_assist.rules.model import Language, ToneSettings

_VOICED_DBFS = -45.0  # a level above this is speech, not line noise
_LOUD_SMOOTH = 4  # levels averaged before comparing with the baseline
_MIN_SPEECH_S = 3.0  # speech needed in the window before judging its rate
_HISTORY_MS = 30_000


def _units(text: str, language: Language) -> int:
    if language == "zh":
        return sum(1 for ch in text if not ch.isspace())
    return len(text.split())


class ToneAnalyzer:
    def __init__(self, settings: ToneSettings, language: Language, agent: str = "agent") -> None:
        self._s = settings
        self._language = language
        self._agent = agent
        self._speech: deque[tuple[int, int, int]] = deque()  # (start, end, units) of finals
        self._words: dict[str, deque[Word]] = {}
        self._baseline: list[float] = []
        self._baseline_db: float | None = None
        self._first_voiced_ms: int | None = None
        self._recent: deque[float] = deque(maxlen=_LOUD_SMOOTH)
        self._last_cue: dict[ToneKind, int] = {}
        self._lock = threading.Lock()

    def on_event(self, event: Event) -> list[ToneCue]:
        with self._lock:
            if isinstance(event, AudioLevel) and event.speaker == self._agent:
                return self._on_level(event)
            if isinstance(event, Final) and event.words:
                cues = self._talk_over(event)
                if event.speaker == self._agent:
                    cues += self._rate(event)
                return cues
            return []

    def _cue(
        self, kind: ToneKind, value: float, threshold: float, message: str, t_ms: int
    ) -> list[ToneCue]:
        last = self._last_cue.get(kind)
        if last is not None and t_ms - last < self._s.cooldown_s * 1000:
            return []
        self._last_cue[kind] = t_ms
        return [ToneCue(kind, self._agent, round(value, 1), threshold, message, t_ms)]

    def _rate(self, final: Final) -> list[ToneCue]:
        if self._s.max_rate <= 0:
            return []
        self._speech.append((final.start_ms, final.end_ms, _units(final.text, self._language)))
        horizon = final.end_ms - self._s.window_s * 1000
        while self._speech and self._speech[0][1] < horizon:
            self._speech.popleft()
        seconds = sum(end - start for start, end, _ in self._speech) / 1000
        if seconds < _MIN_SPEECH_S:
            return []
        units = sum(n for _, _, n in self._speech)
        rate = units / seconds if self._language == "zh" else units * 60 / seconds
        if rate <= self._s.max_rate:
            return []
        unit = "characters per second" if self._language == "zh" else "words per minute"
        return self._cue(
            "fast_speech",
            rate,
            self._s.max_rate,
            f"Slow down: {rate:.0f} {unit} (limit {self._s.max_rate:g}).",
            final.t_ms,
        )

    def _on_level(self, level: AudioLevel) -> list[ToneCue]:
        if self._s.loud_db_above_baseline <= 0 or level.rms_dbfs < _VOICED_DBFS:
            return []
        if self._baseline_db is None:
            if self._first_voiced_ms is None:
                self._first_voiced_ms = level.t_ms
            self._baseline.append(level.rms_dbfs)
            if level.t_ms - self._first_voiced_ms >= self._s.baseline_s * 1000:
                self._baseline_db = statistics.median(self._baseline)
            return []
        self._recent.append(level.rms_dbfs)
        if len(self._recent) < _LOUD_SMOOTH:
            return []
        above = statistics.fmean(self._recent) - self._baseline_db
        if above <= self._s.loud_db_above_baseline:
            return []
        return self._cue(
            "loud",
            above,
            self._s.loud_db_above_baseline,
            f"Lower your voice: {above:.0f} dB above your usual level.",
            level.t_ms,
        )

    def _talk_over(self, final: Final) -> list[ToneCue]:
        words = self._words.setdefault(final.speaker, deque())
        words.extend(final.words)
        while words and words[0].end_ms < final.end_ms - _HISTORY_MS:
            words.popleft()
        if self._s.talk_over_s <= 0:
            return []
        others = [w for speaker, ws in self._words.items() if speaker != final.speaker for w in ws]
        overlap_ms = sum(
            max(0, min(a.end_ms, b.end_ms) - max(a.start_ms, b.start_ms))
            for a in final.words
            for b in others
        )
        seconds = overlap_ms / 1000
        if seconds <= self._s.talk_over_s:
            return []
        return self._cue(
            "talk_over",
            seconds,
            self._s.talk_over_s,
            "Let the customer finish before you speak.",
            final.t_ms,
        )
