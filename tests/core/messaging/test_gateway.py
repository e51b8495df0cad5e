"""The HTTP gateway against a real local HTTP server."""

from __future__ import annotations

import pytest

from agent_assist.errors import UserError
from agent_assist.messaging.gateway import (
    GatewayError,
    GatewayUnreachable,
    HttpGateway,
    OutgoingMessage,
)
from tests.core.messaging.gateway_server import closed_port, fake_gateway

MESSAGE = OutgoingMessage(41, "L-7", "zh.sms.mid.reminder", "【华信银行】尊敬的王芳，请还款。")


def test_a_message_is_posted_as_json_and_the_gateways_id_comes_back() -> None:
    with fake_gateway() as server:
        ref = HttpGateway(server.url, timeout_s=5).send(MESSAGE)

    assert ref == "gw-1"
    (posted,) = server.posted
    assert posted.path == "/sms"
    assert posted.body == {
        "case_ref": "L-7",
        "template_id": "zh.sms.mid.reminder",
        "text": "【华信银行】尊敬的王芳，请还款。",
    }
    assert posted.headers["Content-Type"] == "application/json; charset=utf-8"
    assert posted.headers["Idempotency-Key"] == "agent-assist-outbox-41"


@pytest.mark.parametrize(
    ("status", "answer", "ref"),
    [
        (201, b'{"message_id": 7}', "7"),
        (202, b"accepted", None),
        (200, b'{"id": true}', None),
        (204, b"", None),
    ],
)
def test_any_2xx_is_taken_with_whatever_id_it_gives(
    status: int, answer: bytes, ref: str | None
) -> None:
    with fake_gateway() as server:
        server.answer_with(status, answer)
        assert HttpGateway(server.url).send(MESSAGE) == ref


def test_a_server_error_is_one_line_with_the_status_and_the_answer() -> None:
    with fake_gateway() as server:
        server.answer_with(500, b'{"error": "queue\n full"}')
        with pytest.raises(GatewayError) as caught:
            HttpGateway(server.url).send(MESSAGE)

    assert not isinstance(caught.value, GatewayUnreachable)
    host = server.url.split("/")[2]
    assert str(caught.value) == (
        f'the SMS gateway at {host} answered 500 Internal Server Error: {{"error": "queue full"}}'
    )


def test_a_redirect_is_reported_not_followed() -> None:
    with fake_gateway() as server:
        server.answer_with(302, b"")
        with pytest.raises(GatewayError, match="answered 302"):
            HttpGateway(server.url).send(MESSAGE)

    assert len(server.posted) == 1


def test_a_gateway_that_does_not_answer_in_time() -> None:
    with fake_gateway() as server:
        server.hold = True
        with pytest.raises(GatewayUnreachable) as caught:
            HttpGateway(server.url, timeout_s=0.2).send(MESSAGE)

    assert str(caught.value).endswith("did not answer within 0.2 s")


def test_a_refused_connection() -> None:
    with closed_port() as url, pytest.raises(GatewayUnreachable) as caught:
        HttpGateway(url).send(MESSAGE)

    assert "connection refused; check the URL and that it is running" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://bank/sms", "gateway.bank.cn/sms", "http:///sms"]
)
def test_only_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(UserError, match="must start with https:// or http://"):
        HttpGateway(url)


def test_credentials_in_the_url_are_never_shown() -> None:
    with closed_port() as url, pytest.raises(GatewayUnreachable) as caught:
        HttpGateway(url.replace("http://", "http://user:secret@")).send(MESSAGE)

    assert "secret" not in str(caught.value)
