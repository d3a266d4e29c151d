"""Regression (#18, item 1): `/api/documents/{id}/file` served whatever was at the path
now. A file replaced after indexing (or overwritten with confidential text and given a new
sidecar) was sent to anonymous callers under the old version's access groups. A file is
now served only while its bytes hash to the `file_sha256` that was indexed; else 409 until
the next re-index."""

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.composition import build_indexer
from assistant.service import Kennisbank
from ingest.sources import SourceFile
from tests.support.api import app_for, new_key

ONBOARDING = "onthaal/welkom.txt"
CONFIDENTIAL = "Vertrouwelijk: de ontslagvergoeding van de directeur bedraagt 98.765 euro.\n"


@pytest.fixture()
def client(kennisbank: Kennisbank, corpus_copy: Path) -> TestClient:
    report = build_indexer(kennisbank).ingest([corpus_copy], progress=False)
    assert report.ok, report.summary()
    app, _ = app_for(kennisbank)
    return _client(app)


def _client(app: FastAPI) -> TestClient:
    """A client under a host the app answers to (`localhost` is always allowed)."""
    return TestClient(app, base_url="http://localhost")


def _file_url(corpus: Path, relative: str) -> str:
    return f"/api/documents/{SourceFile(corpus / relative, corpus).document_id}/file"


def test_a_file_replaced_after_indexing_is_409_until_it_is_back(client: TestClient, corpus_copy: Path):
    url = _file_url(corpus_copy, ONBOARDING)
    original = (corpus_copy / ONBOARDING).read_bytes()
    served = client.get(url)
    assert served.status_code == 200 and served.content == original
    assert served.headers["content-disposition"] == 'inline; filename="welkom.txt"'
    assert served.headers["content-security-policy"] == "sandbox"
    assert served.headers["x-content-type-options"] == "nosniff"

    (corpus_copy / ONBOARDING).write_text(CONFIDENTIAL)
    response = client.get(url)

    assert response.status_code == 409 and "re-index" in response.json()["detail"]
    assert b"98.765" not in response.content
    (corpus_copy / ONBOARDING).write_bytes(original)
    assert client.get(url).content == original


def test_confidential_text_with_a_new_sidecar_is_not_served_before_or_after_reindexing(
    client: TestClient, kennisbank: Kennisbank, corpus_copy: Path
):
    (corpus_copy / ONBOARDING).write_text(CONFIDENTIAL)
    (corpus_copy / (ONBOARDING + ".meta.yaml")).write_text("groups: [bestuur]\n")
    url = _file_url(corpus_copy, ONBOARDING)

    assert client.get(url).status_code == 409

    build_indexer(kennisbank).ingest([corpus_copy], progress=False)
    assert client.get(url).status_code == 404  # now the board's: not even known to exist
    board = client.get(url, headers=new_key(kennisbank, "board", "bestuur"))
    assert board.status_code == 200 and b"98.765" in board.content


def test_a_file_grown_past_the_size_limit_is_not_read(
    kennisbank: Kennisbank, corpus_copy: Path, client: TestClient
):
    (corpus_copy / ONBOARDING).write_text("woord " * 200_000)  # 1.2 MB
    app, _ = app_for(kennisbank, max_file_mb=1)
    assert _client(app).get(_file_url(corpus_copy, ONBOARDING)).status_code == 409


def test_a_point_indexed_before_file_hashes_is_not_served_until_reindexed(
    client: TestClient, kennisbank: Kennisbank, corpus_copy: Path
):
    store = kennisbank.store
    store.backend.upsert(
        [
            replace(point, payload={k: v for k, v in point.payload.items() if k != "file_sha256"})
            for point in store.points()
        ]
    )
    url = _file_url(corpus_copy, ONBOARDING)

    assert client.get(url).status_code == 409
