"""Sign-in on the chat page through an OpenID Connect provider (Entra ID, Keycloak, ...):
the authorization code flow with PKCE, by Authlib, with the provider's settings read from
its issuer URL. A signed-in person is kept in the session cookie (Starlette's, signed
with itsdangerous): their subject, name, e-mail and the provider groups the access file
names; their access groups are looked up in the mapping on every request, so a change
to it counts for everyone signed in once the server has read it again (at its next
start), not only from their next sign-in. A sign-in lasts KENNISBANK_SESSION_MAX_AGE_S,
however active.

Authlib checks the ID token: its signature against the provider's keys, its issuer,
audience, expiry and nonce. A cookie that was changed, signed with another key or is too
old is ignored: the request is anonymous (or refused, without anonymous access).
"""

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx2
from authlib.integrations.starlette_client import OAuth, OAuthError
from authlib.integrations.starlette_client.apps import StarletteOAuth2App
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from joserfc.errors import JoseError

from api.access_map import AccessMap
from assistant.caller import Caller
from core.settings import Settings

log = logging.getLogger(__name__)

SESSION_COOKIE = "kennisbank_session"
CALLBACK = "/auth/callback"  # the redirect URI to register at the provider: PUBLIC_URL/auth/callback
PERSON = "person"  # the session key of the signed-in person


@dataclass(frozen=True)
class SignIn:
    """The provider's client (None when sign-in is off), the access mapping and the settings."""

    client: StarletteOAuth2App | None
    access: AccessMap
    settings: Settings

    @classmethod
    def build(cls, settings: Settings) -> "SignIn":
        access = AccessMap.from_file(settings.access_file)
        if not settings.sign_in:
            return cls(None, access, settings)
        oauth = OAuth()
        secret = settings.oidc_client_secret
        client = oauth.register(
            "provider",
            client_id=settings.oidc_client_id,
            client_secret=secret.get_secret_value() if secret else None,
            server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"},
        )
        return cls(client, access, settings)

    def session_options(self) -> dict[str, Any]:
        """The options of the session cookie: HttpOnly (Starlette's default), Secure when the
        public URL is https, SameSite=Lax (sent when the provider redirects back, never
        with another site's POST)."""
        return {
            "secret_key": self.settings.session_secret.get_secret_value(),  # type: ignore[union-attr]
            "session_cookie": SESSION_COOKIE,
            "max_age": self.settings.session_max_age_s,
            "same_site": "lax",
            "https_only": self.settings.public_url.startswith("https://"),
        }

    def caller(self, request: Request) -> Caller | None:
        """The signed-in person of this request, or None."""
        person = _person(request)
        if person is None:
            return None
        groups = self.access.for_person(person["groups"], person.get("email"))
        return Caller(None, groups, False, f"oidc:{person['sub']}")


router = APIRouter(tags=["sign-in"])


async def _provider(request: Request) -> tuple[SignIn, StarletteOAuth2App]:
    """The sign-in and its provider client, after checking that the provider's settings
    name the configured issuer (a discovery document that names another would have its
    tokens accepted under that one's name); 404 when sign-in is off, 503 when the
    provider does not answer."""
    sign_in: SignIn = request.app.state.context.sign_in
    if sign_in.client is None:
        raise HTTPException(404, "sign-in is not configured on this server")
    try:
        metadata = await sign_in.client.load_server_metadata()
    except (httpx2.HTTPError, ValueError) as exc:
        log.error("the sign-in provider does not answer: %s", type(exc).__name__)
        raise HTTPException(503, "the sign-in provider is unreachable; try again in a moment") from None
    if str(metadata.get("issuer", "")).rstrip("/") != sign_in.settings.oidc_issuer.rstrip("/"):
        log.error("the provider's discovery document names the issuer %r", metadata.get("issuer"))
        raise HTTPException(502, "the sign-in provider is not the configured issuer")
    return sign_in, sign_in.client


@router.get("/auth/login", summary="Sign in at the organisation's provider (redirects there)")
async def login(request: Request) -> RedirectResponse:
    sign_in, client = await _provider(request)
    return await client.authorize_redirect(request, _base_url(request, sign_in.settings) + CALLBACK)


@router.get(CALLBACK, summary="Where the provider sends the person back after sign-in")
async def callback(request: Request) -> RedirectResponse:
    sign_in, client = await _provider(request)
    try:
        token = await client.authorize_access_token(request)
    except OAuthError as exc:  # the provider's error, or a state this browser did not start
        raise HTTPException(400, f"sign-in failed: {exc.error}") from None
    except JoseError as exc:  # signature, issuer, audience, expiry or nonce of the ID token
        log.warning("an ID token was refused: %s", exc.error)
        raise HTTPException(400, f"sign-in failed: the ID token is not valid ({exc.error})") from None
    except httpx2.HTTPError as exc:
        log.error("the sign-in provider does not answer: %s", type(exc).__name__)
        raise HTTPException(503, "the sign-in provider is unreachable; try again in a moment") from None
    claims = token.get("userinfo")
    if not claims:
        raise HTTPException(
            400, "sign-in failed: the provider sent no ID token (is `openid` among the scopes?)"
        )
    request.session.clear()  # nothing of before the sign-in carries over
    request.session[PERSON] = person_of(claims, sign_in)
    return RedirectResponse("/", status_code=303)


def person_of(claims: dict, sign_in: SignIn) -> dict:
    """What the session keeps of a checked ID token. Its e-mail counts only when the
    provider vouches for it (Entra ID sends no `email_verified`: its address is the
    organisation's own)."""
    groups = claims.get(sign_in.settings.oidc_groups_claim) or []
    return {
        "sub": claims["sub"],
        "name": claims.get("name")
        or claims.get("preferred_username")
        or claims.get("email")
        or claims["sub"],
        "email": claims.get("email") if claims.get("email_verified", True) else None,
        "groups": sign_in.access.known_groups(groups if isinstance(groups, list) else [groups]),
        "until": time.time() + sign_in.settings.session_max_age_s,
    }


@router.post("/auth/logout", summary="Sign out here; says where to sign out at the provider as well")
async def logout(request: Request) -> dict:
    if "session" in request.scope:
        request.session.clear()
    try:
        sign_in, client = await _provider(request)
    except HTTPException as exc:
        if exc.status_code == 404:
            raise
        return {"redirect": "/"}  # signed out here; the provider cannot be told now
    end_session = (await client.load_server_metadata()).get("end_session_endpoint")
    if not end_session:
        return {"redirect": "/"}
    back = {
        "client_id": sign_in.settings.oidc_client_id,
        "post_logout_redirect_uri": _base_url(request, sign_in.settings) + "/",
    }
    return {"redirect": f"{end_session}?{urlencode(back)}"}


@router.get("/auth/me", summary="Whether sign-in is on, and who is signed in")
def me(request: Request) -> dict:
    sign_in: SignIn = request.app.state.context.sign_in
    person = _person(request)
    return {
        "sign_in": sign_in.client is not None,
        "signed_in": person is not None,
        "name": person["name"] if person else None,
    }


def _person(request: Request) -> dict | None:
    """The session's person while their sign-in lasts."""
    if "session" not in request.scope:
        return None
    person = request.session.get(PERSON)
    if not isinstance(person, dict) or person.get("until", 0) < time.time():
        return None
    return person


def _base_url(request: Request, settings: Settings) -> str:
    """PUBLIC_URL, else this request's (its Host is one of KENNISBANK_ALLOWED_HOSTS)."""
    return settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
