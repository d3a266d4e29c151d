"""Helpers shared by the API tests: an app over a shared index with its own settings,
API keys, and a parser for Server-Sent Events."""

import json
from dataclasses import replace
from pathlib import Path

from fastapi import FastAPI

from api.app import create_app
from api.auth import add_key
from assistant.service import Kennisbank


def app_for(kennisbank: Kennisbank, tmp: Path, **settings) -> tuple[FastAPI, Kennisbank]:
    """An app over `kennisbank`'s store with changed settings and a keys file in `tmp`
    (the shared index itself stays untouched)."""
    changed = kennisbank.settings.model_copy(update={"api_keys_file": tmp / "api-keys.yaml", **settings})
    variant = replace(kennisbank, settings=changed)
    return create_app(variant), variant


def new_key(kennisbank: Kennisbank, name: str, *groups: str, admin: bool = False) -> dict[str, str]:
    """Headers that authenticate as a new key with `groups`."""
    key = add_key(kennisbank.settings.api_keys_path, name, groups=list(groups), admin=admin)
    return {"Authorization": f"Bearer {key}"}


def sse_events(text: str) -> list[tuple[str, dict]]:
    """(event, data) pairs of an event stream."""
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields.get("event", "message"), json.loads(fields["data"])))
    return events
