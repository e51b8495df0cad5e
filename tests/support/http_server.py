"""A small HTTP file server on 127.0.0.1 for download tests.

Serves registered bytes with ``Range`` support (206 / 416), records every
request's headers, and has per-file knobs to cut the connection after N body
bytes or to ignore ``Range`` like some mirrors do.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


@dataclass
class ServedFile:
    data: bytes
    cut_after: int | None = None  # close the connection after this many body bytes
    ignore_range: bool = False  # answer 200 with the whole file even when asked for a range


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]


@dataclass
class FileServer:
    files: dict[str, ServedFile] = field(default_factory=dict)
    requests: list[SeenRequest] = field(default_factory=list)
    base_url: str = ""

    def add(
        self, path: str, data: bytes, *, cut_after: int | None = None, ignore_range: bool = False
    ) -> ServedFile:
        """Serve ``data`` at ``path``; the returned object's knobs can be changed later."""
        served = ServedFile(data, cut_after=cut_after, ignore_range=ignore_range)
        self.files[path] = served
        return served

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def range_headers(self, path: str) -> list[str | None]:
        """The ``Range`` header of each request for ``path``, in order (None when absent)."""
        return [r.headers.get("Range") for r in self.requests if r.path == path]


def _handler_for(state: FileServer) -> type[BaseHTTPRequestHandler]:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                state.requests.append(SeenRequest(self.path, dict(self.headers.items())))
            served = state.files.get(self.path)
            if served is None:
                self.send_error(404)
                return
            data, start = served.data, 0
            match = _RANGE.match(self.headers.get("Range", ""))
            if match and not served.ignore_range:
                start = int(match.group(1))
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                end = int(match.group(2)) + 1 if match.group(2) else len(data)
                body = data[start:end]
                self.send_response(206)
                self.send_header(
                    "Content-Range", f"bytes {start}-{start + len(body) - 1}/{len(data)}"
                )
            else:
                body = data
                self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if served.cut_after is not None:
                body = body[: served.cut_after]
                self.close_connection = True
            self.wfile.write(body)
            self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler


@contextmanager
def serve_files() -> Iterator[FileServer]:
    """Run a FileServer on an ephemeral port for the duration of the block."""
    state = FileServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll interval keeps shutdown (and so each test's teardown) quick.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="test-http", daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
