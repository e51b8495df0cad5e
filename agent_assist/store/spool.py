"""Keeps a call's writes safe while a shared database server is away.

Writes go straight to the database. When one fails because the server cannot
be reached, it and every later write of this process are appended to a local
spool file (flushed and fsynced: the file is the only copy) until a
background thread has replayed the whole file in order. Operations are
idempotent, so a write that reached the server just before the connection
dropped is harmless to replay. A spool left behind by a crashed or closed
process is replayed by the next one; a spool whose writer still runs (the
desktop and the trainer window, or a command, on one computer) is its own:
each writer holds a lock on its spool for its life (``filelock``: released by
the system when the process dies).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy.exc import DBAPIError

from agent_assist.store.call_log import Op

log = logging.getLogger(__name__)

Apply = Callable[[Op], None]


def is_unreachable(exc: BaseException) -> bool:
    """True when the server (not the data) is the problem: worth retrying later."""
    return isinstance(exc, DBAPIError) and (
        exc.connection_invalidated or type(exc.orig).__name__ in {"OperationalError"}
    )


class SpoolingWriter:
    def __init__(self, apply: Apply, folder: Path, *, retry_s: float = 2.0) -> None:
        self._apply = apply
        self._folder = folder
        self._retry_s = retry_s
        self._lock = threading.Lock()
        self._drained = threading.Condition()
        self._closed = threading.Event()
        self._wake = threading.Event()
        self._path = folder / f"spool-{uuid.uuid4().hex}.jsonl"
        self._rejected = folder / "rejected.jsonl"
        self._pending = 0
        self._replayer: threading.Thread | None = None
        folder.mkdir(parents=True, exist_ok=True)
        self._owner = _lock(self._path)
        self._owner.acquire(timeout=0)  # a new name: nobody else holds it
        for leftover in sorted(folder.glob("spool-*.jsonl")):
            if leftover != self._path:
                self._adopt_orphan(leftover)

    @property
    def pending(self) -> int:
        """Operations waiting in the spool for the server."""
        with self._lock:
            return self._pending

    def write(self, op: Op) -> None:
        with self._lock:
            if self._pending == 0:
                try:
                    self._apply(op)
                    return
                except Exception as exc:
                    if not is_unreachable(exc):
                        raise
                    log.warning("database unreachable, spooling writes: %s", exc)
            self._append(op)
            self._ensure_replayer()

    def flush(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the spool to drain; True when it is empty."""
        self._wake.set()
        with self._drained:
            return self._drained.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        """Stop replaying; writes still waiting stay in the spool for the next writer."""
        self._closed.set()
        self._wake.set()
        if self._replayer is not None:
            self._replayer.join()
        self._owner.release()
        if not self._path.exists():  # nothing left for another writer: no lock to keep
            self._path.with_suffix(".lock").unlink(missing_ok=True)

    # --- spool file --------------------------------------------------------

    def _adopt_orphan(self, leftover: Path) -> None:
        """Take over a spool whose writer has ended; one still running keeps its own."""
        lock = _lock(leftover)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return
        try:
            self._adopt(leftover)
        finally:
            lock.release()
            leftover.with_suffix(".lock").unlink(missing_ok=True)

    def _adopt(self, leftover: Path) -> None:
        try:
            lines = leftover.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:  # its writer replayed it and ended meanwhile
            return
        complete = [line for line in lines if line.strip().endswith("}")]
        if not complete:
            leftover.unlink()
            return
        with self._lock:
            with self._path.open("a", encoding="utf-8") as out:
                out.write("\n".join(complete) + "\n")
                out.flush()
                os.fsync(out.fileno())
            self._pending += len(complete)
            leftover.unlink()
            self._ensure_replayer()

    def _append(self, op: Op) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        with self._path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(op, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        self._pending += 1

    def _ensure_replayer(self) -> None:
        if self._replayer is None or not self._replayer.is_alive():
            self._replayer = threading.Thread(
                target=self._replay_loop, name="db-spool", daemon=True
            )
            self._replayer.start()

    def _replay_loop(self) -> None:
        while not self._replay_once() and not self._closed.is_set():
            self._wake.wait(self._retry_s)
            self._wake.clear()

    def _replay_once(self) -> bool:
        """Replay the spool in order; True once it is empty.

        The database calls run without the lock, so the call keeps spooling
        while a slow server times out; new lines only ever go at the end.
        """
        with self._lock:
            if self._pending == 0:
                return True
            lines = self._path.read_text(encoding="utf-8").splitlines()
        done = 0
        for line in lines:
            op = json.loads(line)
            try:
                self._apply(op)
            except Exception as exc:
                if is_unreachable(exc):
                    break
                # The server refused this write: keep it aside, never drop it.
                log.exception("a spooled write was refused; kept in %s", self._rejected)
                with self._rejected.open("a", encoding="utf-8") as out:
                    out.write(line + "\n")
            done += 1
        with self._lock:
            rest = self._path.read_text(encoding="utf-8").splitlines()[done:]
            if rest:
                tmp = self._path.with_suffix(".tmp")
                tmp.write_text("".join(line + "\n" for line in rest), encoding="utf-8")
                os.replace(tmp, self._path)
            else:
                self._path.unlink()
            self._pending = len(rest)
        if not rest:
            log.info("replayed %d spooled writes", done)
            with self._drained:
                self._drained.notify_all()
        return not rest


def _lock(spool: Path) -> FileLock:
    # Not thread-local: the window's thread may open a writer that a worker closes.
    return FileLock(spool.with_suffix(".lock"), thread_local=False)
