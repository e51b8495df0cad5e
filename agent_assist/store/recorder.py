"""Persists a live call as its events arrive (see :mod:`agent_assist.store.call_log`)."""

from __future__ import annotations

from typing import Protocol

from agent_assist.events import Event
from agent_assist.store.call_log import CallOps, Op


class Writer(Protocol):
    def write(self, op: Op) -> None: ...


class CallRecorder:
    def __init__(self, ops: CallOps, writer: Writer) -> None:
        self._ops = ops
        self._writer = writer

    def record(self, event: Event) -> None:
        for op in self._ops.ops_for(event):
            self._writer.write(op)
