"""A spoken drill's answers: the trainee's final results from a live call session.

The session has the trainee as speaker ``agent`` and no analyzers (the drill runs the
rules itself, on the debtor's lines too); its audio levels feed the drill's tone cues.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from agent_assist.call.session import CallSession
from agent_assist.events import AudioLevel, CallEnded, Final


def spoken_answers(
    session: CallSession, on_level: Callable[[AudioLevel], None]
) -> Generator[Final, None, None]:
    """Starts the session and yields each non-empty final result of the trainee until the
    call ends (``session.stop()`` from any thread ends it: what was said before is still
    decoded and yielded). Closing the generator stops the call; either way its workers
    are drained, so their threads end."""
    session.start()
    ended = False
    try:
        for event in session.events():
            if isinstance(event, AudioLevel):
                on_level(event)
            elif isinstance(event, Final) and event.speaker == "agent" and event.text.strip():
                yield event
            elif isinstance(event, CallEnded):
                ended = True
    finally:
        if not ended:  # closed early: to the call's end, so the workers' threads end
            session.stop()
            for _ in session.events():
                pass
