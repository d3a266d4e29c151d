"""A fake Slack Web API for end-to-end tests, served on loopback with `live_server` and
reached through `WebClient(base_url=...)` (SLACK_API_URL). It keeps the messages the app
posts (chat.postMessage, chat.update, chat.postEphemeral) the way Slack would show them,
records every call and what is sent to a response_url, and answers what bolt and the app
ask (auth.test, conversations.replies, usergroups.users.list, users.info)."""

import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BOT_TOKEN = "xoxb-kennisbank-test"
BOT_USER_ID = "UKENNISBANK"
BOT_ID = "BKENNISBANK"
TEAM_ID = "TMIDWEST"

T = TypeVar("T")


@dataclass
class Message:
    """A message as it stands in Slack now (after any chat.update)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict]
    thread_ts: str | None = None
    ephemeral_for: str | None = None  # the only user who sees it
    updates: int = 0

    @property
    def visible_text(self) -> str:
        """Everything a reader sees: the text of every block (or the plain text without blocks)."""
        if not self.blocks:
            return self.text
        parts = []
        for block in self.blocks:
            if "text" in block:
                parts.append(block["text"]["text"])
            for element in block.get("elements", []):
                parts.append(element["text"]["text"] if element.get("type") == "button" else element["text"])
        return "\n".join(parts)

    def button(self, action_id: str) -> dict:
        for block in self.blocks:
            for element in block.get("elements", []):
                if element.get("action_id") == action_id:
                    return element
        raise AssertionError(f"no button {action_id} in {self.blocks}")


@dataclass
class FakeSlack:
    usergroup_members: dict[str, list[str]] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)  # Slack user id -> profile e-mail
    channels_without_app: set[str] = field(default_factory=set)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    responses: list[dict] = field(default_factory=list)  # posted to a response_url
    messages: list[Message] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _clock: itertools.count = field(default_factory=lambda: itertools.count(1))

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/api/{method}")
        async def web_api(method: str, request: Request) -> JSONResponse:
            if request.headers.get("authorization") != f"Bearer {BOT_TOKEN}":
                return JSONResponse({"ok": False, "error": "invalid_auth"})
            params = await _params(request)
            with self._lock:
                self.calls.append((method, params))
                return JSONResponse(self._answer(method, params))

        @app.post("/response-url")
        async def response_url(request: Request) -> JSONResponse:
            with self._lock:
                self.responses.append(await request.json())
            return JSONResponse({"ok": True})

        return app

    def _answer(self, method: str, params: dict) -> dict:
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "user": "kennisbank",
            }
        if method in ("chat.postMessage", "chat.postEphemeral"):
            if params["channel"] in self.channels_without_app:
                return {"ok": False, "error": "not_in_channel"}
            message = Message(
                channel=params["channel"],
                ts=f"1800000000.{next(self._clock):06d}",
                text=params.get("text", ""),
                blocks=params.get("blocks") or [],
                thread_ts=params.get("thread_ts"),
                ephemeral_for=params.get("user") if method == "chat.postEphemeral" else None,
            )
            self.messages.append(message)
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": message.ts}
            return {"ok": True, "channel": message.channel, "ts": message.ts}
        if method == "chat.update":
            message = self._find(params["channel"], params["ts"])
            if message is None:
                return {"ok": False, "error": "message_not_found"}
            message.text, message.blocks = params.get("text", ""), params.get("blocks") or []
            message.updates += 1
            return {"ok": True, "channel": message.channel, "ts": message.ts}
        if method == "conversations.replies":
            replies = [
                {"ts": m.ts, "text": m.text, "user": BOT_USER_ID, "bot_id": BOT_ID, "thread_ts": m.thread_ts}
                for m in self.messages
                if m.channel == params["channel"] and m.thread_ts == params["ts"] and not m.ephemeral_for
            ]
            root = {"ts": params["ts"], "text": "(a person's message)", "user": "USOMEONE"}
            return {"ok": True, "messages": [root, *replies], "has_more": False}
        if method == "users.info":
            email = self.emails.get(params["user"])
            return {"ok": True, "user": {"id": params["user"], "profile": {"email": email} if email else {}}}
        if method == "usergroups.users.list":
            return {"ok": True, "users": self.usergroup_members.get(params["usergroup"], [])}
        return {"ok": False, "error": "unknown_method"}

    def _find(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self.messages if m.channel == channel and m.ts == ts), None)

    def in_thread(self, channel: str, thread_ts: str) -> list[Message]:
        with self._lock:
            return [m for m in self.messages if m.channel == channel and m.thread_ts == thread_ts]

    def ephemeral_for(self, user: str) -> list[Message]:
        with self._lock:
            return [m for m in self.messages if m.ephemeral_for == user]

    def top_level(self, channel: str) -> list[Message]:
        with self._lock:
            return [
                m for m in self.messages if m.channel == channel and not m.thread_ts and not m.ephemeral_for
            ]

    def answered(self, messages: list[Message]) -> Message | None:
        """The first of `messages` that was updated with an answer (no longer "zoeken...")."""
        return next((m for m in messages if m.updates), None)

    def count(self, method: str) -> int:
        with self._lock:
            return sum(1 for called, _ in self.calls if called == method)


async def _params(request: Request) -> dict:
    """The call's arguments: slack_sdk sends JSON for some methods and a form for others
    (where `blocks` is a JSON string)."""
    if request.headers.get("content-type", "").startswith("application/json"):
        return await request.json()
    params = dict(urllib.parse.parse_qsl((await request.body()).decode()))
    if isinstance(params.get("blocks"), str):
        params["blocks"] = json.loads(params["blocks"])
    return params


def wait_for(condition: Callable[[], T], timeout: float = 15, what: str = "the condition") -> T:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
