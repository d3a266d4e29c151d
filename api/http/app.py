"""The HTTP API. `create_app` receives a built `Kennisbank`; routes only translate
between HTTP and the assistant (see api/routes/)."""

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from qdrant_client.http.exceptions import ResponseHandlingException
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from api.http.api_docs import add_api_docs
from api.http.context import CLIENT_HEADER, ApiContext
from api.http.limits import BodySizeLimit
from api.http.routes import admin, ask, documents, feedback, health, openai_compat, search
from api.http.security import SecurityHeaders, allowed_hosts
from api.http.signin import router as sign_in_router
from api.slack.app import mount_slack
from assistant.service import InvalidQuestion, Kennisbank

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """Search and cited answers over the documents of DVV Midwest.

Send an API key as `Authorization: Bearer KEY` or `X-API-Key: KEY`. Without one, only public
documents are visible (unless the server requires keys). Errors are JSON `{"detail": reason}`.
The chat page sends `X-Kennisbank-Client: web`, so that its answers and feedback are recorded
under the channel `web` (other clients: `api`).
"""


def create_app(kennisbank: Kennisbank) -> FastAPI:
    settings = kennisbank.settings
    context = ApiContext.build(kennisbank)
    # FastAPI's own /docs and /redoc load their scripts from a CDN; _add_api_docs serves
    # Swagger UI from the installed package instead.
    app = FastAPI(
        title="Midwest Kennisbank", description=DESCRIPTION, version="0.1.0", docs_url=None, redoc_url=None
    )
    app.state.context = context

    # The middleware added last runs first: the security headers go on every response (a
    # refusal's too), a request with an unknown Host gets 400 before anything else looks at
    # it, and the body limit sees every request before anything reads it. The session
    # cookie of signed-in people is read after those.
    if context.sign_in.client is not None:
        app.add_middleware(SessionMiddleware, **context.sign_in.session_options())
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "X-API-Key", "Content-Type", CLIENT_HEADER],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings), www_redirect=False)
    app.add_middleware(SecurityHeaders)
    _add_error_handlers(app)
    if settings.api_docs:
        add_api_docs(app)

    for module in (health, search, ask, documents, feedback, admin, openai_compat):
        app.include_router(module.router)
    app.include_router(sign_in_router)

    @app.get("/", include_in_schema=False)
    def chat_page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    mount_slack(app, kennisbank)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """One readable sentence per problem ("query top_k: Input should be ..."),
        without echoing the (possibly large) input back."""
        problems = "; ".join(
            f"{' '.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        return JSONResponse(status_code=422, content={"detail": problems or "invalid request"})

    @app.exception_handler(InvalidQuestion)
    async def invalid_question(request: Request, exc: InvalidQuestion) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(ResponseHandlingException)
    async def index_unreachable(request: Request, exc: ResponseHandlingException) -> JSONResponse:
        # The Qdrant server stopped answering after start-up: the request was fine, the
        # service is not; 503 tells clients and load balancers to try again.
        log.error("the Qdrant server is unreachable on %s %s: %s", request.method, request.url.path, exc)
        return JSONResponse(
            status_code=503,
            content={"detail": "the search index is unreachable; try again in a moment"},
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # Log the details for operators; never send a stack trace to the caller.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})
