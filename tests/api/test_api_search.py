"""Search over HTTP beyond the plain query: by example (a pasted paragraph), by mode
(dense, sparse, hybrid), and the document list narrowed by date range and domain; on a
real server on a loopback port."""

from collections.abc import Iterator

import httpx
import pytest

from assistant.service import Kennisbank
from loopback.server import live_server
from tests.support.api import app_for, new_key
from tests.support.sample_corpus import CANARY

# Words of its own, not the minutes' sentences: found by subject, not by copy.
COST_SPLIT_PARAGRAPH = (
    "Ontwerpbeslissing: de gemeenten dragen de kosten van het gedeelde personeel. We stellen voor "
    "de verdeelsleutel te herzien, met een deel volgens de inzet en een deel volgens het aantal inwoners."
)
CONFIDENTIAL_PARAGRAPH = "Vertrouwelijk tuchtdossier besproken door de Raad van Bestuur in besloten zitting."


@pytest.fixture(scope="module")
def server(indexed: Kennisbank) -> Iterator[tuple[httpx.Client, dict]]:
    app, variant = app_for(indexed)
    board = new_key(variant, "bestuur", "bestuur")
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client, board


def similar(client: httpx.Client, text: str, headers: dict | None = None, **body) -> httpx.Response:
    return client.post("/api/search/similar", json={"text": text, **body}, headers=headers or {})


def test_a_pasted_paragraph_finds_the_decisions_on_the_same_subject(server):
    client, _ = server
    response = similar(client, COST_SPLIT_PARAGRAPH, top_k=3)
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert len(documents) <= 3
    titles = [document["title"] for document in documents]
    assert set(titles[:2]) == {
        "Notulen Raad van Bestuur 21 juni 2021",
        "Notulen Raad van Bestuur 18 maart 2019",
    }
    assert len(set(titles)) == len(titles), "each document once"
    best = documents[0]["passages"]
    assert best and "verdeelsleutel" in best[0]["text"].lower()
    assert all(
        document["document_id"] == p["document_id"] for document in documents for p in document["passages"]
    )

    filtered = similar(client, COST_SPLIT_PARAGRAPH, filters={"year": 2019}).json()["documents"]
    assert [document["title"] for document in filtered] == ["Notulen Raad van Bestuur 18 maart 2019"]


def test_search_by_example_keeps_restricted_documents_to_their_group(server):
    client, board = server
    anonymous = similar(client, CONFIDENTIAL_PARAGRAPH, top_k=50)
    assert anonymous.status_code == 200 and CANARY not in anonymous.text
    member = similar(client, CONFIDENTIAL_PARAGRAPH, board, top_k=50)
    assert member.json()["documents"][0]["source"] == "bestuur/besloten-zitting-rvb.md"
    assert CANARY in member.text


@pytest.mark.parametrize(
    ("body", "problem"),
    [({"text": ""}, "text"), ({"text": "x" * 5000}, "characters long"), ({"text": "a", "top_k": 0}, "top_k")],
)
def test_search_by_example_refuses_empty_overlong_or_odd_requests(server, body: dict, problem: str):
    client, _ = server
    response = client.post("/api/search/similar", json=body)
    assert response.status_code == 422 and problem in response.json()["detail"]


def test_search_mode_chooses_meaning_words_or_both_and_refuses_others(server):
    client, _ = server
    for mode in ("hybrid", "dense", "sparse"):
        response = client.get("/api/search", params={"q": "Wie inspecteert de hydranten?", "mode": mode})
        assert response.status_code == 200, mode
        assert response.json()["results"][0]["title"] == "Onderhoud hydranten", mode
    # Words only: a word that occurs in no passage finds nothing, whatever its meaning.
    assert client.get("/api/search", params={"q": "brandkraanzorg", "mode": "sparse"}).json() == {
        "results": []
    }
    grouped = client.get(
        "/api/search", params={"q": "verdeelsleutel", "mode": "sparse", "group_by": "document"}
    )
    assert grouped.json()["documents"][0]["title"].startswith("Notulen Raad van Bestuur")
    refused = client.get("/api/search", params={"q": "hydranten", "mode": "fuzzy"})
    assert refused.status_code == 422 and "mode" in refused.json()["detail"]


def test_documents_list_narrows_by_date_range_and_domain(server):
    client, board = server

    def titles(headers: dict | None = None, **params) -> list[str]:
        response = client.get("/api/documents", params=params, headers=headers or {})
        assert response.status_code == 200, response.text
        return [document["title"] for document in response.json()["documents"]]

    assert titles(date_from="2021-01-01", date_to="2021-12-31") == [
        "Notulen Raad van Bestuur 21 juni 2021",
        "Afsprakennota archiefteam Kortevoorde",
    ]
    assert titles(date_from="2022-01-01") == ["Afsprakennota archiefteam Kortevoorde (herziening 2023)"]
    assert "Besloten zitting Raad van Bestuur 14 maart 2022" in titles(board, date_from="2022-01-01")
    assert titles(date_to="2019-12-31") == ["Notulen Raad van Bestuur 18 maart 2019"]
    assert titles(domain="mobiliteit") == []  # no sample document is tagged with a domain
    backwards = client.get("/api/documents", params={"date_from": "2022-01-01", "date_to": "2021-01-01"})
    assert backwards.status_code == 422 and "after" in backwards.json()["detail"]
