"""The Slack app end to end: signed requests to /slack/events of the real server on a
loopback port, answered through a fake Slack Web API on loopback (SLACK_API_URL), plus the
Socket Mode transport and the pure formatting and access functions."""

import hashlib
import hmac
import itertools
import json
import logging
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient
from pydantic import SecretStr
from slack_bolt.request import BoltRequest

from api.http.app import create_app
from api.slack.access import SlackAccess, SlackAccessError
from api.slack.app import SLASH_COMMAND, socket_mode_handler
from api.slack.format import (
    SEARCHING,
    answer_blocks,
    notification_text,
    question_from_slack,
    source_line,
    to_mrkdwn,
)
from assistant.answers.model import Answer, Citation
from assistant.conversation import ConversationStore
from assistant.service import Kennisbank
from core.settings import Settings
from loopback.fake_slack import BOT_ID, BOT_TOKEN, BOT_USER_ID, TEAM_ID, FakeSlack, Message, wait_for
from loopback.server import live_server
from tests.support.api import LLM_DOWN, unreachable_llm
from tests.support.environment import REPO, run_cli
from tests.support.sample_corpus import CANARY

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PUBLIC_URL = "https://kennisbank.test"
CHANNEL = "CALGEMEEN"
UNINVITED = "CNIETUITGENODIGD"  # a channel the app is not a member of
OFFICIAL = "UAMBTENAAR"  # in no access group
BOARD_MEMBER = "UBESTUUR"  # mapped directly to "bestuur"
COUNCIL_MEMBER = "URAADSLID"  # member of the Slack user group mapped to "bestuur"
BOARD_USERGROUP = "SRAADVANBESTUUR"
# Not in the Slack access file: her profile's address is in the one shared with the chat page.
BY_EMAIL = "UELS"
CONFIDENTIAL_QUESTION = "Wat bespreekt de Raad van Bestuur over het tuchtdossier in besloten zitting?"

_timestamps = itertools.count(1)


@dataclass
class SlackSetup:
    fake: FakeSlack
    url: str  # the kennisbank server
    slack_url: str  # the fake Slack
    kennisbank: Kennisbank


@pytest.fixture(scope="module")
def slack(indexed: Kennisbank, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlackSetup]:
    access_file = tmp_path_factory.mktemp("slack") / "slack-access.yaml"
    access_file.write_text(
        yaml.safe_dump({"users": {BOARD_MEMBER: ["bestuur"]}, "usergroups": {BOARD_USERGROUP: ["bestuur"]}})
    )
    shared_access_file = access_file.with_name("access.yaml")
    shared_access_file.write_text(yaml.safe_dump({"people": {"els.vermeulen@midwest.be": ["bestuur"]}}))
    fake = FakeSlack(
        usergroup_members={BOARD_USERGROUP: [COUNCIL_MEMBER]},
        emails={BY_EMAIL: "Els.Vermeulen@Midwest.be", OFFICIAL: "piet@midwest.be"},
        channels_without_app={UNINVITED},
    )
    with live_server(fake.app()) as slack_url:
        settings = indexed.settings.model_copy(
            update={
                "slack_bot_token": SecretStr(BOT_TOKEN),
                "slack_signing_secret": SecretStr(SIGNING_SECRET),
                "slack_app_token": SecretStr("xapp-kennisbank-test"),
                "slack_api_url": f"{slack_url}/api/",
                "slack_access_file": access_file,
                "access_file": shared_access_file,
                "public_url": PUBLIC_URL,
            }
        )
        # The shared index and state, with Slack settings and conversations of its own.
        kennisbank = replace(indexed, settings=settings, conversations=ConversationStore())
        with live_server(create_app(kennisbank)) as url:
            yield SlackSetup(fake, url, slack_url, kennisbank)


# --- signed requests as Slack sends them ---------------------------------------------------


def post_signed(
    slack: SlackSetup,
    body: str,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST to /slack/events with Slack's v0 signature over timestamp and body."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return httpx.post(
        f"{slack.url}/slack/events",
        content=body.encode(),
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": f"v0={signature}",
            **(headers or {}),
        },
        timeout=10,
    )


def send_event(slack: SlackSetup, event: dict, *, event_id: str | None = None, **kwargs) -> httpx.Response:
    body = {
        "token": "unused",
        "team_id": TEAM_ID,
        "api_app_id": "AKENNISBANK",
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:12]}",
        "event_time": int(time.time()),
        "event": event,
    }
    response = post_signed(slack, json.dumps(body), "application/json", **kwargs)
    return response


def new_ts() -> str:
    return f"1700000000.{next(_timestamps):06d}"


def mention(text: str, *, user: str = OFFICIAL, thread_ts: str | None = None) -> dict:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": new_ts(),
        "channel": CHANNEL,
    }
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def message(text: str, *, user: str = OFFICIAL, channel: str = CHANNEL, **fields) -> dict:
    channel_type = "im" if channel.startswith("D") else "channel"
    return {
        "type": "message",
        "user": user,
        "text": text,
        "ts": new_ts(),
        "channel": channel,
        "channel_type": channel_type,
        **fields,
    }


def send_action(
    slack: SlackSetup, action_id: str, value: str, *, user: str, message_ts: str
) -> httpx.Response:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID},
        "user": {"id": user},
        "api_app_id": "AKENNISBANK",
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": CHANNEL},
        "message": {"ts": message_ts, "text": "antwoord"},
        "trigger_id": "1.2.3",
        "response_url": f"{slack.slack_url}/response-url",
        "actions": [{"type": "button", "action_id": action_id, "value": value, "action_ts": "1.1"}],
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    return post_signed(slack, body, "application/x-www-form-urlencoded")


def answer_in_thread(slack: SlackSetup, thread_ts: str, channel: str = CHANNEL) -> Message:
    return wait_for(
        lambda: slack.fake.answered(slack.fake.in_thread(channel, thread_ts)),
        what=f"an answer in {thread_ts}",
    )


def ask_in_channel(slack: SlackSetup, question: str) -> tuple[dict, Message]:
    event = mention(question)
    assert send_event(slack, event).status_code == 200
    return event, answer_in_thread(slack, event["ts"])


def stays_true(condition, seconds: float = 1.0) -> bool:
    """True when `condition` holds throughout `seconds`: that nothing was posted can only be
    seen over a while (each use follows a later event that was answered, as a barrier)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not condition():
            return False
        time.sleep(0.05)
    return condition()


# --- channels, threads, DMs ---------------------------------------------------------------


def test_a_mention_is_answered_in_its_thread_with_sources(slack: SlackSetup):
    event = mention("Wie inspecteert de hydranten?")
    response = send_event(slack, event)
    assert response.status_code == 200

    answer = answer_in_thread(slack, event["ts"])
    assert answer.thread_ts == event["ts"]  # in the thread of the question, not the channel
    first_post = next(
        params
        for method, params in slack.fake.calls
        if method == "chat.postMessage" and params.get("thread_ts") == event["ts"]
    )
    assert first_post["text"] == SEARCHING
    assert "De Werkplaats vzw inspecteert jaarlijks" in answer.visible_text
    assert "[1]" in answer.visible_text
    # The source links the chat page's document view.
    assert f"<{PUBLIC_URL}/?document=onderhoud-hydranten-" in answer.visible_text
    assert "|Onderhoud hydranten>" in answer.visible_text
    assert ":warning:" not in answer.visible_text, "a good answer has no warning line"
    assert answer.button("feedback_up") and answer.button("feedback_down")


def test_an_answers_warnings_follow_it_as_a_small_context_line(
    slack: SlackSetup, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(slack.kennisbank, "answerer", unreachable_llm(slack.kennisbank).answerer)
    _, answer = ask_in_channel(slack, "Wie inspecteert de hydranten?")
    assert "De Werkplaats vzw inspecteert jaarlijks" in answer.visible_text
    [warning] = [
        element["text"]
        for block in answer.blocks
        if block["type"] == "context"
        for element in block["elements"]
        if element["text"].startswith(":warning: Let op:")
    ]
    assert LLM_DOWN in warning


def test_a_reply_in_the_thread_is_a_follow_up_in_the_same_conversation(slack: SlackSetup):
    first, _ = ask_in_channel(slack, "Hoeveel uur per week werkt het archiefteam voor Kortevoorde?")
    follow_up = "En hoeveel overhead betalen ze daarvoor?"

    send_event(slack, message(follow_up, thread_ts=first["ts"]))
    answers = wait_for(
        lambda: [m for m in slack.fake.in_thread(CHANNEL, first["ts"]) if m.updates][1:], what="2nd"
    )
    # Asked on its own, the question is about someone else's costs; in the thread, about the archiefteam.
    _, alone = ask_in_channel(slack, follow_up)
    assert "Afsprakennota archiefteam Kortevoorde" in answers[0].visible_text
    assert "Afsprakennota archiefteam Kortevoorde" not in alone.visible_text


def test_replies_in_threads_the_app_did_not_answer_are_left_alone(slack: SlackSetup):
    stranger_thread = new_ts()
    send_event(slack, message("Wie inspecteert de hydranten?", thread_ts=stranger_thread))
    ask_in_channel(slack, "Wie inspecteert de hydranten?")  # a later event, answered: the barrier
    assert stays_true(lambda: not slack.fake.in_thread(CHANNEL, stranger_thread))


def test_a_dm_is_answered_in_the_dm(slack: SlackSetup):
    dm = message("Hoeveel draagt een gemeente per inwoner bij?", channel="DAMBTENAAR")
    send_event(slack, dm)
    answer = wait_for(lambda: slack.fake.answered(slack.fake.top_level("DAMBTENAAR")), what="a DM answer")
    assert "1,25 euro per inwoner" in answer.visible_text
    assert "Strategisch plan 2020-2025" in answer.visible_text and "p. 1" in answer.visible_text


def test_own_and_other_bots_messages_are_not_answered(slack: SlackSetup):
    own = message("zoeken...", channel="DBOTS", user=BOT_USER_ID, bot_id=BOT_ID)
    other = message("Wie inspecteert de hydranten?", channel="DBOTS", bot_id="BANDERE", subtype="bot_message")
    other_mention = mention("Wie inspecteert de hydranten?", user="UANDEREBOT") | {"bot_id": "BANDERE"}
    for event in (own, other, other_mention):
        send_event(slack, event)
    send_event(slack, message("Wie inspecteert de hydranten?", channel="DMENS"))
    wait_for(lambda: slack.fake.answered(slack.fake.top_level("DMENS")), what="the barrier answer")
    assert stays_true(
        lambda: not slack.fake.top_level("DBOTS") and not slack.fake.in_thread(CHANNEL, other_mention["ts"])
    )


# --- retries, replays, signatures -----------------------------------------------------------


def test_retries_and_replays_of_an_event_get_no_second_answer(slack: SlackSetup):
    event, event_id = mention("Wie inspecteert de hydranten?"), f"Ev{uuid.uuid4().hex[:12]}"
    assert send_event(slack, event, event_id=event_id).status_code == 200
    answer_in_thread(slack, event["ts"])

    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert send_event(slack, event, event_id=event_id, headers=retry).status_code == 200
    assert send_event(slack, event, event_id=event_id).status_code == 200  # a replay
    ask_in_channel(slack, "Hoeveel draagt een gemeente per inwoner bij?")  # barrier
    assert stays_true(lambda: len(slack.fake.in_thread(CHANNEL, event["ts"])) == 1)


def test_a_bad_signature_or_an_old_timestamp_gets_401(slack: SlackSetup):
    event = mention("Wie inspecteert de hydranten?")
    assert send_event(slack, event, secret="not-the-secret").status_code == 401
    assert send_event(slack, event, timestamp=int(time.time()) - 6 * 60).status_code == 401
    unsigned = httpx.post(f"{slack.url}/slack/events", json={"type": "event_callback", "event": event})
    assert unsigned.status_code == 401
    ask_in_channel(slack, "Hoeveel draagt een gemeente per inwoner bij?")  # barrier
    assert stays_true(lambda: not slack.fake.in_thread(CHANNEL, event["ts"]))


@pytest.mark.parametrize(
    ("headers", "body", "content_type"),
    [
        ({"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}, "{}", "application/json"),
        ({"X-Slack-Request-Timestamp": "", "X-Slack-Signature": "v0=00"}, "{}", "application/json"),
        ({}, "{niet: json", "application/json"),
        ({}, "payload=%7Bkapot", "application/x-www-form-urlencoded"),
        ({"X-Slack-Request-Timestamp": "9" * 40, "X-Slack-Signature": "v0=00"}, "{}", "application/json"),
    ],
    ids=["timestamp-not-a-number", "timestamp-empty", "bad-json", "bad-form", "timestamp-huge"],
)
def test_an_unsigned_request_is_401_before_its_body_is_parsed(
    slack: SlackSetup, headers: dict, body: str, content_type: str
):
    """Regression (#18, item 6): an unsigned request with a bad timestamp or body got 500
    with a traceback from the Slack library; the signature is now checked first."""
    response = httpx.post(
        f"{slack.url}/slack/events", content=body.encode(), headers={"Content-Type": content_type, **headers}
    )
    assert response.status_code == 401
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{niet: json", "application/json"), ("payload=%7Bkapot", "application/x-www-form-urlencoded")],
)
def test_a_signed_request_with_a_broken_body_is_400(slack: SlackSetup, body: str, content_type: str):
    response = post_signed(slack, body, content_type)
    assert response.status_code == 400 and "not a Slack event" in response.json()["detail"]


def test_slack_url_verification_is_answered(slack: SlackSetup):
    body = json.dumps({"type": "url_verification", "challenge": "uitdaging-123", "token": "unused"})
    response = post_signed(slack, body, "application/json")
    assert response.status_code == 200 and "uitdaging-123" in response.text


# --- access -----------------------------------------------------------------------------------


def test_a_restricted_document_never_reaches_a_channel(slack: SlackSetup):
    _, answer = ask_in_channel(slack, CONFIDENTIAL_QUESTION)
    assert CANARY not in answer.visible_text
    # Not even when a board member asks in the channel: channels see public documents only.
    event = mention(CONFIDENTIAL_QUESTION, user=BOARD_MEMBER)
    send_event(slack, event)
    assert CANARY not in answer_in_thread(slack, event["ts"]).visible_text


@pytest.mark.parametrize(
    ("user", "sees_it"), [(BOARD_MEMBER, True), (COUNCIL_MEMBER, True), (BY_EMAIL, True), (OFFICIAL, False)]
)
def test_a_dm_uses_the_groups_of_the_asking_user(slack: SlackSetup, user: str, sees_it: bool):
    channel = f"D{user}"
    send_event(slack, message(CONFIDENTIAL_QUESTION, user=user, channel=channel))
    answer = wait_for(lambda: slack.fake.answered(slack.fake.top_level(channel)), what="a DM answer")
    assert (CANARY in answer.visible_text) is sees_it


# --- slash command, share, feedback -----------------------------------------------------------


def send_command(slack: SlackSetup, text: str, *, user: str, channel: str = CHANNEL) -> httpx.Response:
    form = {
        "command": SLASH_COMMAND,
        "text": text,
        "team_id": TEAM_ID,
        "channel_id": channel,
        "user_id": user,
        "response_url": f"{slack.slack_url}/response-url",
        "trigger_id": "1.2.3",
    }
    return post_signed(slack, urllib.parse.urlencode(form), "application/x-www-form-urlencoded")


def test_the_slash_command_answers_privately_and_the_button_shares_it(slack: SlackSetup):
    response = send_command(slack, "Wie inspecteert de hydranten?", user=OFFICIAL)
    assert response.status_code == 200 and SEARCHING in response.text  # shown to the user at once

    private = wait_for(lambda: slack.fake.ephemeral_for(OFFICIAL), what="an ephemeral answer")[-1]
    assert private.channel == CHANNEL and "De Werkplaats vzw" in private.visible_text
    channel_before = len(slack.fake.top_level(CHANNEL))

    send_action(
        slack, "share_answer", private.button("share_answer")["value"], user=OFFICIAL, message_ts=private.ts
    )
    shared = wait_for(
        lambda: slack.fake.answered(slack.fake.top_level(CHANNEL)[channel_before:]), what="share"
    )
    assert f"<@{OFFICIAL}> deelde de vraag" in shared.visible_text
    assert "De Werkplaats vzw" in shared.visible_text and "Onderhoud hydranten" in shared.visible_text


def test_a_shared_private_answer_leaves_restricted_documents_out(slack: SlackSetup):
    send_command(slack, CONFIDENTIAL_QUESTION, user=BOARD_MEMBER)
    private = wait_for(lambda: slack.fake.ephemeral_for(BOARD_MEMBER), what="an ephemeral answer")[-1]
    assert CANARY in private.visible_text  # the board member may read it privately
    channel_before = len(slack.fake.top_level(CHANNEL))

    send_action(
        slack,
        "share_answer",
        private.button("share_answer")["value"],
        user=BOARD_MEMBER,
        message_ts=private.ts,
    )
    shared = wait_for(
        lambda: slack.fake.answered(slack.fake.top_level(CHANNEL)[channel_before:]), what="share"
    )
    assert CANARY not in shared.visible_text


def test_an_empty_slash_command_says_how_to_ask(slack: SlackSetup):
    response = send_command(slack, "   ", user=OFFICIAL)
    assert response.status_code == 200 and "Welke vraag heb je?" in response.text


def test_a_slash_command_where_the_app_is_not_invited_says_so(slack: SlackSetup):
    send_command(slack, "Wie inspecteert de hydranten?", user=OFFICIAL, channel=UNINVITED)
    replies = wait_for(
        lambda: [r for r in slack.fake.responses if "/invite" in r.get("text", "")], what="a private reply"
    )
    assert "nodig me eerst uit" in replies[0]["text"]


def test_a_feedback_press_is_stored_with_its_answer(slack: SlackSetup):
    _, answer = ask_in_channel(slack, "Wie inspecteert de hydranten?")
    answer_id = answer.button("feedback_down")["value"]

    send_action(slack, "feedback_down", answer_id, user=OFFICIAL, message_ts=answer.ts)
    stored = wait_for(
        lambda: [r for r in slack.kennisbank.state.thumbs_down() if r.answer_id == answer_id], what="feedback"
    )
    assert stored[0].channel == "slack" and stored[0].question == "Wie inspecteert de hydranten?"
    confirmations = wait_for(lambda: [m for m in slack.fake.ephemeral_for(OFFICIAL) if m.ts > answer.ts])
    assert confirmations[0].text == "Bedankt voor je feedback."


# --- failures -----------------------------------------------------------------------------------


def test_a_failure_posts_an_apology_and_logs_the_event_id(
    slack: SlackSetup, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    def broken_ask(*args, **kwargs):
        raise RuntimeError("de index is weg")

    monkeypatch.setattr(slack.kennisbank, "ask", broken_ask)
    event, event_id = mention("Wie inspecteert de hydranten?"), f"Ev{uuid.uuid4().hex[:12]}"
    with caplog.at_level(logging.ERROR, logger="api.slack.app"):
        send_event(slack, event, event_id=event_id)
        reply = wait_for(
            lambda: slack.fake.answered(slack.fake.in_thread(CHANNEL, event["ts"])), what="apology"
        )
        wait_for(lambda: event_id in caplog.text, what="the log line")
    assert reply.text.startswith("Sorry, er liep iets mis")
    assert BOT_TOKEN not in caplog.text and SIGNING_SECRET not in caplog.text


# --- Socket Mode ---------------------------------------------------------------------------------


def _listener_functions(bolt_app) -> list:
    return [listener.ack_function for listener in bolt_app._listeners]


def test_socket_mode_runs_the_same_listeners_as_http(slack: SlackSetup):
    http_app = create_app(slack.kennisbank).state.slack_app
    handler = socket_mode_handler(slack.kennisbank)  # built, not connected
    try:
        assert _listener_functions(handler.app) == _listener_functions(http_app)
        assert len(_listener_functions(handler.app)) == 5

        # An event delivered over the socket is answered like one over HTTP.
        event = mention("Wie inspecteert de hydranten?")
        envelope = {
            "type": "event_callback",
            "team_id": TEAM_ID,
            "event_id": f"Ev{uuid.uuid4().hex}",
            "event": event,
        }
        assert handler.app.dispatch(BoltRequest(body=envelope, mode="socket_mode")).status == 200
        assert "De Werkplaats vzw" in answer_in_thread(slack, event["ts"]).visible_text
    finally:
        handler.close()


@pytest.mark.slow
def test_socket_mode_command_needs_both_tokens(tmp_path: Path):
    result = run_cli("slack", data_dir=tmp_path / "data", env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_socket_mode_command_reports_a_refused_token(slack: SlackSetup, sample_corpus: Path, tmp_path: Path):
    assert run_cli("ingest", str(sample_corpus), data_dir=tmp_path / "data").returncode == 0
    env = {
        "SLACK_BOT_TOKEN": "xoxb-ingetrokken",
        "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": f"{slack.slack_url}/api/",
    }
    result = run_cli("slack", data_dir=tmp_path / "data", env=env)
    assert result.returncode == 2
    assert "Slack refused the token: invalid_auth" in result.stderr and "Traceback" not in result.stderr


# --- configuration ------------------------------------------------------------------------------


def test_without_slack_settings_there_is_no_slack_endpoint(indexed: Kennisbank):
    client = TestClient(create_app(indexed))
    assert client.post("/slack/events", json={"type": "url_verification", "challenge": "x"}).status_code in (
        404,
        405,
    )


def test_the_manifest_asks_for_what_the_app_listens_to():
    manifest = yaml.safe_load((REPO / "api" / "slack" / "manifest.yml").read_text())
    settings = manifest["settings"]
    assert {"app_mention", "message.im", "message.channels"} <= set(
        settings["event_subscriptions"]["bot_events"]
    )
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [SLASH_COMMAND]
    assert settings["interactivity"]["is_enabled"] and "socket_mode_enabled" in settings
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "channels:history",
        "im:history",
        "chat:write",
        "commands",
        "usergroups:read",
        "users:read",
        "users:read.email",
    } <= (scopes)
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    assert all(url.endswith("/slack/events") for url in urls)


def test_a_broken_access_file_is_named_in_the_error(tmp_path: Path):
    path = tmp_path / "slack-access.yaml"
    path.write_text("users:\n  U1: bestuur\n")  # a string, not a list of groups
    with pytest.raises(SlackAccessError, match="slack-access.yaml"):
        SlackAccess.from_file(path)
    assert SlackAccess.from_file(None).users == {}


# --- formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        ("Dit is **belangrijk** [1].", "Dit is *belangrijk* [1]."),
        ("Een *nadruk* en __vet__.", "Een _nadruk_ en *vet*."),
        (
            "Zie [de nota](https://midwest.be/nota?a=1&b=2).",
            "Zie <https://midwest.be/nota?a=1&amp;b=2|de nota>.",
        ),
        ("- eerste\n* tweede", "• eerste\n• tweede"),
        ("## Besluit\nGoedgekeurd [2].", "*Besluit*\nGoedgekeurd [2]."),
        ("70 % < 80 % & meer", "70 % &lt; 80 % &amp; meer"),
    ],
)
def test_markdown_becomes_slack_mrkdwn(markdown: str, mrkdwn: str):
    assert to_mrkdwn(markdown) == mrkdwn


def test_the_question_is_read_out_of_slack_markup():
    text = "<@UKENNISBANK> Wat zegt <https://midwest.be|de site> over R&amp;D &lt;2021&gt;?"
    assert question_from_slack(text) == "Wat zegt de site over R&D <2021>?"


def test_a_source_line_names_title_page_article_and_date():
    citation = Citation(
        n=2, document_id="abc", title="Notulen <RvB>", source="x.pdf", page=3, article="5",
        date="2021-06-21", doc_type="notulen", text="", score=1.0,
    )  # fmt: skip
    assert source_line(citation, "https://kb.test/") == (
        "[2] <https://kb.test/?document=abc&amp;page=3&amp;article=5|Notulen &lt;RvB&gt;>"
        " · p. 3 · art. 5 · 2021-06-21"
    )
    assert source_line(citation, "").startswith("[2] *Notulen &lt;RvB&gt;* · p. 3")


def test_slack_settings_are_read_under_slack_names_and_kennisbank_names(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-uit-slack")
    monkeypatch.setenv("KENNISBANK_SLACK_SIGNING_SECRET", "geheim")
    monkeypatch.setenv("SLACK_API_URL", "http://proxy.test/api/")
    settings = Settings(_env_file=None)
    assert settings.slack_bot_token.get_secret_value() == "xoxb-uit-slack"
    assert settings.slack_signing_secret.get_secret_value() == "geheim"
    assert settings.slack_api_url == "http://proxy.test/api/" and settings.slack_app_token is None
    assert "xoxb-uit-slack" not in repr(settings)


def test_a_possible_answer_says_so_above_its_text_and_in_the_notification():
    answer = Answer("Kortevoorde betaalt 8 % overhead. [1]", False, confidence="possible", answer_id="a1")
    blocks = answer_blocks(answer, "")
    assert blocks[0] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": ":grey_question: *Mogelijk antwoord: controleer de bron*"}],
    }
    assert notification_text(answer).startswith("Mogelijk antwoord: controleer de bron: Kortevoorde")
    sure = answer_blocks(Answer("Kortevoorde betaalt 8 % overhead. [1]", False, answer_id="a2"), "")
    assert sure[0]["type"] == "section"
