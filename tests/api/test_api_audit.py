"""GET /api/admin/audit: the audit records of answers for admin keys, as JSON lines or CSV
(the canary test of the export is in tests/api/test_api_access.py)."""

import csv
import io
import uuid
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from api.http.auth import create_key
from assistant.service import Kennisbank
from tests.support.api import app_for, new_key


@pytest.fixture(scope="module")
def setup(indexed: Kennisbank) -> tuple[TestClient, Kennisbank]:
    app, variant = app_for(indexed)
    return TestClient(app, raise_server_exceptions=False), variant


@pytest.fixture(scope="module")
def admin(setup) -> dict[str, str]:
    return new_key(setup[1], "auditor", admin=True)


def test_an_admin_exports_one_callers_answers_as_csv(setup, admin: dict[str, str]):
    client, variant = setup
    name = f"medewerker-{uuid.uuid4().hex[:8]}"
    staff = {"X-API-Key": create_key(variant.state.keys, name, groups=["personeel"], admin=False)}
    for question in ("Wie onderhoudt de brandkranen?", "Hoeveel dagen mag ik thuiswerken?"):
        client.post("/api/ask", json={"question": question}, headers=staff)
    client.post("/api/ask", json={"question": "Wie onderhoudt de brandkranen?"})  # someone else

    exported = client.get(
        "/api/admin/audit",
        params={"since": date.today().isoformat(), "user": f"key:{name}", "format": "csv"},
        headers=admin,
    )

    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {row["question"] for row in rows} == {
        "Wie onderhoudt de brandkranen?",
        "Hoeveel dagen mag ik thuiswerken?",
    }
    assert {(row["who"], row["channel"], row["caller_groups"]) for row in rows} == {
        (f"key:{name}", "api", "personeel")
    }
    assert all(row["source"] for row in rows), "each row names a document shown"


def test_an_export_from_tomorrow_on_is_empty(setup, admin: dict[str, str]):
    client, _ = setup
    client.post("/api/ask", json={"question": "Wie onderhoudt de brandkranen?"})
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    exported = client.get("/api/admin/audit", params={"since": tomorrow}, headers=admin)
    assert exported.status_code == 200 and exported.text == ""


@pytest.mark.parametrize(
    ("params", "problem"),
    [({}, "since"), ({"since": "gisteren"}, "since"), ({"since": "2026-01-01", "format": "xlsx"}, "format")],
)
def test_a_bad_export_request_is_refused_with_the_reason(setup, admin: dict[str, str], params, problem):
    client, _ = setup
    refused = client.get("/api/admin/audit", params=params, headers=admin)
    assert refused.status_code == 422 and problem in refused.json()["detail"]
