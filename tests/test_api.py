"""The HTTP API over the shared indexed sample corpus."""

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.service import Kennisbank
from tests.sample_corpus import CANARY


@pytest.fixture(scope="module")
def client(indexed: Kennisbank) -> TestClient:
    return TestClient(create_app(indexed), raise_server_exceptions=False)


def test_healthz(client: TestClient):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_search_returns_ranked_passages_with_sources(client: TestClient):
    response = client.get("/api/search", params={"q": "onderhoud hydranten", "top_k": 2})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    assert results[0]["source"] == "samenwerking/onderhoud-hydranten.html"
    assert results[0]["page"] is None


def test_search_filters_by_type_and_year(client: TestClient):
    results = client.get(
        "/api/search", params={"q": "verdeelsleutel", "type": "notulen", "year": 2019}
    ).json()["results"]
    assert results and all(r["doc_type"] == "notulen" and r["date"].startswith("2019") for r in results)


def test_restricted_documents_never_reach_anonymous_callers(client: TestClient):
    response = client.get("/api/search", params={"q": f"tuchtdossier {CANARY}", "top_k": 50})
    assert CANARY not in response.text


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x", "top_k": 0},
        {"q": "x", "top_k": "veel"},
        {"q": "x", "year": "vorig"},
        {"q": "x" * 1001},
    ],
)
def test_bad_requests_get_a_4xx_with_a_reason(client: TestClient, params: dict):
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert "Traceback" not in response.text
