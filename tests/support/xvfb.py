"""A private Xvfb server: the real desktop (QT_QPA_PLATFORM=xcb) without a screen.

Xvfb picks a free display number itself and writes it to ``-displayfd`` once it
accepts clients, so parallel runs never collide and no polling is needed. The
server is gone after :meth:`stop`.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path


class XvfbError(RuntimeError):
    pass


class XvfbServer:
    def __init__(self, log_dir: Path) -> None:
        self.display = ""  # ":N" once started
        self._process: subprocess.Popen[bytes] | None = None
        self._log = log_dir / "xvfb.log"

    @staticmethod
    def available() -> bool:
        return shutil.which("Xvfb") is not None

    def client_env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display}

    def start(self, timeout: float = 15.0) -> None:
        read_end, write_end = os.pipe()
        try:
            with self._log.open("wb") as log:
                self._process = subprocess.Popen(
                    [
                        "Xvfb",
                        "-displayfd",
                        str(write_end),
                        "-screen",
                        "0",
                        "1600x1000x24",
                        "-nolisten",
                        "tcp",
                    ],
                    pass_fds=(write_end,),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
            os.close(write_end)
            write_end = -1
            self.display = f":{self._read_display(read_end, timeout)}"
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)

    def _read_display(self, read_end: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        received = b""
        while not received.endswith(b"\n"):
            ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(read_end, 64) if ready else b""
            if not chunk:  # timed out, or Xvfb exited and closed the pipe
                self.stop()
                raise XvfbError(f"Xvfb did not start within {timeout} s: {self.log()}")
            received += chunk
        return int(received)

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        self._process = None

    def log(self) -> str:
        try:
            return self._log.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"
