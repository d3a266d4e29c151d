"""Helpers shared by the API tests: an app over a shared index with its own settings,
API keys, an LLM that cannot be reached, and a parser for Server-Sent Events."""

import json
import uuid
from dataclasses import replace

from fastapi import FastAPI

from api.http.app import create_app
from api.http.auth import create_key
from assistant.answers.generative import GenerativeAnswerer, build_llm
from assistant.conversation import ConversationStore
from assistant.service import Kennisbank
from loopback.server import free_port

LLM_DOWN = "taalmodel is niet bereikbaar"  # in the warning of an answer made without the LLM


def app_for(kennisbank: Kennisbank, **settings) -> tuple[FastAPI, Kennisbank]:
    """An app over `kennisbank`'s store and state with changed settings (the shared index
    itself stays untouched)."""
    changed = kennisbank.settings.model_copy(update=settings)
    variant = replace(kennisbank, settings=changed)
    return create_app(variant), variant


def new_key(kennisbank: Kennisbank, name: str, *groups: str, admin: bool = False) -> dict[str, str]:
    """Headers that authenticate as a new key with `groups`, named `name` plus a unique
    suffix (tests share the session's state database, where key names are unique)."""
    unique = f"{name}-{uuid.uuid4().hex[:8]}"
    key = create_key(kennisbank.state.keys, unique, groups=list(groups), admin=admin)
    return {"Authorization": f"Bearer {key}"}


def unreachable_llm(kennisbank: Kennisbank) -> Kennisbank:
    """`kennisbank` answering through an LLM endpoint where nothing listens: every answer
    falls back to the extractive one and carries the warning that says so."""
    settings = kennisbank.settings.model_copy(
        update={"llm_url": f"http://127.0.0.1:{free_port()}/v1", "llm_timeout_s": 5}
    )
    answerer = GenerativeAnswerer(build_llm(settings), kennisbank.answerer)
    return replace(kennisbank, settings=settings, answerer=answerer, conversations=ConversationStore())


def sse_events(text: str) -> list[tuple[str, dict]]:
    """(event, data) pairs of an event stream."""
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields.get("event", "message"), json.loads(fields["data"])))
    return events
