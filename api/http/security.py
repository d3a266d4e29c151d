"""What every response of the HTTP app says about itself to browsers, and which Host
headers it answers (the probe of issue #18: the chat page could be framed by any site,
/docs loaded scripts from a CDN on the origin that keeps the API key, and without
KENNISBANK_PUBLIC_URL a forged Host header made the links in answers)."""

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.settings import Settings


def allowed_hosts(settings: Settings) -> list[str]:
    """The Host headers the app answers: without KENNISBANK_PUBLIC_URL the request's host
    makes the links in answers and redirects, so a forged one must not get through. The
    public URL's own host is always among them (Slack and browsers arrive under it)."""
    hosts = list(settings.allowed_hosts)
    public_host = urlsplit(settings.public_url).hostname if settings.public_url else None
    if public_host and public_host not in hosts:
        hosts.append(public_host)
    return hosts


# Pages may load scripts, styles and images from this server only, and no site may frame
# them (the chat page keeps the API key in localStorage). A route that set a stricter policy
# (a document file gets `sandbox`) keeps its own.
PAGE_POLICY = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response, and PAGE_POLICY as Content-Security-Policy to
    HTML responses; headers a route set itself win. Plain ASGI, so streamed answers (SSE) pass
    through unbuffered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)
