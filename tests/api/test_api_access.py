"""API keys and access groups. The restricted document of the sample corpus carries a
unique token (CANARY): it must not reach a caller without the group `bestuur` through
any endpoint, and must reach one with it."""

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.http.auth import Caller, KeyNameError, caller_with_key, create_key
from assistant.search.catalog import DocumentCatalog
from assistant.service import Kennisbank
from assistant.state.store import StateStore
from loopback.server import free_port
from tests.support.api import app_for, new_key
from tests.support.environment import REPO, run_cli
from tests.support.sample_corpus import CANARY

RESTRICTED_SOURCE = "bestuur/besloten-zitting-rvb.md"
CANARY_QUESTION = (
    "Welk vertrouwelijk tuchtdossier besprak de Raad van Bestuur in besloten zitting in maart 2022?"
)


@pytest.fixture(scope="module")
def setup(indexed: Kennisbank):
    app, variant = app_for(indexed)
    return TestClient(app, raise_server_exceptions=False), variant


@pytest.fixture(scope="module")
def client(setup) -> TestClient:
    return setup[0]


@pytest.fixture(scope="module")
def board(setup) -> dict[str, str]:
    return new_key(setup[1], "bestuur-test", "bestuur")


@pytest.fixture(scope="module")
def restricted_id(indexed: Kennisbank) -> str:
    found = DocumentCatalog(indexed.store).documents(groups=frozenset({"bestuur"}))
    return next(document.document_id for document in found if document.source == RESTRICTED_SOURCE)


def every_endpoint(client: TestClient, headers: dict[str, str], restricted_id: str) -> list:
    """One response from every endpoint that can return document content."""
    chat = {"model": "kennisbank", "messages": [{"role": "user", "content": CANARY_QUESTION}]}
    return [
        client.get("/api/search", params={"q": CANARY_QUESTION, "top_k": 50}, headers=headers),
        client.get(
            "/api/search", params={"q": CANARY_QUESTION, "top_k": 50, "group_by": "document"}, headers=headers
        ),
        client.get(
            "/api/search", params={"q": CANARY_QUESTION, "type": "notulen", "year": 2022}, headers=headers
        ),
        client.get(
            "/api/search", params={"q": CANARY_QUESTION, "top_k": 50, "mode": "sparse"}, headers=headers
        ),
        client.post("/api/search/similar", json={"text": CANARY_QUESTION, "top_k": 50}, headers=headers),
        client.post("/api/ask", json={"question": CANARY_QUESTION}, headers=headers),
        client.post("/api/ask/stream", json={"question": CANARY_QUESTION}, headers=headers),
        client.get("/api/documents", headers=headers),
        client.get("/api/documents", params={"year": 2022}, headers=headers),
        client.get(
            "/api/documents", params={"date_from": "2022-03-01", "date_to": "2022-03-31"}, headers=headers
        ),
        client.get(f"/api/documents/{restricted_id}", headers=headers),
        client.get(f"/api/documents/{restricted_id}/file", headers=headers),
        client.post("/v1/chat/completions", json=chat, headers=headers),
        client.post("/v1/chat/completions", json={**chat, "stream": True}, headers=headers),
    ]


def test_restricted_document_never_reaches_a_caller_without_the_group(
    client: TestClient, setup, restricted_id: str
):
    outsider = new_key(setup[1], "buitenstaander", "personeel")
    for headers in ({}, outsider):
        for response in every_endpoint(client, headers, restricted_id):
            assert response.status_code in (200, 404), (response.request.url, response.status_code)
            assert CANARY not in response.text, response.request.url
            assert "besloten-zitting" not in response.text, response.request.url


def test_a_caller_with_the_group_sees_the_restricted_document(
    client: TestClient, board: dict[str, str], restricted_id: str
):
    responses = every_endpoint(client, board, restricted_id)
    (search, grouped, filtered, sparse, similar, ask, stream, listing, listing_2022, listing_march) = (
        responses[:10]
    )
    detail, file, chat, chat_stream = responses[10:]
    for response in responses:
        assert response.status_code == 200, response.request.url
    for response in (search, grouped, filtered, sparse, similar, detail, file):
        assert CANARY in response.text, response.request.url
    for response in (ask, stream, listing, listing_march, chat, chat_stream):
        assert RESTRICTED_SOURCE in response.text, response.request.url


def test_unknown_and_forbidden_documents_look_the_same(client: TestClient, restricted_id: str):
    forbidden = client.get(f"/api/documents/{restricted_id}")
    unknown = client.get("/api/documents/bestaat-niet-00000000")
    assert forbidden.status_code == unknown.status_code == 404 and forbidden.json() == unknown.json()


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer kb_verkeerd"}, {"X-API-Key": "kb_verkeerd"}])
def test_a_wrong_key_is_401_not_anonymous_access(client: TestClient, headers: dict[str, str]):
    response = client.get("/api/search", params={"q": "hydranten"}, headers=headers)
    assert response.status_code == 401 and response.json() == {"detail": "invalid API key"}


def test_keys_work_in_either_header(client: TestClient, board: dict[str, str]):
    key = board["Authorization"].removeprefix("Bearer ")
    response = client.get(f"/api/search?q={CANARY}", headers={"X-API-Key": key})
    assert response.status_code == 200 and CANARY in response.text


def test_without_anonymous_access_a_key_is_required(indexed: Kennisbank):
    app, variant = app_for(indexed, allow_anonymous=False)
    client = TestClient(app)
    for response in (
        client.get("/api/search", params={"q": "hydranten"}),
        client.get("/api/documents"),
        client.post("/api/ask", json={"question": "hydranten?"}),
        client.get("/v1/models"),
    ):
        assert response.status_code == 401 and response.json()["detail"] == "an API key is required"
    assert client.get("/healthz").status_code == 200
    headers = new_key(variant, "medewerker")
    assert client.get("/api/search", params={"q": "hydranten"}, headers=headers).status_code == 200


def test_the_state_database_keeps_only_the_hash_of_a_key(tmp_path: Path):
    state = StateStore(f"sqlite:///{tmp_path / 'state.db'}")
    key = create_key(state.keys, "slack", groups=["bestuur", "bestuur"], admin=True)
    state.close()
    with sqlite3.connect(tmp_path / "state.db") as connection:
        rows = connection.execute("SELECT sha256, name, groups, admin FROM api_keys").fetchall()
    assert rows == [(hashlib.sha256(key.encode()).hexdigest(), "slack", '["bestuur"]', 1)]
    assert key.encode() not in (tmp_path / "state.db").read_bytes()
    state = StateStore(f"sqlite:///{tmp_path / 'state.db'}")
    caller = caller_with_key(state.keys, key)
    assert caller == Caller("slack", frozenset({"bestuur"}), True, "key:slack")
    assert caller_with_key(state.keys, key + "x") is None
    state.close()


def test_duplicate_and_empty_key_names_are_refused(kennisbank: Kennisbank):
    create_key(kennisbank.state.keys, "slack", groups=[], admin=False)
    with pytest.raises(KeyNameError, match="already exists"):
        create_key(kennisbank.state.keys, "slack", groups=[], admin=False)
    with pytest.raises(KeyNameError, match="1 to 255 characters"):
        create_key(kennisbank.state.keys, " ", groups=[], admin=False)


@contextmanager
def served(data_dir: Path) -> Iterator[str]:
    """`kennisbank serve` in a process of its own on a loopback port, with an empty index."""
    port, log = free_port(), data_dir / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "kennisbank"), "serve", "--port", str(port)],
            cwd=REPO,
            env={**os.environ, "KENNISBANK_DATA_DIR": str(data_dir), "KENNISBANK_EMBEDDING": "mock"},
            stdout=output,
            stderr=output,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(url):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@pytest.mark.slow
def test_keys_made_and_revoked_by_the_cli_count_in_a_running_server_process(tmp_path: Path):
    """Two processes, as in production: `kennisbank serve` (holding the embedded store)
    and `kennisbank keys` beside it. A new key works at once, and a revoked key is
    refused from the next request on (the server reads keys from the state database
    per request; before, keys lived in a file each server read on its own)."""
    with served(tmp_path) as url:
        added = run_cli("keys", "add", "beheer", "--group", "bestuur", "--admin", data_dir=tmp_path)
        assert added.returncode == 0, added.stderr
        key = added.stdout.strip()
        assert key.startswith("kb_") and "not shown again" in added.stderr
        headers = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{url}/api/admin/status", headers=headers).status_code == 200
        assert run_cli("keys", "add", "lezer", data_dir=tmp_path).returncode == 0

        listed = run_cli("keys", "list", data_dir=tmp_path)
        lines = [line.rsplit("\tcreated: ", 1) for line in listed.stdout.splitlines()]
        assert [name for name, _ in lines] == ["beheer\tgroups: bestuur\tadmin", "lezer\tgroups: -"]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", created) for _, created in lines)
        assert key not in listed.stdout

        removed = run_cli("keys", "remove", "beheer", data_dir=tmp_path)
        assert removed.returncode == 0, removed.stderr
        refused = httpx.get(f"{url}/api/admin/status", headers=headers)
        assert refused.status_code == 401 and refused.json() == {"detail": "invalid API key"}
    missing = run_cli("keys", "remove", "beheer", data_dir=tmp_path)
    assert missing.returncode == 2 and "no key named 'beheer'" in missing.stderr


def test_admin_endpoints_need_an_admin_key(client: TestClient, board: dict[str, str], setup):
    assert client.post("/api/admin/reindex").status_code == 403
    assert client.post("/api/admin/reindex", headers=board).status_code == 403
    assert client.get("/api/admin/status", headers={"X-API-Key": "kb_verkeerd"}).status_code == 401
    admin = new_key(setup[1], "beheer", admin=True)
    assert client.get("/api/admin/status", headers=admin).status_code == 200


def test_the_audit_export_names_who_was_shown_the_restricted_document_and_only_admins_read_it(
    client: TestClient, setup, board: dict[str, str]
):
    question = f"Wat staat er in het vertrouwelijke dossier {CANARY}?"
    for headers in (board, {}):
        assert client.post("/api/ask", json={"question": question}, headers=headers).status_code == 200
    today = {"since": date.today().isoformat()}
    outsider = new_key(setup[1], "buitenstaander", "bestuur")  # may read the document, not the audit
    for headers in ({}, outsider):
        refused = client.get("/api/admin/audit", params=today, headers=headers)
        assert refused.status_code == 403 and CANARY not in refused.text

    admin = new_key(setup[1], "auditor", admin=True)
    exported = client.get("/api/admin/audit", params=today, headers=admin)
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/x-ndjson"
    records = [json.loads(line) for line in exported.text.splitlines()]
    asked = {record["who"].split("-")[0]: record for record in records if record["question"] == question}
    shown = {d["source"]: d for d in asked["key:bestuur"]["documents"]}
    assert shown[RESTRICTED_SOURCE]["groups"] == ["bestuur"] and shown[RESTRICTED_SOURCE]["cited"]
    assert RESTRICTED_SOURCE not in {d["source"] for d in asked["anonymous"]["documents"]}
