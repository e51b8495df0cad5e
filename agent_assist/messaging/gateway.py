"""Handing a message to the bank's SMS gateway over HTTP (standard library only).

The gateway gets ``{"case_ref", "template_id", "text"}`` as JSON and looks the
debtor's number up itself: no phone number leaves the app. A 2xx answer means
it took the message; its JSON ``id`` (if any) is kept as the gateway's
reference. Anything else is a :class:`GatewayError` with a one-line message;
:class:`GatewayUnreachable` means no answer at all (refused, timed out), so the
caller may stop trying the rest for now.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import IO, Protocol
from urllib.parse import urlsplit

from agent_assist.errors import UserError

_BODY_SHOWN = 200  # characters of an error answer worth a line
_ANSWER_READ = 64 * 1024


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    message_id: int  # the outbox id: sent as Idempotency-Key so a retry cannot send twice
    case_ref: str
    template_id: str
    text: str


class GatewayError(UserError):
    """The gateway did not take the message; the message stays to be tried again."""


class GatewayUnreachable(GatewayError):
    """No answer from the gateway (refused, timed out, unknown host)."""


class Gateway(Protocol):
    def send(self, message: OutgoingMessage) -> str | None:
        """Hand over ``message``; returns the gateway's id for it. Raises GatewayError."""
        ...


class HttpGateway:
    def __init__(self, url: str, *, timeout_s: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UserError(f"the gateway URL must start with https:// or http://, not {url!r}")
        if timeout_s <= 0:
            raise UserError("the gateway timeout must be more than 0 seconds")
        self.url = url
        self.host = parts.netloc.rpartition("@")[2]  # never show credentials in a URL
        self._timeout = timeout_s
        # No proxies from the environment: a bank's gateway is reached directly,
        # and a proxy variable must not route debtors' messages elsewhere.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)

    def send(self, message: OutgoingMessage) -> str | None:
        body = {"case_ref": message.case_ref, "template_id": message.template_id}
        body["text"] = message.text
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Idempotency-Key": f"agent-assist-outbox-{message.message_id}",
            },
        )
        where = f"the SMS gateway at {self.host}"
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                status, answer = response.status, _read(response)
        except urllib.error.HTTPError as exc:
            shown = _one_line(_read(exc).decode("utf-8", "replace"))
            reason = f" {exc.reason}" if exc.reason else ""
            raise GatewayError(
                f"{where} answered {exc.code}{reason}" + (f": {shown}" if shown else "")
            ) from exc
        except urllib.error.URLError as exc:
            raise _unreachable(where, exc.reason, self._timeout) from exc
        except (TimeoutError, OSError) as exc:  # a timeout while reading the answer
            raise _unreachable(where, exc, self._timeout) from exc
        if not 200 <= status < 300:
            raise GatewayError(
                f"{where} answered {status}: {_one_line(answer.decode('utf-8', 'replace'))}"
            )
        return _reference(answer)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would arrive as a GET without the message: report the 3xx instead."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _unreachable(where: str, reason: object, timeout_s: float) -> GatewayUnreachable:
    if isinstance(reason, TimeoutError):
        return GatewayUnreachable(f"{where} did not answer within {timeout_s:g} s")
    if isinstance(reason, ConnectionRefusedError):
        return GatewayUnreachable(
            f"cannot connect to {where}: connection refused; check the URL and that it is running"
        )
    if isinstance(reason, socket.gaierror):
        return GatewayUnreachable(f"cannot find {where}: check the host name in the URL")
    text = getattr(reason, "strerror", None) or str(reason)
    return GatewayUnreachable(f"cannot reach {where}: {_one_line(text)}")


def _read(answer: IO[bytes]) -> bytes:
    """The start of an answer (enough for an id or an error); b"" if it breaks off."""
    try:
        return answer.read(_ANSWER_READ)
    except OSError:
        return b""


def _reference(answer: bytes) -> str | None:
    """The gateway's id for the message, from a JSON answer like {"id": "…"}."""
    try:
        data = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(data, dict):
        ref = data.get("id", data.get("message_id"))
        if isinstance(ref, str | int) and not isinstance(ref, bool):
            return str(ref)
    return None


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _BODY_SHOWN else line[: _BODY_SHOWN - 1] + "…"
