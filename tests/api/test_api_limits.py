"""Request limits: body size (413, also for chunked bodies, without buffering them),
question length (422), rate (429 with Retry-After) and CORS origins."""

import select
import socket

import pytest
from fastapi.testclient import TestClient

from assistant.service import Kennisbank
from loopback.server import live_server
from tests.support.api import app_for, new_key

MAX_BODY = 4096


@pytest.fixture(scope="module")
def limited(indexed: Kennisbank):
    return app_for(
        indexed,
        max_body_bytes=MAX_BODY,
        max_question_chars=200,
        cors_origins=["https://intranet.midwest.be"],
    )


def test_a_body_over_the_limit_is_413(limited):
    client = TestClient(limited[0])
    response = client.post("/api/ask", json={"question": "x" * (MAX_BODY + 10)})
    assert response.status_code == 413
    assert response.json() == {"detail": f"request body is larger than {MAX_BODY} bytes"}


def test_a_declared_length_over_the_limit_is_refused_before_reading(limited):
    """The server answers 413 from the headers alone: the body is never sent."""
    with live_server(limited[0]) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(
                b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 10000000\r\n\r\n"
            )
            assert _read_response(connection).startswith(b"HTTP/1.1 413")


def test_a_chunked_body_is_counted_as_it_arrives_and_refused_early(limited):
    """10 MB sent chunked (no Content-Length): the 413 arrives long before the body ends,
    so the server did not wait for (or buffer) the whole body."""
    chunk = b"x" * 1024
    total = 10 * 1024 * 1024
    with live_server(limited[0]) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(
                b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            sent = 0
            # Send until the server answers (or the whole body is out), pausing a little per
            # chunk so the kernel's socket buffers do not hide when the answer came.
            while sent < total and not select.select([connection], [], [], 0.002)[0]:
                try:
                    connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(chunk)
            reply = _read_response(connection)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"request body is larger than" in reply
    assert sent < 1024 * 1024


def test_an_overlong_question_is_422_everywhere(limited):
    client = TestClient(limited[0])
    question = "Wie onderhoudt de hydranten? " * 10
    for response in (
        client.post("/api/ask", json={"question": question}),
        client.post("/api/ask/stream", json={"question": question}),
        client.get("/api/search", params={"q": question}),
        client.post(
            "/v1/chat/completions",
            json={"model": "kennisbank", "messages": [{"role": "user", "content": question}]},
        ),
    ):
        assert response.status_code == 422, response.request.url
        assert "the maximum is 200" in response.json()["detail"]


def test_a_question_with_nothing_to_ask_is_422_everywhere(limited):
    """Regression: a blank question got 200 (an abstention) on /api/ask but 422 on /v1.
    One rule now (`assistant.service.check_question`): blank or invisible-only is 422."""
    client = TestClient(limited[0])
    for question in ("   ", "\u200b\u2060 \ufeff"):
        for response in (
            client.post("/api/ask", json={"question": question}),
            client.post("/api/ask/stream", json={"question": question}),
            client.post(
                "/v1/chat/completions",
                json={"model": "kennisbank", "messages": [{"role": "user", "content": question}]},
            ),
            client.get("/api/search", params={"q": question}),
        ):
            assert response.status_code == 422, response.request.url
            assert response.json()["detail"].endswith("is empty")


def test_too_many_requests_get_429_with_retry_after_per_caller(indexed: Kennisbank):
    app, variant = app_for(indexed, rate_limit_per_minute=3)
    client = TestClient(app)
    statuses = [client.get("/api/search", params={"q": "hydranten"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/search", params={"q": "hydranten"})
    assert limited.json()["detail"].startswith("too many requests")
    assert 1 <= int(limited.headers["retry-after"]) <= 20
    # Another caller (a key) has its own budget; health checks are never limited.
    assert (
        client.get("/api/search", params={"q": "hydranten"}, headers=new_key(variant, "ander")).status_code
        == 200
    )
    assert client.get("/healthz").status_code == 200


def test_cors_allows_only_the_configured_origins(limited):
    client = TestClient(limited[0])
    allowed = client.options(
        "/api/ask",
        headers={"Origin": "https://intranet.midwest.be", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://intranet.midwest.be"
    other = client.get(
        "/api/search", params={"q": "hydranten"}, headers={"Origin": "https://kwaadaardig.example"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_cors_is_off_by_default(indexed: Kennisbank):
    app, _ = app_for(indexed)
    response = TestClient(app).get(
        "/api/search", params={"q": "x"}, headers={"Origin": "https://intranet.midwest.be"}
    )
    assert "access-control-allow-origin" not in response.headers


def _read_response(connection: socket.socket) -> bytes:
    """The status line, headers and body (its Content-Length) of one response."""
    reply = b""
    while b"\r\n\r\n" not in reply or len(reply.partition(b"\r\n\r\n")[2]) < _content_length(reply):
        part = connection.recv(4096)
        if not part:
            break
        reply += part
    return reply


def _content_length(reply: bytes) -> int:
    for line in reply.partition(b"\r\n\r\n")[0].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0
