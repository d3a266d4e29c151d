"""`kennisbank serve` (the HTTP API, the chat page and Slack over HTTP events) and
`kennisbank slack` (the Slack app over Socket Mode)."""

import argparse
import logging
from typing import Any

from api.cli.common import EXIT_OK, UsageError, opened
from core.settings import Settings

# uvicorn closes a kept-alive connection this many seconds after its last response.
KEEP_ALIVE_S = 5
# A request's line and headers may buffer up to this many bytes; past it uvicorn answers 400
# and closes the connection. uvicorn has no timeout for headers or bodies that arrive too
# slowly: in production a reverse proxy in front sets those (docs/production.md).
MAX_HEADER_BYTES = 16 * 1024


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the HTTP API",
        description="Serve the HTTP API. With the embedded store, this process holds the "
        "index: stop it before running `kennisbank ingest`.",
    )
    serve.add_argument("--host", help="interface to listen on (default KENNISBANK_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default KENNISBANK_PORT, 8000)")
    serve.set_defaults(run=_serve)

    slack = commands.add_parser(
        "slack",
        help="run the Slack app over Socket Mode",
        description="Answer Slack mentions, DMs, thread follow-ups and /kennisbank over Socket "
        "Mode (no public URL needed). Needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN. With the "
        "embedded store, this process holds the index (like `serve`).",
    )
    slack.set_defaults(run=_slack)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.http.app import create_app
    from api.slack.access import SlackAccessError

    with opened(settings, require_index=False) as kennisbank:
        try:
            app = create_app(kennisbank)
        except SlackAccessError as exc:
            raise UsageError(str(exc)) from exc
        uvicorn.run(app, **uvicorn_options(args.host or settings.host, args.port or settings.port))
    return EXIT_OK


def uvicorn_options(host: str, port: int) -> dict[str, Any]:
    """What `serve` passes to uvicorn besides the app. The h11 parser is named, not left to
    "auto", because the header limit is an h11 option (httptools, if installed, would ignore it)."""
    return {
        "host": host,
        "port": port,
        "http": "h11",
        "timeout_keep_alive": KEEP_ALIVE_S,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
    }


def _slack(args: argparse.Namespace, settings: Settings) -> int:
    from slack_sdk.errors import SlackApiError

    from api.slack.access import SlackAccessError
    from api.slack.app import SlackNotConfigured, check_socket_mode_settings, socket_mode_handler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        check_socket_mode_settings(settings)
    except SlackNotConfigured as exc:
        raise UsageError(str(exc)) from exc
    with opened(settings) as kennisbank:
        try:
            handler = socket_mode_handler(kennisbank)
        except SlackAccessError as exc:
            raise UsageError(str(exc)) from exc
        try:
            handler.app.client.auth_test()  # a wrong bot token fails here, not at the first question
            handler.start()
        except SlackApiError as exc:
            reason = exc.response.get("error") or f"HTTP {exc.response.status_code}"
            raise UsageError(f"Slack refused the token: {reason}") from exc
        except OSError as exc:
            raise UsageError(f"cannot reach Slack at {settings.slack_api_url}: {exc}") from exc
        except KeyboardInterrupt:
            pass
        finally:
            handler.close()
    return EXIT_OK
