"""Sign-in with an organisation account (OpenID Connect) against a real provider process,
node-oidc-provider on loopback (tests/support/oidc_provider.py), and the real app served
on a loopback port. The restricted document of the sample corpus carries the CANARY: a
signed-in member of `bestuur` sees it, another signed-in person does not, and neither
does anyone whose cookie or ID token is changed, too old, or not from this provider.
The browser test of sign-in is in tests/api/test_browser_signin.py."""

import asyncio
import base64
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import itsdangerous
import pytest
from joserfc.errors import JoseError

from api.http.signin import SESSION_COOKIE, SignIn
from assistant.service import Kennisbank
from loopback.server import free_port, live_server
from tests.support.api import app_for, new_key
from tests.support.environment import make_settings
from tests.support.oidc_provider import (
    INSTALLED,
    NODE,
    SESSION_SECRET,
    Provider,
    running_provider,
    sign_in,
    sign_in_settings,
    signing_key,
)
from tests.support.sample_corpus import CANARY

RESTRICTED_SOURCE = "bestuur/besloten-zitting-rvb.md"
CANARY_QUESTION = (
    "Welk vertrouwelijk tuchtdossier besprak de Raad van Bestuur in besloten zitting in maart 2022?"
)

pytestmark = [
    pytest.mark.slow,  # starts node
    pytest.mark.skipif(
        not (NODE and INSTALLED),
        reason="needs node and tests/support/oidc/node_modules (`make test` installs both)",
    ),
]


@pytest.fixture(scope="module")
def served(
    indexed: Kennisbank, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Provider, Kennisbank]]:
    """The app with sign-in on, its URL and the provider it signs in with."""
    folder = tmp_path_factory.mktemp("signin")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_provider(url, folder) as provider:
        app, variant = app_for(indexed, **sign_in_settings(provider, folder))
        with live_server(app, port=port):
            yield url, provider, variant


@contextmanager
def signed_in(served, login: str) -> Iterator[httpx.Client]:
    url, _, _ = served
    with httpx.Client(base_url=url, timeout=30) as client:
        landed = sign_in(client, url, login)
        assert landed.status_code == 200 and landed.url == httpx.URL(f"{url}/"), landed.text[:300]
        yield client


def sees_the_canary(client: httpx.Client) -> bool:
    """Whether the restricted document reaches this client through search and answers."""
    search = client.get("/api/search", params={"q": CANARY_QUESTION, "top_k": 50})
    ask = client.post("/api/ask", json={"question": CANARY_QUESTION})
    documents = client.get("/api/documents")
    assert search.status_code == ask.status_code == documents.status_code == 200
    seen = [CANARY in search.text, RESTRICTED_SOURCE in ask.text, RESTRICTED_SOURCE in documents.text]
    assert len(set(seen)) == 1, f"every endpoint agrees: {seen}"
    return seen[0]


def test_a_board_member_signs_in_and_sees_the_restricted_document(served):
    with signed_in(served, "an.bestuur") as client:
        me = client.get("/auth/me").json()
        assert me == {"sign_in": True, "signed_in": True, "name": "An Bestuurslid"}
        assert sees_the_canary(client)


def test_the_session_cookie_is_http_only_and_same_site(served):
    url, _, _ = served
    with httpx.Client(base_url=url, timeout=30) as client:
        landed = sign_in(client, url, "an.bestuur")
    [callback] = [response for response in landed.history if response.url.path == "/auth/callback"]
    [cookie] = [h for h in callback.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "=")]
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags
    assert "secure" not in flags  # plain http on loopback; with an https PUBLIC_URL it is Secure


def test_another_signed_in_person_does_not_see_it(served):
    with signed_in(served, "piet.medewerker") as client:
        assert client.get("/auth/me").json()["name"] == "Piet Medewerker"
        assert not sees_the_canary(client)


def test_an_address_in_the_access_file_gives_its_groups_whatever_the_case(served):
    with signed_in(served, "els.vermeulen") as client:
        assert sees_the_canary(client)


def test_signing_out_ends_the_session_here_and_points_to_the_provider(served):
    url, provider, _ = served
    with signed_in(served, "an.bestuur") as client:
        redirect = client.post("/auth/logout").json()["redirect"]
        assert redirect.startswith(provider.issuer) and "post_logout_redirect_uri" in redirect
        assert client.get("/auth/me").json()["signed_in"] is False
        assert not sees_the_canary(client)
        assert client.get(redirect).status_code == 200  # the provider's own sign-out page


def test_the_answers_of_a_signed_in_person_are_audited_under_their_subject(served):
    url, _, variant = served
    with signed_in(served, "an.bestuur") as client:
        client.post("/api/ask", json={"question": CANARY_QUESTION})
    admin = new_key(variant, "auditor", admin=True)
    exported = httpx.get(
        f"{url}/api/admin/audit",
        params={"since": date.today().isoformat(), "user": "oidc:an.bestuur"},
        headers=admin,
    )
    records = [json.loads(line) for line in exported.text.splitlines()]
    assert records and {record["channel"] for record in records} == {"api"}
    shown = {d["source"]: d["groups"] for record in records for d in record["documents"]}
    assert shown[RESTRICTED_SOURCE] == ["bestuur"]


def test_api_keys_keep_working_beside_sign_in(served):
    url, _, variant = served
    board_key = new_key(variant, "bestuur-app", "bestuur")
    with httpx.Client(base_url=url, headers=board_key, timeout=30) as client:
        assert sees_the_canary(client)


# --- refused: changed, foreign and expired cookies ---


def _cookie(session: dict, secret: str = SESSION_SECRET, signed_at: float | None = None) -> str:
    """A session cookie as Starlette's SessionMiddleware makes it, signed with `secret` at `signed_at`."""

    class SignedThen(itsdangerous.TimestampSigner):
        def get_timestamp(self) -> int:
            return int(signed_at if signed_at is not None else time.time())

    data = base64.b64encode(json.dumps(session).encode())
    return SignedThen(secret).sign(data).decode()


def board_session(until: float | None = None) -> dict:
    groups = ["0b6f1d2e-5c4a-4f1e-9d7a-3e2b1c0a9f8e"]
    until = time.time() + 3600 if until is None else until
    return {"person": {"sub": "an.bestuur", "name": "An", "email": None, "groups": groups, "until": until}}


def test_a_cookie_made_with_the_servers_key_is_accepted(served):
    """The control for the refusals below: the forged cookies differ from this one in one way each."""
    url, _, _ = served
    with httpx.Client(base_url=url, cookies={SESSION_COOKIE: _cookie(board_session())}, timeout=30) as client:
        assert client.get("/auth/me").json()["signed_in"] and sees_the_canary(client)


@pytest.mark.parametrize(
    "cookie",
    [
        pytest.param(
            lambda: _cookie(board_session(), secret="another-deployment-" + "k" * 32), id="foreign-key"
        ),
        pytest.param(
            lambda: _cookie(board_session(), signed_at=time.time() - 9 * 3600), id="older-than-max-age"
        ),
        pytest.param(lambda: _cookie(board_session(until=time.time() - 60)), id="sign-in-expired"),
        pytest.param(lambda: _tampered(_cookie(board_session())), id="tampered"),
        pytest.param(lambda: "not-a-cookie", id="garbage"),
    ],
)
def test_a_changed_foreign_or_expired_cookie_is_anonymous(served, cookie):
    url, _, _ = served
    with httpx.Client(base_url=url, cookies={SESSION_COOKIE: cookie()}, timeout=30) as client:
        assert client.get("/auth/me").json()["signed_in"] is False
        assert not sees_the_canary(client)


def _tampered(cookie: str) -> str:
    """The cookie with its session changed to hold more groups, its signature kept."""
    data, _, signature = cookie.partition(".")
    session = json.loads(base64.b64decode(data))
    session["person"]["groups"].append("7d1e0c9b-2a3f-4e5d-8c7b-6a5f4e3d2c1b")
    return base64.b64encode(json.dumps(session).encode()).decode() + "." + signature


def test_without_anonymous_access_a_sign_in_or_key_is_required(indexed: Kennisbank, served, tmp_path: Path):
    _, provider, _ = served
    app, _ = app_for(indexed, **sign_in_settings(provider, tmp_path, allow_anonymous=False))
    with live_server(app) as url:
        refused = httpx.post(f"{url}/api/ask", json={"question": "Wie onderhoudt de brandkranen?"})
        assert refused.status_code == 401 and refused.json() == {"detail": "sign in or send an API key"}
        forged = httpx.get(
            f"{url}/api/documents", cookies={SESSION_COOKIE: _tampered(_cookie(board_session()))}
        )
        assert forged.status_code == 401


# --- refused: callbacks and ID tokens the provider did not send ---


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"code": "made-up", "state": "made-up"}, "sign-in failed: mismatching_state"),
        ({"error": "access_denied", "error_description": "no"}, "sign-in failed: access_denied"),
    ],
)
def test_a_callback_this_browser_did_not_start_is_refused_with_the_reason(served, query, reason):
    url, _, _ = served
    response = httpx.get(f"{url}/auth/callback", params=query)
    assert response.status_code == 400 and response.json() == {"detail": reason}


def check_id_token(settings: dict, id_token: str, nonce: str = "n-1") -> dict:
    """What the app's provider client makes of an ID token received with the code (as
    `authorize_access_token` does), against the real provider's discovery and keys."""
    client = SignIn.build(make_settings(Path("unused"), **settings)).client
    assert client is not None
    return asyncio.run(client.parse_id_token({"id_token": id_token, "access_token": "a"}, nonce=nonce))


def test_an_id_token_signed_by_the_provider_is_accepted(served, tmp_path: Path):
    """The control for the refusals below."""
    _, provider, _ = served
    claims = check_id_token(sign_in_settings(provider, tmp_path), provider.id_token(nonce="n-1"))
    assert claims["sub"] == "an.bestuur"


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda p: p.id_token(nonce="n-1", exp=int(time.time()) - 3600), id="expired"),
        pytest.param(
            lambda p: p.id_token(nonce="n-1", iss="https://login.example.org/other"), id="foreign-issuer"
        ),
        pytest.param(lambda p: p.id_token(nonce="n-1", aud="another-app"), id="another-audience"),
        pytest.param(lambda p: p.id_token(nonce="n-2"), id="another-sign-in"),
        pytest.param(lambda p: p.id_token(signing_key(), nonce="n-1"), id="not-the-providers-key"),
        pytest.param(lambda p: _changed_payload(p.id_token(nonce="n-1")), id="tampered"),
    ],
)
def test_an_id_token_that_is_not_the_providers_own_is_refused(served, tmp_path: Path, forge):
    _, provider, _ = served
    with pytest.raises(JoseError):
        check_id_token(sign_in_settings(provider, tmp_path), forge(provider))


def _changed_payload(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "piet.medewerker"
    changed = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{changed}.{signature}"
