"""What the security probe of issue #18 (items 8, 10 and 11) checks: security headers on
every response, API docs without a CDN, only known Host headers, and the limits
`kennisbank serve` gives uvicorn.

TestClient sends `Host: testserver`, which the production default of
KENNISBANK_ALLOWED_HOSTS does not allow: these tests allow it explicitly."""

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.cli.servers import KEEP_ALIVE_S, MAX_HEADER_BYTES, uvicorn_options
from api.http.app import STATIC
from assistant.service import Kennisbank
from core.settings import Settings
from loopback.server import free_port
from tests.support.api import app_for

TESTSERVER = ["testserver"]
PUBLIC_URL = "https://kennisbank.midwest.be"
SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
PAGE_DIRECTIVES = ("default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'")


@pytest.fixture(scope="module")
def client(indexed: Kennisbank) -> TestClient:
    app, _ = app_for(indexed, allowed_hosts=TESTSERVER)
    return TestClient(app, raise_server_exceptions=False)


def _directives(policy: str) -> dict[str, str]:
    """A Content-Security-Policy as {directive: sources}."""
    parts = [part.strip().split(" ", 1) for part in policy.split(";") if part.strip()]
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


# --- item 8: security headers ---


@pytest.mark.parametrize("path", ["/", "/docs", "/api/search?q=hydranten", "/bestaat-niet"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str):
    response = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_pages_have_a_policy_that_keeps_other_sites_and_inline_code_out(client: TestClient, path: str):
    response = client.get(path)
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    for directive in PAGE_DIRECTIVES:
        assert directive in policy, (path, directive)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_chat_page_needs_nothing_inline():
    """The page's policy allows no inline code: every script is a file of this server,
    and no element has an event handler or a style attribute."""
    page = BeautifulSoup((STATIC / "index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = page.find_all("script")
    assert scripts and all(script.get("src", "").startswith("/static/") for script in scripts)
    assert not any(script.string and script.string.strip() for script in scripts)
    inline = [
        (element.name, attribute)
        for element in page.find_all(True)
        for attribute in element.attrs
        if attribute.startswith("on") or attribute == "style"
    ]
    assert not inline
    for link in page.find_all("link", href=True):
        assert link["href"].startswith("/static/"), link


def test_a_document_file_keeps_its_own_stricter_policy(client: TestClient):
    documents = client.get("/api/documents").json()["documents"]
    page = next(d for d in documents if d["source"] == "samenwerking/onderhoud-hydranten.html")
    response = client.get(f"/api/documents/{page['document_id']}/file")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-frame-options"] == "DENY"


# --- item 8: API docs from the package, not a CDN ---


def test_the_docs_page_loads_everything_from_this_server(client: TestClient):
    response = client.get("/docs")
    page = BeautifulSoup(response.text, "html.parser")
    urls = [script["src"] for script in page.find_all("script", src=True)]
    urls += [link["href"] for link in page.find_all("link", href=True)]
    assert len(urls) >= 3  # Swagger UI's script, its style sheet, the icon
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), url
        assert client.get(url).status_code == 200, url
    assert "cdn" not in response.text.lower()


def test_the_docs_page_allows_its_own_inline_script_by_hash_only(client: TestClient):
    response = client.get("/docs")
    scripts = _directives(response.headers["content-security-policy"])["script-src"].split()
    assert scripts[0] == "'self'" and all(source.startswith("'sha256-") for source in scripts[1:])
    inline = [s for s in BeautifulSoup(response.text, "html.parser").find_all("script") if not s.get("src")]
    assert len(inline) == len(scripts) - 1 == 1
    assert "SwaggerUIBundle" in inline[0].string


def test_redoc_is_not_served(client: TestClient):
    """ReDoc is in no package that ships just its files; rather none than one from a CDN."""
    assert client.get("/redoc").status_code == 404


def test_api_docs_can_be_turned_off_the_schema_stays(indexed: Kennisbank):
    app, _ = app_for(indexed, allowed_hosts=TESTSERVER, api_docs=False)
    client = TestClient(app)
    assert client.get("/docs").status_code == 404
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 404
    assert client.get("/openapi.json").status_code == 200


# --- item 10: only known Host headers ---


def test_the_default_hosts_are_local_names_only():
    assert Settings.model_fields["allowed_hosts"].default == ["127.0.0.1", "localhost"]


def test_a_foreign_host_is_refused_a_listed_one_served(indexed: Kennisbank):
    app, _ = app_for(indexed, allowed_hosts=["127.0.0.1", "localhost"])
    client = TestClient(app)
    refused = client.get("/healthz", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert refused.headers["x-frame-options"] == "DENY"  # refusals carry the headers too
    assert client.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "127.0.0.1"}).status_code == 200


def test_the_public_urls_host_is_allowed_and_wins_for_links(indexed: Kennisbank):
    app, _ = app_for(indexed, allowed_hosts=["localhost"], public_url=PUBLIC_URL)
    client = TestClient(app)
    chat = {"messages": [{"role": "user", "content": "Wie onderhoudt de hydranten?"}]}
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    for host in ("kennisbank.midwest.be", "localhost"):
        response = client.post("/v1/chat/completions", json=chat, headers={"Host": host})
        assert response.status_code == 200, host
        content = response.json()["choices"][0]["message"]["content"]
        assert f"{PUBLIC_URL}/" in content and "http://localhost" not in content, host


def test_without_a_public_url_links_use_the_allowed_host(indexed: Kennisbank):
    app, _ = app_for(indexed, allowed_hosts=["localhost"], public_url="")
    chat = {"messages": [{"role": "user", "content": "Wie onderhoudt de hydranten?"}]}
    response = TestClient(app).post("/v1/chat/completions", json=chat, headers={"Host": "localhost"})
    assert "http://localhost/" in response.json()["choices"][0]["message"]["content"]


# --- item 11: the limits `kennisbank serve` gives uvicorn ---


def test_serve_gives_uvicorn_a_keep_alive_timeout_and_a_header_limit():
    options = uvicorn_options("0.0.0.0", 8000)
    assert options["host"] == "0.0.0.0" and options["port"] == 8000
    assert options["http"] == "h11"  # the header limit is an h11 option
    assert options["timeout_keep_alive"] == KEEP_ALIVE_S <= 10
    assert options["h11_max_incomplete_event_size"] == MAX_HEADER_BYTES <= 64 * 1024
    config = uvicorn.Config(FastAPI(), **options)
    assert config.timeout_keep_alive == KEEP_ALIVE_S
    assert config.h11_max_incomplete_event_size == MAX_HEADER_BYTES


@contextmanager
def serving(app: FastAPI, timeout: float = 10) -> Iterator[int]:
    """`app` under uvicorn with the options of `kennisbank serve`, on a loopback port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **uvicorn_options("127.0.0.1", port)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout)


def _read_until_closed(connection: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection (fails after `timeout`)."""
    connection.settimeout(timeout)
    received = b""
    while chunk := connection.recv(4096):
        received += chunk
    return received


def test_endless_headers_are_cut_off_at_the_limit():
    """A client that keeps sending header bytes gets 400 and a closed connection once the
    limit is passed, instead of the server buffering them without end."""
    with serving(FastAPI()) as port, socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        # Just past the limit, and all of it read by the server: it closes without a reset.
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * MAX_HEADER_BYTES)
        received = _read_until_closed(connection, timeout=5)
    assert received.startswith(b"HTTP/1.1 400"), received[:100]


def test_an_idle_kept_alive_connection_is_closed(monkeypatch: pytest.MonkeyPatch):
    """After a response, a connection that sends nothing more is closed after KEEP_ALIVE_S
    (shortened here to 1 s through the same option)."""
    monkeypatch.setattr("api.cli.servers.KEEP_ALIVE_S", 1)
    with serving(FastAPI()) as port, socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        started = time.monotonic()
        received = _read_until_closed(connection, timeout=5)
    assert received.startswith(b"HTTP/1.1 200")
    assert time.monotonic() - started < 4
