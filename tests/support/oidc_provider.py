"""A real OpenID Connect provider for the tests: node-oidc-provider (tests/support/oidc,
installed by `make test` through scripts/system-deps.sh) run with node on a loopback port,
with one client (the kennisbank) and the accounts below. Its sign-in form accepts any
password: who signs in is chosen by the login name.

The test writes the provider's signing key, so that it can also sign ID tokens the way the
provider would, with it or with another key, to see which the kennisbank refuses."""

import json
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey
from pydantic import SecretStr

from loopback.server import free_port

PROVIDER_DIR = Path(__file__).with_name("oidc")
NODE = shutil.which("node")
INSTALLED = (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir()

CLIENT_ID = "kennisbank"
CLIENT_SECRET = "client-secret-" + "x" * 24
SESSION_SECRET = "session-secret-" + "s" * 32
# Provider groups (as Entra ID names them: object ids) and the access file that maps them.
BOARD_GROUP = "0b6f1d2e-5c4a-4f1e-9d7a-3e2b1c0a9f8e"
STAFF_GROUP = "7d1e0c9b-2a3f-4e5d-8c7b-6a5f4e3d2c1b"
ACCESS_FILE = f"""
groups:
  {BOARD_GROUP}: [bestuur]
  {STAFF_GROUP}: [personeel]
people:
  Els.Vermeulen@Midwest.be: [bestuur]
"""
ACCOUNTS = {
    "an.bestuur": {"name": "An Bestuurslid", "email": "an@midwest.be", "email_verified": True,
                   "groups": [BOARD_GROUP, STAFF_GROUP]},
    "piet.medewerker": {"name": "Piet Medewerker", "email": "piet@midwest.be", "email_verified": True,
                        "groups": [STAFF_GROUP]},
    # In no mapped group, but her address is in the access file (as for Slack).
    "els.vermeulen": {"name": "Els Vermeulen", "email": "els.vermeulen@midwest.be", "email_verified": True,
                      "groups": []},
}  # fmt: skip


@dataclass(frozen=True)
class Provider:
    issuer: str
    key: RSAKey  # the provider's signing key

    def id_token(self, key: RSAKey | None = None, **claims) -> str:
        """An ID token for the kennisbank as the provider would sign it (with `key`, else
        its own), valid for ten minutes unless `claims` say otherwise."""
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "an.bestuur", "iat": now, "exp": now + 600}
        signer = key or self.key
        return jwt.encode({"alg": "RS256", "kid": signer.kid}, {**payload, **claims}, signer)


def sign_in_settings(provider: Provider, folder: Path, **overrides) -> dict:
    """Settings that sign in through `provider`, with ACCESS_FILE written to `folder`."""
    access_file = folder / "access.yaml"
    access_file.write_text(ACCESS_FILE, encoding="utf-8")
    return {
        "oidc_issuer": provider.issuer,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": SecretStr(CLIENT_SECRET),
        "oidc_scopes": "openid profile email groups",
        "access_file": access_file,
        "session_secret": SecretStr(SESSION_SECRET),
        **overrides,
    }


def signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex[:8], "use": "sig", "alg": "RS256"})


@contextmanager
def running_provider(app_url: str, folder: Path) -> Iterator[Provider]:
    """The provider on a free loopback port, with the kennisbank at `app_url` as its client."""
    issuer = f"http://127.0.0.1:{free_port()}"
    key = signing_key()
    config = {
        "issuer": issuer,
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{app_url}/auth/callback"],
            "post_logout_redirect_uris": [f"{app_url}/"],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        },
        "jwks": {"keys": [key.as_dict(private=True)]},
        "accounts": ACCOUNTS,
    }
    config_file = folder / "oidc-provider.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    process = subprocess.Popen(
        [str(NODE), "provider.mjs", str(config_file)],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = process.stdout.readline() if process.stdout else ""
        if ready.strip() != "ready":
            raise RuntimeError(
                f"the OpenID provider did not start: {process.stderr.read() if process.stderr else ''}"
            )
        yield Provider(issuer, key)
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in(client: httpx.Client, app_url: str, login: str) -> httpx.Response:
    """Sign in through the provider's own form as `login`, the way a browser does; the
    response where the redirects end (the chat page, or a refusal)."""
    form_page = client.get(f"{app_url}/auth/login", follow_redirects=True)
    action = re.search(r'<form[^>]*action="([^"]+)"', form_page.text)
    assert action, form_page.text
    return client.post(
        httpx.URL(str(form_page.url)).join(action.group(1)),
        data={"prompt": "login", "login": login, "password": "wachtwoord"},
        follow_redirects=True,
    )
