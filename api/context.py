"""What the routes share, built once by `create_app` and reached through FastAPI
dependencies: the knowledge base, the document catalog, the rate limiter and the
re-indexing jobs. API keys are read from the shared state (`kennisbank.state.keys`)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.auth import Caller, caller_with_key
from api.limits import RateLimiter
from api.reindex import ReindexJobs, StoreGuard
from assistant.answers import Answer
from assistant.documents import DocumentCatalog
from assistant.service import Kennisbank
from assistant.state import Channel


@dataclass
class ApiContext:
    kennisbank: Kennisbank
    catalog: DocumentCatalog
    limiter: RateLimiter
    guard: StoreGuard
    reindex: ReindexJobs

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
        )

    def answer(self, question: str, **arguments) -> Answer:
        """`Kennisbank.ask`, holding the store guard only while each piece is made, so a
        slow generated answer does not hold up re-indexing (and, behind it, searches)."""
        *_, answer = self.guard.each_reading(self.kennisbank.ask_stream(question, **arguments))
        assert isinstance(answer, Answer)
        return answer

    def check_question_length(self, text: str, what: str = "question") -> None:
        """422 for a question longer than the configured maximum."""
        limit = self.kennisbank.settings.max_question_chars
        if len(text) > limit:
            raise HTTPException(422, f"the {what} is {len(text)} characters long; the maximum is {limit}")


def get_context(request: Request) -> ApiContext:
    return request.app.state.context


Context = Annotated[ApiContext, Depends(get_context)]


def get_caller(request: Request, context: Context) -> Caller:
    """The caller of this request, after checking its key and its rate limit.
    A key is sent as `Authorization: Bearer KEY` or `X-API-Key: KEY`."""
    key = _presented_key(request)
    if key is None:
        if not context.kennisbank.settings.allow_anonymous:
            raise HTTPException(401, "an API key is required", headers={"WWW-Authenticate": "Bearer"})
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
