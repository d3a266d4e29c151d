"""Sign-in is refused at start-up when its settings cannot make it safe, with the setting
to fix named; its routes without a provider (the flow itself: tests/api/test_signin.py)."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from assistant.service import Kennisbank
from loopback.server import free_port
from tests.support.api import app_for
from tests.support.environment import make_settings, run_cli

SECRET = "s" * 32


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (
            {"oidc_issuer": "https://login.example.be/t/v2.0"},
            "needs KENNISBANK_OIDC_CLIENT_ID and KENNISBANK_SESSION_SECRET",
        ),
        (
            {"oidc_issuer": "https://login.example.be", "oidc_client_id": "kb", "session_secret": "kort"},
            "at least 32",
        ),
        (
            {"oidc_issuer": "http://login.example.be", "oidc_client_id": "kb", "session_secret": SECRET},
            "https URL",
        ),
    ],
    ids=["incomplete", "short-secret", "plain-http-issuer"],
)
def test_unsafe_sign_in_settings_are_refused_with_what_to_fix(tmp_path: Path, settings: dict, problem: str):
    with pytest.raises(ValidationError, match=problem):
        make_settings(tmp_path, **settings)


def test_sign_in_is_off_by_default_and_an_issuer_on_loopback_may_be_plain_http(tmp_path: Path):
    assert not make_settings(tmp_path).sign_in
    on = make_settings(
        tmp_path, oidc_issuer="http://127.0.0.1:9000", oidc_client_id="kb", session_secret=SECRET
    )
    assert on.sign_in


@pytest.mark.slow  # runs the kennisbank command
def test_the_command_says_what_sign_in_lacks_in_one_line(tmp_path: Path):
    result = run_cli(
        "keys", "list", data_dir=tmp_path, env={"KENNISBANK_OIDC_ISSUER": "https://login.example.be"}
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kennisbank: error: invalid configuration: Value error, sign-in (KENNISBANK_OIDC_ISSUER) needs "
        "KENNISBANK_OIDC_CLIENT_ID and KENNISBANK_SESSION_SECRET"
    ]


def test_sign_in_routes_are_404_while_sign_in_is_off_and_the_page_is_told(indexed: Kennisbank):
    client = TestClient(app_for(indexed)[0])
    assert client.get("/auth/login", follow_redirects=False).status_code == 404
    assert client.post("/auth/logout").status_code == 404
    assert client.get("/auth/me").json() == {"sign_in": False, "signed_in": False, "name": None}


def test_an_unreachable_provider_is_503_with_the_reason(indexed: Kennisbank):
    app, _ = app_for(
        indexed,
        oidc_issuer=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        oidc_client_id="kb",
        session_secret=SecretStr(SECRET),
    )
    response = TestClient(app).get("/auth/login", follow_redirects=False)
    assert response.status_code == 503
    assert response.json() == {"detail": "the sign-in provider is unreachable; try again in a moment"}
