"""Request limits: body size (413) and a per-caller rate limit (429)."""

import json
import math
import threading
import time

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    """ASGI middleware: a body larger than `max_bytes` gets 413.

    A declared Content-Length over the limit is refused before reading anything; a body
    without one (chunked) is counted as it arrives and refused as soon as it passes the
    limit, so a huge upload is never buffered in memory.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge(self._reason)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if response_started:
                raise
            await self._refuse(send)

    @property
    def _reason(self) -> str:
        return f"request body is larger than {self.max_bytes} bytes"

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": self._reason}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(HTTPException):
    """Raised from `receive` inside the app. An HTTPException, so FastAPI's body parsing
    passes it on (any other error there becomes a 400) and the app answers 413; anything
    that still lets it escape gets the 413 from `BodySizeLimit` itself."""

    def __init__(self, reason: str) -> None:
        super().__init__(413, reason)


class RateLimiter:
    """A token bucket per caller: `per_minute` requests in a burst, refilled evenly over
    a minute. Kept in this process (several workers each allow the full rate)."""

    MAX_TRACKED = 10_000

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60
        self._buckets: dict[str, tuple[float, float]] = {}  # identity -> (tokens, last update)
        self._lock = threading.Lock()

    def retry_after(self, identity: str) -> int | None:
        """Take one request from `identity`'s bucket: None if allowed, else the seconds to
        wait before the next request is."""
        now = time.monotonic()
        with self._lock:
            tokens, updated = self._buckets.get(identity, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - updated) * self.refill_per_second)
            if tokens < 1:
                self._buckets[identity] = (tokens, now)
                return math.ceil((1 - tokens) / self.refill_per_second)
            self._buckets[identity] = (tokens - 1, now)
            if len(self._buckets) > self.MAX_TRACKED:
                self._forget_idle(now)
            return None

    def _forget_idle(self, now: float) -> None:
        """Drop callers whose bucket has refilled: forgetting them changes nothing."""
        full_after = self.capacity / self.refill_per_second
        self._buckets = {
            identity: bucket for identity, bucket in self._buckets.items() if now - bucket[1] < full_after
        }
