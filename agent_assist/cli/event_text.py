"""One line of text per event, for people reading ``transcribe --format text``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent_assist.events import (
    CallEnded,
    Event,
    Final,
    Flag,
    RequirementMissed,
    SourceError,
    ToneCue,
)


def clock(ms: int) -> str:
    return f"{ms // 60000:02d}:{ms % 60000 / 1000:05.2f}"


def _final(e: Final) -> str | None:
    return f"[{clock(e.start_ms)}] {e.speaker}: {e.text}" if e.text else None


def _flag(e: Flag) -> str:
    if e.state == "retracted":
        return f"[{clock(e.t_ms)}] RETRACTED {e.category} ({e.speaker})"
    return (
        f"[{clock(e.t_ms)}] {e.state.upper()} {e.category} ({e.severity}) "
        f"{e.speaker}: «{e.text[e.start : e.end]}» — {e.explanation}"
    )


def _missed(e: RequirementMissed) -> str:
    return f"[{clock(e.t_ms)}] MISSING {e.requirement_id}: {e.explanation}"


def _tone(e: ToneCue) -> str:
    return f"[{clock(e.t_ms)}] TONE {e.kind}: {e.message}"


def _source(e: SourceError) -> str:
    who = f" ({e.speaker})" if e.speaker else ""
    return f"[{clock(e.t_ms)}] audio problem{who}: {e.message}"


def _ended(e: CallEnded) -> str:
    return f"[{clock(e.t_ms)}] call ended: {e.reason}"


_RENDER: dict[type, Callable[[Any], str | None]] = {
    Final: _final,
    Flag: _flag,
    RequirementMissed: _missed,
    ToneCue: _tone,
    SourceError: _source,
    CallEnded: _ended,
}


def text_line(event: Event) -> str | None:
    """The line to print, or None for events people do not read (partials, levels)."""
    render = _RENDER.get(type(event))
    return render(event) if render else None
