"""How fast Slack gets its acknowledgement, and how long until the answer shows.

    PYTHONPATH=. KENNISBANK_DATA_DIR=/tmp/slack-data .venv/bin/python bench/slack_ack.py [--questions N]

Needs an index of corpus/ in the data dir (`kennisbank ingest`; copy ./data when the
server holds it). Serves the real app on loopback with a fake Slack Web API (the one the
tests use), sends N signed mentions and N signed /kennisbank commands one after another,
and prints, per kind: the time until the HTTP response (Slack's limit is 3 s) and the time
until the answer replaced "zoeken..." (or the private answer arrived).
"""

import argparse
import hashlib
import hmac
import json
import statistics
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import httpx
from pydantic import SecretStr

from api.composition import build_kennisbank
from api.http.app import create_app
from api.slack.app import SLASH_COMMAND
from core.settings import Settings
from loopback.fake_slack import BOT_TOKEN, BOT_USER_ID, TEAM_ID, FakeSlack, wait_for
from loopback.server import live_server

SECRET = "bench-signing-secret"
QUESTIONS = [
    "Wie onderhoudt de brandkranen?",
    "Hoeveel draagt een gemeente per inwoner bij aan Midwest?",
    "Welke verdeelsleutel geldt voor gedeeld personeel?",
    "Wat betaalt Kortevoorde voor het archiefteam?",
    "Hoeveel dagen thuiswerk zijn mogelijk?",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=10, metavar="N")
    args = parser.parse_args()

    fake = FakeSlack()
    with live_server(fake.app()) as slack_url, tempfile.TemporaryDirectory() as state_dir:
        settings = Settings().model_copy(
            update={
                "slack_bot_token": SecretStr(BOT_TOKEN),
                "slack_signing_secret": SecretStr(SECRET),
                "slack_api_url": f"{slack_url}/api/",
                "database_url": f"sqlite:///{Path(state_dir) / 'state.db'}",
            }
        )
        kennisbank = build_kennisbank(settings)
        app = create_app(kennisbank)
        try:
            with live_server(app) as url:
                for kind, send in (("mention", _mention), ("command", _command)):
                    acks, answers = [], []
                    for i in range(args.questions):
                        ack, answered = send(url, fake, QUESTIONS[i % len(QUESTIONS)], i)
                        acks.append(ack)
                        answers.append(answered)
                    print(f"{kind:8} ack {_spread(acks)} | answer shown {_spread(answers)}  (n={len(acks)})")
        finally:
            kennisbank.close()


def _spread(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:6.0f} ms, max {max(seconds) * 1000:6.0f} ms"


def _mention(url: str, fake: FakeSlack, question: str, i: int) -> tuple[float, float]:
    ts = f"1700000000.{i:06d}"
    event = {"type": "app_mention", "user": "UBENCH", "text": f"<@{BOT_USER_ID}> {question}", "ts": ts}
    body = {
        "type": "event_callback",
        "team_id": TEAM_ID,
        "event_id": f"Ev{uuid.uuid4().hex}",
        "event": event | {"channel": "CBENCH"},
    }
    return _timed(
        url, json.dumps(body), "application/json", lambda: fake.answered(fake.in_thread("CBENCH", ts))
    )


def _command(url: str, fake: FakeSlack, question: str, i: int) -> tuple[float, float]:
    user = f"UBENCH{i}"
    form = {
        "command": SLASH_COMMAND,
        "text": question,
        "team_id": TEAM_ID,
        "channel_id": "CBENCH",
        "user_id": user,
        "response_url": f"{url}/unused",
        "trigger_id": "1",
    }
    return _timed(
        url,
        urllib.parse.urlencode(form),
        "application/x-www-form-urlencoded",
        lambda: fake.ephemeral_for(user),
    )


def _timed(url: str, body: str, content_type: str, answered) -> tuple[float, float]:
    """Seconds until the HTTP response, and until `answered()` holds."""
    timestamp = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={signature}",
    }
    start = time.perf_counter()
    response = httpx.post(f"{url}/slack/events", content=body.encode(), headers=headers, timeout=30)
    ack = time.perf_counter() - start
    response.raise_for_status()
    wait_for(answered, timeout=60, what="the answer")
    return ack, time.perf_counter() - start


if __name__ == "__main__":
    main()
