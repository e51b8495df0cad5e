"""A private PulseAudio server with a null sink: capture tests without a sound card.

What is played into the sink ``vsink`` comes back on its monitor source
``vsink.monitor``, which is made the default source, so PortAudio's ALSA
``pulse`` and ``default`` devices capture it. The server listens on its own
socket (``PULSE_SERVER=unix:<dir>/native``) and is gone after :meth:`stop`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path


class PulseError(RuntimeError):
    pass


class PulseServer:
    SINK = "vsink"

    def __init__(self, runtime_dir: Path) -> None:
        # A unix socket path must stay under ~108 bytes: keep ``runtime_dir`` short.
        self.dir = runtime_dir
        self.socket = runtime_dir / "native"
        self.server = f"unix:{self.socket}"
        self._process: subprocess.Popen[bytes] | None = None
        self._log = runtime_dir / "pulseaudio.log"

    @staticmethod
    def available() -> bool:
        return all(shutil.which(tool) for tool in ("pulseaudio", "pactl", "paplay"))

    def client_env(self) -> dict[str, str]:
        return {**os.environ, "PULSE_SERVER": self.server}

    def start(self, timeout: float = 15.0) -> None:
        env = {**os.environ, "HOME": str(self.dir), "XDG_RUNTIME_DIR": str(self.dir)}
        env.pop("PULSE_SERVER", None)
        command = [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=false",
            "--disable-shm=true",
            "--log-target=stderr",
            "-n",  # no default.pa: only the modules below
            f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
            f"--load=module-null-sink sink_name={self.SINK}",
            "--load=module-always-sink",
        ]
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        self._wait_ready(timeout)
        self.pactl("set-default-source", f"{self.SINK}.monitor")

    def _wait_ready(self, timeout: float) -> None:
        assert self._process is not None
        for _ in range(int(timeout / 0.1)):
            try:
                # Doubles as the pause between attempts, and notices a server that died.
                code = self._process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                if self._answers():
                    return
                continue
            raise PulseError(f"pulseaudio exited with {code}: {self.log()}")
        self.stop()
        raise PulseError(f"pulseaudio did not answer within {timeout} s: {self.log()}")

    def _answers(self) -> bool:
        result = subprocess.run(
            ["pactl", "info"], env=self.client_env(), capture_output=True, timeout=5, check=False
        )
        return result.returncode == 0

    def pactl(self, *args: str) -> str:
        result = subprocess.run(
            ["pactl", *args], env=self.client_env(), capture_output=True, timeout=10, check=False
        )
        if result.returncode != 0:
            raise PulseError(f"pactl {' '.join(args)}: {result.stderr.decode().strip()}")
        return result.stdout.decode()

    def play(self, wav: Path) -> None:
        """Play a file into the null sink; returns when it has been played."""
        subprocess.run(
            ["paplay", f"--device={self.SINK}", str(wav)],
            env=self.client_env(),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def kill(self) -> None:
        """End the server abruptly, as a crash would."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=10)

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._process = None

    def log(self) -> str:
        try:
            return self._log.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"
