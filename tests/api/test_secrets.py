"""Secrets never appear in logs or errors. Each test sets real-looking secrets, drives a
failure an operator will meet (an endpoint down or refusing, a database that cannot be
reached, a wrong API key, a forged or refused Slack request), captures every log record
down to DEBUG (and the stderr of the command line), and looks for the secrets there and
in what the caller gets back."""

import hashlib
import hmac
import json
import logging
import time
import traceback
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.composition import build_kennisbank
from api.http.app import create_app
from assistant.answers.generative import GenerativeAnswerer, build_llm
from assistant.conversation import ConversationStore
from assistant.service import Kennisbank
from assistant.state.store import StateStore, StateUnavailable
from core.index.backend import StoreUnavailable
from core.index.embedding import HashingMockEmbedding
from core.settings import Settings
from loopback.fake_openai import FakeOpenAI
from loopback.fake_slack import BOT_TOKEN, BOT_USER_ID, TEAM_ID, FakeSlack, wait_for
from loopback.server import free_port, live_server
from tests.support.api import app_for, new_key
from tests.support.environment import PUBLIC, make_settings, run_cli

LLM_KEY = "sk-llm-geheim-5a0c8e1f"
DB_PASSWORD = "Db-Geheim-W8woord"
QDRANT_KEY = "qdrant-geheim-77c1"
SIGNING_SECRET = "slack-signing-geheim-9d2b"
HOURS_QUESTION = "Hoeveel uur per week werkt het archiefteam voor Kortevoorde?"


def llm_kennisbank(indexed: Kennisbank, url: str) -> Kennisbank:
    """The shared index answered by the LLM answerer at `url`, with an API key."""
    settings = indexed.settings.model_copy(
        update={"llm_url": url, "llm_api_key": SecretStr(LLM_KEY), "llm_timeout_s": 5}
    )
    answerer = GenerativeAnswerer(build_llm(settings), indexed.answerer)
    return replace(indexed, settings=settings, answerer=answerer, conversations=ConversationStore())


def test_llm_key_stays_out_of_logs_and_answers_when_the_endpoint_is_down(indexed, caplog):
    caplog.set_level(logging.DEBUG)
    kennisbank = llm_kennisbank(indexed, f"http://127.0.0.1:{free_port()}/v1")
    answer = kennisbank.ask(HOURS_QUESTION, caller=PUBLIC, channel="cli")
    assert any("taalmodel is niet bereikbaar" in warning for warning in answer.warnings)
    assert "LLM endpoint failed" in caplog.text
    assert LLM_KEY not in caplog.text and LLM_KEY not in json.dumps(answer.to_dict())


def test_llm_key_stays_out_of_logs_and_answers_when_the_endpoint_fails(indexed, caplog):
    server = FakeOpenAI()
    server.fail_next = True
    caplog.set_level(logging.DEBUG)
    with live_server(server.app) as url:
        answer = llm_kennisbank(indexed, f"{url}/v1").ask(HOURS_QUESTION, caller=PUBLIC, channel="cli")
    assert server.authorizations == [f"Bearer {LLM_KEY}"]  # the key was in use
    assert any("taalmodel is niet bereikbaar" in warning for warning in answer.warnings)
    assert LLM_KEY not in caplog.text and LLM_KEY not in json.dumps(answer.to_dict())


def database_url(password: str) -> str:
    """A PostgreSQL URL with `password`, on a port where nothing listens."""
    return f"postgresql+psycopg://kennisbank:{password}@127.0.0.1:{free_port()}/kennisbank"


@pytest.mark.parametrize(
    "password",
    [DB_PASSWORD, "Db@Geheim-W8woord"],  # unescaped '@': the driver would name the rest as the host
)
def test_state_database_error_masks_the_password(password: str, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StateUnavailable) as raised:
        StateStore(database_url(password))
    message = str(raised.value)
    assert message.startswith("the state database") and "kennisbank:***@" in message
    assert "Geheim" not in message and "Geheim" not in caplog.text
    # What an operator's log shows when the error is logged with its traceback:
    assert "Geheim" not in "".join(traceback.format_exception(raised.value))


@pytest.mark.parametrize("command", [("serve",), ("ask", HOURS_QUESTION)])
@pytest.mark.slow
def test_commands_report_an_unreachable_database_in_one_line_without_the_password(command, tmp_path: Path):
    result = run_cli(
        *command, data_dir=tmp_path / "data", env={"KENNISBANK_DATABASE_URL": database_url(DB_PASSWORD)}
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "kennisbank: error: the state database postgresql+psycopg://kennisbank:***@"
    )
    assert DB_PASSWORD not in result.stderr + result.stdout and "Traceback" not in result.stderr


def test_qdrant_key_stays_out_of_the_error_and_logs_when_the_server_refuses_it(tmp_path: Path, caplog):
    presented: list[str | None] = []
    qdrant = FastAPI()

    @qdrant.api_route("/{path:path}", methods=["GET", "POST", "PUT"])
    async def refuse(request: Request) -> JSONResponse:
        presented.append(request.headers.get("api-key"))
        return JSONResponse({"status": {"error": "Invalid api-key"}}, status_code=403)

    caplog.set_level(logging.DEBUG)
    with live_server(qdrant) as url, pytest.raises(StoreUnavailable) as raised:
        build_kennisbank(
            make_settings(tmp_path, qdrant_url=url, qdrant_api_key=QDRANT_KEY), HashingMockEmbedding()
        )
    assert presented and set(presented) == {QDRANT_KEY}
    assert "refused the API key (HTTP 403)" in str(raised.value)
    assert QDRANT_KEY not in str(raised.value) and QDRANT_KEY not in caplog.text
    assert QDRANT_KEY not in "".join(traceback.format_exception(raised.value))


def test_a_wrong_api_key_is_neither_echoed_nor_logged_and_a_right_one_not_logged(indexed: Kennisbank, caplog):
    caplog.set_level(logging.DEBUG)
    app, variant = app_for(indexed, allow_anonymous=False)
    right = new_key(variant, "team")
    wrong = "kb_" + hashlib.sha256(b"geraden").hexdigest()[:43]
    client = TestClient(app)
    for headers in ({"Authorization": f"Bearer {wrong}"}, {"X-API-Key": wrong}):
        for response in (
            client.get("/api/search", params={"q": "hydranten"}, headers=headers),
            client.post("/api/ask", json={"question": HOURS_QUESTION}, headers=headers),
            client.get("/v1/models", headers=headers),
        ):
            assert response.status_code == 401 and response.json() == {"detail": "invalid API key"}
            assert wrong not in str(response.headers)
    assert client.post("/api/ask", json={"question": HOURS_QUESTION}, headers=right).status_code == 200
    right_key = right["Authorization"].removeprefix("Bearer ")
    assert wrong not in caplog.text and right_key not in caplog.text


def signed(body: str, secret: str) -> dict[str, str]:
    """Headers of a Slack request signed with `secret` (Slack's v0 signature)."""
    timestamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={signature}",
    }


@pytest.mark.parametrize(
    "bot_token", [BOT_TOKEN, "xoxb-ingetrokken-geheim-4711"], ids=["accepted", "refused"]
)
def test_slack_signing_secret_and_bot_token_stay_out_of_logs(indexed: Kennisbank, bot_token: str, caplog):
    """A forged request (wrong signature) and a real mention, answered with a bot token
    that Slack accepts or refuses (then bolt logs the failed authorisation)."""
    caplog.set_level(logging.DEBUG)
    fake = FakeSlack()
    event = {
        "type": "event_callback",
        "team_id": TEAM_ID,
        "api_app_id": "AKENNISBANK",
        "event_id": "EvGEHEIM1",
        "event_time": int(time.time()),
        "event": {
            "type": "app_mention",
            "user": "UAMBTENAAR",
            "text": f"<@{BOT_USER_ID}> Wie inspecteert de hydranten?",
            "ts": "1700000000.000001",
            "channel": "CALGEMEEN",
        },
    }
    body = json.dumps(event)
    with live_server(fake.app()) as slack_url:
        settings = indexed.settings.model_copy(
            update={
                "slack_bot_token": SecretStr(bot_token),
                "slack_signing_secret": SecretStr(SIGNING_SECRET),
                "slack_api_url": f"{slack_url}/api/",
            }
        )
        client = TestClient(
            create_app(replace(indexed, settings=settings, conversations=ConversationStore()))
        )
        forged = client.post("/slack/events", content=body, headers=signed(body, "geraden-geheim"))
        real = client.post("/slack/events", content=body, headers=signed(body, SIGNING_SECRET))
        if bot_token == BOT_TOKEN:
            wait_for(lambda: any(message.updates for message in fake.messages), what="the answer")
        else:
            assert "Failed to authorize" in caplog.text
    assert forged.status_code == 401 and real.status_code == 200
    for secret in (SIGNING_SECRET, bot_token):
        assert secret not in caplog.text and secret not in forged.text + real.text


def test_settings_show_no_secret_when_printed():
    settings = Settings(
        _env_file=None,
        database_url=f"postgresql+psycopg://kennisbank:{DB_PASSWORD}@db/kennisbank",
        llm_api_key=LLM_KEY,
        qdrant_api_key=QDRANT_KEY,
        embedding_api_key="sk-embedding-geheim",
        slack_bot_token="xoxb-geheim",
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token="xapp-geheim",
    )
    for shown in (repr(settings), str(settings), f"{settings}"):
        assert "geheim" not in shown.lower()
