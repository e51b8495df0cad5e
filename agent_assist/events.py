"""The call event stream: immutable values that cross threads.

Every event carries ``t_ms``, a call-relative time in milliseconds on the
*audio* timeline (0 = the first sample of the call), so events from two
speakers can be merged and a transcript replayed exactly. Speakers are labels
such as ``"agent"`` and ``"debtor"``.

The rule engine, the store, the desktop UI and ``agent-assist transcribe``
consume this stream; ``docs/events.md`` documents it. The JSON form of an
event is ``to_dict(event)``: the dataclass fields plus ``"type"``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

Speaker = str


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word with its call-relative times and confidence (0..1)."""

    text: str
    start_ms: int
    end_ms: int
    conf: float | None = None


@dataclass(frozen=True, slots=True)
class Alternative:
    """One n-best hypothesis of a final result (when alternatives are enabled).

    ``confidence`` is the decoder's lattice score for the hypothesis: higher is
    better, comparable only between alternatives of the same utterance.
    """

    text: str
    confidence: float
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class CallStarted:
    call_id: str
    speakers: tuple[Speaker, ...]
    source: str
    model: str
    sample_rate: int
    started_at: str  # wall-clock start, ISO 8601 with time zone
    t_ms: int = 0


@dataclass(frozen=True, slots=True)
class Partial:
    """The recogniser's current guess for the utterance in progress; it may still change."""

    speaker: Speaker
    utterance: int  # per-speaker counter; the Final with the same number closes it
    text: str
    start_ms: int  # where the utterance began (approximate without partial words)
    t_ms: int  # audio time decoded when this guess was made
    words: tuple[Word, ...] = ()
    # Monotonic clock (ns) when the newest audio behind this guess was captured;
    # for latency measurement only, not part of the JSON contract.
    captured_ns: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Final:
    """A finished utterance. Never retracted; the transcript of record."""

    speaker: Speaker
    utterance: int
    text: str
    start_ms: int
    end_ms: int
    t_ms: int
    words: tuple[Word, ...] = ()
    confidence: float | None = None  # mean word confidence (0..1); None without word scores
    alternatives: tuple[Alternative, ...] = ()
    captured_ns: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AudioLevel:
    """Loudness of one speaker's audio over the last level interval."""

    speaker: Speaker
    t_ms: int
    rms_dbfs: float
    peak_dbfs: float


SourceErrorCode = Literal[
    "no_devices",
    "device_not_found",
    "device_lost",
    "unsupported_format",
    "overflow",
    "file_error",
    "recognizer_failed",
]


@dataclass(frozen=True, slots=True)
class SourceError:
    """An audio problem. ``fatal`` means that speaker's audio has stopped.

    Non-fatal errors (``overflow``: audio dropped because the machine fell
    behind) are reported with running counts; the call goes on.
    """

    code: SourceErrorCode
    message: str
    t_ms: int
    speaker: Speaker | None = None
    fatal: bool = False
    count: int = 0


EndReason = Literal["completed", "stopped", "source_error"]


@dataclass(frozen=True, slots=True)
class CallEnded:
    reason: EndReason
    t_ms: int
    overflows: int = 0
    message: str = ""


FlagState = Literal["raised", "confirmed", "retracted"]
MatchKind = Literal["exact", "homophone", "fuzzy"]


@dataclass(frozen=True, slots=True)
class Flag:
    """A rule matched what a speaker said.

    Raised from a partial result (fast), then confirmed by the final result,
    or retracted when the final no longer says it. A flag found only in the
    final result arrives confirmed. ``flag_id`` is the same across the states
    of one flag. ``start``/``end`` index ``text``, the utterance as printed.
    """

    flag_id: str
    state: FlagState
    rule_id: str
    category: str  # a taxonomy id
    severity: str
    speaker: Speaker
    utterance: int
    text: str
    start: int
    end: int
    kind: MatchKind
    score: float
    explanation: str
    reply: str | None
    t_ms: int


@dataclass(frozen=True, slots=True)
class RequirementMissed:
    """Something the collector had to say early in the call was not said in time."""

    requirement_id: str
    speaker: Speaker
    within_s: float
    severity: str
    explanation: str
    t_ms: int


ToneKind = Literal["fast_speech", "loud", "talk_over"]


@dataclass(frozen=True, slots=True)
class ToneCue:
    """A calm-down nudge for the collector: too fast, too loud, or talking over."""

    kind: ToneKind
    speaker: Speaker
    value: float  # chars/s or words/min, dB above baseline, or seconds of overlap
    threshold: float
    message: str
    t_ms: int


Event = (
    CallStarted
    | Partial
    | Final
    | AudioLevel
    | SourceError
    | CallEnded
    | Flag
    | RequirementMissed
    | ToneCue
)

_TYPE_NAMES: dict[type, str] = {
    CallStarted: "call_started",
    Partial: "partial",
    Final: "final",
    AudioLevel: "audio_level",
    SourceError: "source_error",
    CallEnded: "call_ended",
    Flag: "flag",
    RequirementMissed: "requirement_missed",
    ToneCue: "tone_cue",
}


def type_name(event: Event) -> str:
    return _TYPE_NAMES[type(event)]


def to_dict(event: Event) -> dict[str, Any]:
    """JSON-ready form: ``{"type": ..., **fields}`` without diagnostic fields."""
    data: dict[str, Any] = {"type": type_name(event)}
    for f in dataclasses.fields(event):
        if f.compare is False:
            continue
        data[f.name] = _plain(getattr(event, f.name))
    return data


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
