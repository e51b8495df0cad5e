"""Which scripts to show the collector now: a deterministic ranking.

Order: the rule pack's reply for the latest cue (when given), then scripts answering
that cue, then scripts written for this stage, then for this segment, then general
ones; ties keep their order in the file. A script written for other stages or
segments, or answering another cue, is never shown: a legal-stage line in an early
call, or a hardship reply to a dispute, would mislead.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_assist.script_library.model import Script, ScriptLibrary

# Why a script was chosen, strongest first; also its rank.
WHY_REPLY = "reply"  # the rule pack names it for the latest cue
WHY_CUE = "cue"
WHY_STAGE = "stage"
WHY_SEGMENT = "segment"
WHY_GENERAL = "general"


@dataclass(frozen=True, slots=True)
class Suggestion:
    script: Script
    why: tuple[str, ...]  # of WHY_*: what made it rank where it does


def suggest(
    library: ScriptLibrary,
    *,
    stage: str | None,
    segment: str | None,
    cue: str | None,
    limit: int = 3,
    reply_id: str | None = None,
    purpose: str | None = None,
) -> list[Suggestion]:
    """Up to ``limit`` scripts for a call at ``stage`` with a debtor of ``segment``.

    ``cue`` is the latest taxonomy id heard (None: nothing yet, general scripts only);
    ``reply_id`` the script the matching rule names; ``purpose`` narrows to one purpose.
    """
    if limit <= 0:
        return []
    ranked: list[tuple[tuple[int, ...], int, Suggestion]] = []
    for order, script in enumerate(library.scripts):
        if reply_id is not None and script.id == reply_id:
            # The rule's author chose it for this cue: shown whatever its stage or segment.
            ranked.append(((0,), order, Suggestion(script, (WHY_REPLY,))))
            continue
        if not _fits(script, stage, segment, cue, purpose):
            continue
        why = tuple(
            reason
            for reason, hit in (
                (WHY_CUE, cue is not None and cue in script.cues),
                (WHY_STAGE, stage is not None and stage in script.stages),
                (WHY_SEGMENT, segment is not None and segment in script.segments),
                (WHY_GENERAL, script.general),
            )
            if hit
        )
        key = (1, *(int(reason not in why) for reason in (WHY_CUE, WHY_STAGE, WHY_SEGMENT)))
        ranked.append((key, order, Suggestion(script, why)))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return [suggestion for _, _, suggestion in ranked[:limit]]


def _fits(
    script: Script, stage: str | None, segment: str | None, cue: str | None, purpose: str | None
) -> bool:
    if purpose is not None and script.purpose != purpose:
        return False
    if script.stages and stage not in script.stages:
        return False
    if script.segments and segment is not None and segment not in script.segments:
        return False  # an unknown segment does not rule a script out
    return script.general or (cue is not None and cue in script.cues)
