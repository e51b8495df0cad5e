"""A fake SMS gateway on 127.0.0.1: records each POST and answers as told."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Posted:
    path: str
    headers: dict[str, str]
    body: dict[str, object]


@dataclass
class FakeGateway:
    url: str = ""
    status: int = 200
    answer: bytes = b'{"id": "gw-1"}'
    hold: bool = False  # answer only when the test ends (a gateway that hangs)
    posted: list[Posted] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def answer_with(self, status: int, answer: bytes) -> None:
        self.status, self.answer = status, answer


def _handler(state: FakeGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            state.posted.append(Posted(self.path, dict(self.headers.items()), body))
            if state.hold:
                state.released.wait()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(state.answer)))
            self.end_headers()
            self.wfile.write(state.answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout test) is expected, not news


@contextmanager
def fake_gateway() -> Iterator[FakeGateway]:
    state = FakeGateway()
    server = _Server(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-gateway"
    )
    thread.start()
    try:
        yield state
    finally:
        state.released.set()
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def closed_port() -> Iterator[str]:
    """A URL whose port is bound but not listening: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sms"
