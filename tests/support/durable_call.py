"""A call that never ends, recorded to the database: run as a process and kill it.

``python -m tests.support.durable_call`` reads the database from the usual
settings (``AGENT_ASSIST_DB_URL`` / ``AGENT_ASSIST_DATA_DIR``), feeds a paced
stream of utterances through the fake recogniser, the real zh-CN rule engine
and the real recorder, and prints each event as a JSON line once it is stored.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading

from agent_assist import app
from agent_assist.audio.frames import EventSink, Frame, FrameSink
from agent_assist.audio.source import AudioSource
from agent_assist.call.session import CallSession
from agent_assist.events import to_dict
from tests.support.fakes import WordRecognizer, silent, voiced

SENTENCE = [
    "我们",
    "明天",
    "就",
    "去",
    "你",
    "单位",
    "闹",
    "手机",
    "一三八",
    "零零一三",
    "八零零零",
]
BLOCK_S = 0.02


class PacedSource(AudioSource):
    """Utterances of the sentence above, one 100 ms block every 20 ms, until stopped."""

    speakers = ("agent",)
    rate = 16000

    def __init__(self) -> None:
        self._stop = threading.Event()

    def describe(self) -> str:
        return "paced test source"

    def start(self, on_frame: FrameSink, on_event: EventSink) -> None:
        def run() -> None:
            sample = 0
            for i in itertools.count():
                make = silent if i % (len(SENTENCE) + 1) == len(SENTENCE) else voiced
                frame: Frame = make("agent", sample)
                on_frame(frame)
                sample += 1600
                if self._stop.wait(BLOCK_S):
                    return

        threading.Thread(target=run, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._stop.wait(timeout)

    @property
    def overflows(self) -> int:
        return 0


def main() -> int:
    db = app.open_store()
    recorder, _writer = app.call_recorder(db, "zh-CN")
    session = CallSession(
        PacedSource(),
        lambda rate: WordRecognizer(rate, SENTENCE * 10_000),
        model_name="fake",
        analyzers=app.live_analyzers("zh-CN"),
    )
    session.start()
    for event in session.events():
        recorder.record(event)
        sys.stdout.write(json.dumps(to_dict(event), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
