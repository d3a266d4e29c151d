"""API keys and access groups. The restricted document of the sample corpus carries a
unique token (CANARY): it must not reach a caller without the group `bestuur` through
any endpoint, and must reach one with it."""

import hashlib
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.auth import KeyFileError, KeyRing, add_key
from assistant.documents import DocumentCatalog
from assistant.service import Kennisbank
from tests.api_support import app_for, new_key
from tests.conftest import run_cli
from tests.sample_corpus import CANARY

RESTRICTED_SOURCE = "bestuur/besloten-zitting-rvb.md"
CANARY_QUESTION = (
    "Welk vertrouwelijk tuchtdossier besprak de Raad van Bestuur in besloten zitting in maart 2022?"
)


@pytest.fixture(scope="module")
def setup(indexed: Kennisbank, tmp_path_factory: pytest.TempPathFactory):
    app, variant = app_for(indexed, tmp_path_factory.mktemp("access"))
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
        client.post("/api/ask", json={"question": CANARY_QUESTION}, headers=headers),
        client.post("/api/ask/stream", json={"question": CANARY_QUESTION}, headers=headers),
        client.get("/api/documents", headers=headers),
        client.get("/api/documents", params={"year": 2022}, headers=headers),
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
    search, grouped, filtered, ask, stream, listing, listing_2022, detail, file, chat, chat_stream = (
        every_endpoint(client, board, restricted_id)
    )
    for response in (
        search,
        grouped,
        filtered,
        ask,
        stream,
        listing,
        listing_2022,
        detail,
        file,
        chat,
        chat_stream,
    ):
        assert response.status_code == 200, response.request.url
    for response in (search, grouped, filtered, detail, file):
        assert CANARY in response.text, response.request.url
    for response in (ask, stream, listing, chat, chat_stream):
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


def test_without_anonymous_access_a_key_is_required(indexed: Kennisbank, tmp_path: Path):
    app, variant = app_for(indexed, tmp_path, allow_anonymous=False)
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


def test_keys_file_stores_only_hashes(tmp_path: Path):
    path = tmp_path / "keys.yaml"
    key = add_key(path, "slack", groups=["bestuur", "bestuur"], admin=True)
    text = path.read_text()
    assert key not in text and hashlib.sha256(key.encode()).hexdigest() in text
    assert yaml.safe_load(text)["keys"] == [
        {
            "name": "slack",
            "sha256": hashlib.sha256(key.encode()).hexdigest(),
            "groups": ["bestuur"],
            "admin": True,
        }
    ]
    assert path.stat().st_mode & 0o077 == 0
    entry = KeyRing(path).lookup(key)
    assert entry and entry.name == "slack" and entry.groups == {"bestuur"} and entry.admin
    assert KeyRing(path).lookup(key + "x") is None


def test_duplicate_key_names_are_refused(tmp_path: Path):
    add_key(tmp_path / "keys.yaml", "slack", groups=[], admin=False)
    with pytest.raises(KeyFileError, match="already exists"):
        add_key(tmp_path / "keys.yaml", "slack", groups=[], admin=False)


def test_a_broken_keys_file_stops_the_server_from_starting(indexed: Kennisbank, tmp_path: Path):
    (tmp_path / "api-keys.yaml").write_text("keys:\n  - name: x\n    sha256: kort\n")
    with pytest.raises(KeyFileError, match="sha256"):
        app_for(indexed, tmp_path)


def test_cli_adds_a_key_that_the_running_server_accepts(indexed: Kennisbank, tmp_path: Path):
    app, variant = app_for(indexed, tmp_path)
    client = TestClient(app)
    result = run_cli(
        "keys",
        "add",
        "cli-bestuur",
        "--group",
        "bestuur",
        data_dir=tmp_path,
        env={"KENNISBANK_API_KEYS_FILE": str(tmp_path / "api-keys.yaml")},
    )
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key.startswith("kb_") and "not shown again" in result.stderr
    response = client.get("/api/search", params={"q": CANARY}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200 and CANARY in response.text


def test_admin_endpoints_need_an_admin_key(client: TestClient, board: dict[str, str], setup):
    assert client.post("/api/admin/reindex").status_code == 403
    assert client.post("/api/admin/reindex", headers=board).status_code == 403
    assert client.get("/api/admin/status", headers={"X-API-Key": "kb_verkeerd"}).status_code == 401
    admin = new_key(setup[1], "beheer", admin=True)
    assert client.get("/api/admin/status", headers=admin).status_code == 200


def test_serve_refuses_to_start_with_a_broken_keys_file(tmp_path: Path):
    (tmp_path / "api-keys.yaml").write_text("keys: [geen lijst van sleutels")
    result = run_cli("serve", "--port", "1", data_dir=tmp_path)
    assert result.returncode == 2
    assert "cannot read the API keys file" in result.stderr and "Traceback" not in result.stderr


def test_cli_lists_and_revokes_keys_and_the_server_follows(indexed: Kennisbank, tmp_path: Path):
    app, variant = app_for(indexed, tmp_path)
    client = TestClient(app)
    headers = new_key(variant, "tijdelijk", "bestuur")
    new_key(variant, "beheer", admin=True)
    env = {"KENNISBANK_API_KEYS_FILE": str(tmp_path / "api-keys.yaml")}
    listed = run_cli("keys", "list", data_dir=tmp_path, env=env)
    assert listed.stdout.splitlines() == ["tijdelijk\tgroups: bestuur", "beheer\tgroups: -\tadmin"]
    assert headers["Authorization"].removeprefix("Bearer ") not in listed.stdout
    assert client.get("/api/documents", headers=headers).status_code == 200
    assert run_cli("keys", "remove", "tijdelijk", data_dir=tmp_path, env=env).returncode == 0
    assert client.get("/api/documents", headers=headers).status_code == 401
    missing = run_cli("keys", "remove", "tijdelijk", data_dir=tmp_path, env=env)
    assert missing.returncode == 2 and "no key named 'tijdelijk'" in missing.stderr
