"""What the routes share, built once by `create_app` and reached through FastAPI
dependencies: the knowledge base, the document catalog, the rate limiter and the
re-indexing jobs. API keys are read from the shared state (`kennisbank.state.keys`)."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.http.auth import caller_with_key
from api.http.limits import RateLimiter
from api.http.reindex import ReindexJobs, StoreGuard
from api.http.signin import SignIn
from assistant.answers.model import Answer
from assistant.caller import Caller, Channel
from assistant.search.catalog import DocumentCatalog
from assistant.service import Kennisbank


@dataclass
class ApiContext:
    kennisbank: Kennisbank
    catalog: DocumentCatalog
    limiter: RateLimiter
    guard: StoreGuard
    reindex: ReindexJobs
    sign_in: SignIn

    @classmethod
    def build(cls, kennisbank: Kennisbank) -> "ApiContext":
        settings = kennisbank.settings
        guard = StoreGuard()
        return cls(
            kennisbank=kennisbank,
            catalog=DocumentCatalog(kennisbank.store),
            limiter=RateLimiter(settings.rate_limit_per_minute),
            guard=guard,
            reindex=ReindexJobs(kennisbank, guard),
            sign_in=SignIn.build(settings),
        )

    def answer(self, question: str, **arguments) -> Answer:
        """`Kennisbank.ask`, holding the store guard only while each piece is made, so a
        slow generated answer does not hold up re-indexing (and, behind it, searches)."""
        *_, answer = self.answer_stream(question, **arguments)
        assert isinstance(answer, Answer)
        return answer

    def answer_stream(self, question: str, **arguments) -> Iterator[str | Answer]:
        """`Kennisbank.ask_stream` under the store guard, piece by piece (see `answer`).
        The question is checked at once: InvalidQuestion before the stream starts."""
        return self.guard.each_reading(self.kennisbank.ask_stream(question, **arguments))


def get_context(request: Request) -> ApiContext:
    return request.app.state.context


Context = Annotated[ApiContext, Depends(get_context)]


def get_caller(request: Request, context: Context) -> Caller:
    """The caller of this request, after checking its key and its rate limit: the key's,
    else the signed-in person's, else an anonymous one. A key is sent as
    `Authorization: Bearer KEY` or `X-API-Key: KEY`."""
    key = _presented_key(request)
    signed_in = context.sign_in.caller(request) if key is None else None
    if signed_in is not None:
        caller = signed_in
    elif key is None:
        if not context.kennisbank.settings.allow_anonymous:
            needed = "sign in or send an API key" if context.sign_in.client else "an API key is required"
            raise HTTPException(401, needed, headers={"WWW-Authenticate": "Bearer"})
        caller = Caller.anonymous(request.client.host if request.client else "unknown")
    else:
        found = caller_with_key(context.kennisbank.state.keys, key)
        if found is None:
            raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "Bearer"})
        caller = found
    retry_after = context.limiter.retry_after(caller.identity)
    if retry_after is not None:
        raise HTTPException(
            429, f"too many requests; retry in {retry_after} s", headers={"Retry-After": str(retry_after)}
        )
    return caller


def _presented_key(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.headers.get("x-api-key") or None


CurrentCaller = Annotated[Caller, Depends(get_caller)]

# The chat page names itself in this header, so that its answers and feedback are recorded
# under the channel "web" and an export can tell them from other API clients' ("api").
CLIENT_HEADER = "X-Kennisbank-Client"


def get_channel(request: Request) -> Channel:
    return "web" if request.headers.get(CLIENT_HEADER, "").lower() == "web" else "api"


ClientChannel = Annotated[Channel, Depends(get_channel)]


def get_admin(caller: CurrentCaller) -> Caller:
    if not caller.admin:
        raise HTTPException(403, "this needs an admin API key")
    return caller


Admin = Annotated[Caller, Depends(get_admin)]
