"""The HTTP API over the shared indexed sample corpus, as a client sees it."""

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from qdrant_client.http.exceptions import ResponseHandlingException

from api.http.app import create_app
from assistant.service import Kennisbank
from tests.support.api import app_for, sse_events
from tests.support.sample_corpus import CANARY


@pytest.fixture(scope="module")
def client(indexed: Kennisbank) -> TestClient:
    app, _ = app_for(indexed)
    return TestClient(app, raise_server_exceptions=False)


def _document(client: TestClient, source: str) -> dict:
    documents = client.get("/api/documents").json()["documents"]
    return next(document for document in documents if document["source"] == source)


def test_health_and_readiness(client: TestClient):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    # Regression (#18, item 5): no passage count for anonymous callers (restricted ones included).
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


def test_readiness_fails_with_a_reason_when_nothing_is_indexed(kennisbank: Kennisbank):
    app, _ = app_for(kennisbank)
    response = TestClient(app).get("/readyz")
    assert response.status_code == 503
    assert "index is empty" in response.json()["detail"]


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


def test_search_filters_by_status_and_date_range(client: TestClient):
    replaced = client.get(
        "/api/search", params={"q": "archiefteam Kortevoorde", "status": "vervangen"}
    ).json()
    assert replaced["results"] and {r["status"] for r in replaced["results"]} == {"vervangen"}
    dated = client.get(
        "/api/search", params={"q": "verdeelsleutel", "date_from": "2021-01-01", "date_to": "2021-12-31"}
    ).json()["results"]
    assert dated and all("2021-01-01" <= r["date"] <= "2021-12-31" for r in dated)


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"status": "gearchiveerd"}, "status must be one of"),
        ({"date_from": "2022-01-01", "date_to": "2021-01-01"}, "is after date_to"),
    ],
)
def test_impossible_filters_are_422_with_the_reason(client: TestClient, params: dict, reason: str):
    response = client.get("/api/search", params={"q": "verdeelsleutel", **params})
    assert response.status_code == 422 and reason in response.json()["detail"]


def test_search_grouped_by_document_lists_each_document_once_with_its_passages(client: TestClient):
    response = client.get(
        "/api/search", params={"q": "verdeelsleutel gedeeld personeel", "group_by": "document"}
    )
    documents = response.json()["documents"]
    ids = [document["document_id"] for document in documents]
    assert len(ids) == len(set(ids)) and len(ids) <= 5
    assert documents[0]["source"].startswith("vergaderingen/")
    for document in documents:
        assert document["passages"] and all(
            p["document_id"] == document["document_id"] for p in document["passages"]
        )
        assert document["score"] == max(p["score"] for p in document["passages"])
    assert [d["score"] for d in documents] == sorted((d["score"] for d in documents), reverse=True)


def test_document_list_shows_public_documents_with_counts(client: TestClient):
    documents = client.get("/api/documents").json()["documents"]
    sources = {document["source"] for document in documents}
    assert "strategie/strategisch-plan-2020-2025.pdf" in sources
    assert "bestuur/besloten-zitting-rvb.md" not in sources
    plan = _document(client, "strategie/strategisch-plan-2020-2025.pdf")
    assert plan["pages"] == 2 and plan["chunks"] >= 2 and plan["doc_type"] == "strategisch-plan"


def test_document_list_filters(client: TestClient):
    minutes = client.get("/api/documents", params={"type": "notulen", "year": 2021}).json()["documents"]
    assert [d["source"] for d in minutes] == ["vergaderingen/2021-06-21-notulen-raad-van-bestuur.md"]
    replaced = client.get("/api/documents", params={"status": "vervangen"}).json()["documents"]
    assert [d["source"] for d in replaced] == ["afsprakennota/2021-01-afsprakennota-kortevoorde.md"]


def test_document_detail_has_its_passages_in_reading_order(client: TestClient):
    plan = _document(client, "strategie/strategisch-plan-2020-2025.pdf")
    detail = client.get(f"/api/documents/{plan['document_id']}").json()
    assert detail["title"] == plan["title"]
    pages = [passage["page"] for passage in detail["passages"]]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 2
    assert "1,25 euro per inwoner" in " ".join(passage["text"] for passage in detail["passages"])


def test_document_file_is_the_original_shown_inline(client: TestClient, sample_corpus: Path):
    plan = _document(client, "strategie/strategisch-plan-2020-2025.pdf")
    response = client.get(f"/api/documents/{plan['document_id']}/file")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.content == (sample_corpus / "strategie/strategisch-plan-2020-2025.pdf").read_bytes()


def test_html_document_file_cannot_run_scripts_on_this_site(client: TestClient):
    page = _document(client, "samenwerking/onderhoud-hydranten.html")
    response = client.get(f"/api/documents/{page['document_id']}/file")
    assert response.status_code == 200 and response.headers["content-security-policy"] == "sandbox"


def test_unknown_document_is_404(client: TestClient):
    for path in ("/api/documents/bestaat-niet-1234", "/api/documents/bestaat-niet-1234/file"):
        response = client.get(path)
        assert response.status_code == 404 and response.json() == {"detail": "no such document"}


def test_ask_returns_a_cited_answer_and_ids(client: TestClient):
    response = client.post("/api/ask", json={"question": "Wie inspecteert de hydranten?"})
    assert response.status_code == 200
    body = response.json()
    assert "[1]" in body["answer"] and not body["abstained"]
    assert body["citations"][0]["source"] == "samenwerking/onderhoud-hydranten.html"
    assert body["conversation_id"] and body["answer_id"]
    assert body["confidence"] in ("answered", "possible")
    assert body["confidence_label"] in ("Antwoord", "Mogelijk antwoord: controleer de bron")


def test_ask_follow_up_continues_the_conversation(client: TestClient):
    first = client.post("/api/ask", json={"question": "Hoe wordt gedeeld personeel verdeeld in 2021?"}).json()
    follow_up = client.post(
        "/api/ask", json={"question": "En in 2019?", "conversation_id": first["conversation_id"]}
    ).json()
    assert follow_up["conversation_id"] == first["conversation_id"]
    assert "personeel" in follow_up["standalone_question"] and "2019" in follow_up["standalone_question"]


def test_ask_with_filters_only_cites_matching_documents(client: TestClient):
    body = client.post(
        "/api/ask", json={"question": "verdeelsleutel", "filters": {"doc_type": "notulen", "year": 2019}}
    ).json()
    assert body["citations"] and all(c["date"].startswith("2019") for c in body["citations"])


def test_ask_stream_sends_deltas_then_citations_then_done(client: TestClient):
    response = client.post("/api/ask/stream", json={"question": "Wie inspecteert de hydranten?"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[-2:] == ["citations", "done"] and set(names[:-2]) == {"delta"}
    final = events[-2][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == final["answer"]
    assert final["citations"] and final["answer_id"] and final["conversation_id"]
    assert final["abstained"] is False and final["confidence"] in ("answered", "possible")
    assert final["confidence_label"]


def test_ask_stream_failure_mid_stream_is_an_error_event(indexed: Kennisbank):
    app, variant = app_for(indexed)

    def broken_stream(*args, **kwargs):
        yield "Half "
        raise RuntimeError("geheime details van de fout")

    variant.ask_stream = broken_stream  # the variant is this test's own instance
    response = TestClient(app).post("/api/ask/stream", json={"question": "Wie inspecteert de hydranten?"})
    events = sse_events(response.text)
    assert events[0] == ("delta", {"text": "Half "})
    assert events[-1][0] == "error" and events[-1][1]["detail"]
    assert "geheime" not in response.text


def test_feedback_is_stored_with_the_answer(client: TestClient, indexed: Kennisbank):
    answer = client.post("/api/ask", json={"question": "Wie inspecteert de hydranten?"}).json()
    response = client.post(
        "/api/feedback", json={"answer_id": answer["answer_id"], "rating": "down", "comment": "te vaag"}
    )
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    stored = [item for item in indexed.state.thumbs_down() if item.answer_id == answer["answer_id"]]
    assert stored[0].comment == "te vaag" and stored[0].question == "Wie inspecteert de hydranten?"
    assert stored[0].answer == answer["answer"] and stored[0].citations == answer["citations"]


def test_feedback_on_an_unknown_answer_is_404(client: TestClient):
    response = client.post("/api/feedback", json={"answer_id": "onbekend", "rating": "up"})
    assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x", "top_k": 0},
        {"q": "x", "top_k": "veel"},
        {"q": "x", "year": "vorig"},
        {"q": "x", "date_from": "gisteren"},
        {"q": "x", "group_by": "map"},
        {"q": "x" * 2001},
    ],
)
def test_bad_search_requests_get_422_with_a_reason(client: TestClient, params: dict):
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"question": ""},
        {"question": 42},
        {"question": "x" * 2001},
        {"question": "x", "filters": {"year": "vorig"}},
        {"question": "x", "filters": {"kleur": "rood"}},
        {"question": "x", "filters": {"status": "gearchiveerd"}},
        {"question": "x", "filters": {"date_from": "2022-01-01", "date_to": "2021-01-01"}},
        {"question": "x", "onbekend": True},
        {"question": "x", "conversation_id": "slack:D0BESTUUR"},  # regression: #18, item 3
    ],
)
def test_bad_ask_requests_get_422_with_a_reason(client: TestClient, body: dict):
    for path in ("/api/ask", "/api/ask/stream"):
        response = client.post(path, json=body)
        assert response.status_code == 422, path
        assert isinstance(response.json()["detail"], str) and response.json()["detail"]


def test_a_nul_character_is_422_on_every_database(client: TestClient):
    """Regression (#18, item 7): a NUL in conversation_id, a feedback comment or answer_id
    was stored by SQLite and gave 500 on PostgreSQL. It is refused before it gets there."""
    question = "Wie inspecteert de hydranten?"
    answer_id = client.post("/api/ask", json={"question": question}).json()["answer_id"]
    for path, body in (
        ("/api/ask", {"question": "Wie inspecteert de hydranten?", "conversation_id": "gesprek\x00"}),
        ("/api/ask/stream", {"question": "Wie inspecteert de hydranten?", "conversation_id": "\x00"}),
        ("/api/ask", {"question": "Wie inspecteert de hydranten?", "filters": {"doc_type": "not\x00ulen"}}),
        ("/api/feedback", {"answer_id": answer_id, "rating": "down", "comment": "fout\x00"}),
        ("/api/feedback", {"answer_id": answer_id + "\x00", "rating": "up"}),
    ):
        response = client.post(path, json=body)
        assert response.status_code == 422, (path, body)
        assert "NUL" in response.json()["detail"]
    assert client.get("/api/search", params={"q": "hydranten", "type": "not\x00ulen"}).status_code == 422


def test_malformed_json_is_a_4xx_not_a_500(client: TestClient):
    response = client.post("/api/ask", content=b"{niet json", headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 and response.json()["detail"]


def test_openapi_documents_the_endpoints_with_examples(client: TestClient):
    schema = client.get("/openapi.json").json()
    for path in (
        "/api/search",
        "/api/ask",
        "/api/ask/stream",
        "/api/documents",
        "/api/feedback",
        "/v1/chat/completions",
    ):
        assert path in schema["paths"], path
    assert "examples" in str(schema["paths"]["/api/ask"]) and "examples" in str(
        schema["paths"]["/api/search"]
    )


def test_chat_page_is_served(client: TestClient):
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text and CANARY not in page.text
    assert client.get("/static/style.css").status_code == 200


def test_an_unexpected_error_is_a_500_without_details(indexed: Kennisbank):
    app, variant = app_for(indexed)

    def broken_stream(*args, **kwargs):
        raise RuntimeError("geheime details van de fout")
        yield  # a generator, like the real one

    variant.ask_stream = broken_stream  # the variant is this test's own instance
    response = TestClient(app, raise_server_exceptions=False).post("/api/ask", json={"question": "Wie?"})
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error; see the server log"}


class _UnreachableIndex:
    """A retriever whose Qdrant server went away: every call fails the way qdrant-client does."""

    def __getattr__(self, name: str):
        def fail(*args, **kwargs):
            raise ResponseHandlingException(httpx.ConnectError("[Errno 111] Connection refused"))

        return fail


def test_an_index_that_went_away_is_a_503_with_a_reason(indexed: Kennisbank):
    client = TestClient(
        create_app(replace(indexed, retriever=_UnreachableIndex())), raise_server_exceptions=False
    )
    for response in (
        client.get("/api/search", params={"q": "hydranten"}),
        client.post("/api/ask", json={"question": "Hoeveel hydranten zijn er?"}),
    ):
        assert response.status_code == 503
        assert response.json() == {"detail": "the search index is unreachable; try again in a moment"}
        assert response.headers["retry-after"] == "5"
