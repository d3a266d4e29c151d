"""What comes with an answer over HTTP besides its text: the warnings on how it was made
(in the plain answer and in the stream's `citations` event), and the channel it is
recorded under (the chat page's "web" versus other clients' "api"); on a real server."""

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from assistant.service import Kennisbank
from assistant.state.store import answers, feedback
from loopback.server import live_server
from tests.support.api import LLM_DOWN, app_for, sse_events, unreachable_llm

QUESTION = "Hoeveel uur per week werkt het archiefteam voor Kortevoorde?"


@pytest.fixture(scope="module")
def client(indexed: Kennisbank) -> Iterator[httpx.Client]:
    app, _ = app_for(indexed)
    with live_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def test_an_answer_made_without_the_unreachable_llm_says_so_in_both_forms(indexed: Kennisbank):
    app, _ = app_for(unreachable_llm(indexed))
    with live_server(app) as url:
        plain = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=30).json()
        stream = httpx.post(f"{url}/api/ask/stream", json={"question": QUESTION}, timeout=30)
    assert "12 uur per week" in plain["answer"]
    assert any(LLM_DOWN in warning for warning in plain["warnings"])

    events = sse_events(stream.text)
    assert [name for name, _ in events][-2:] == ["citations", "done"]
    final = dict(events)["citations"]
    assert final["warnings"] == plain["warnings"]
    assert final["citations"] and final["answer_id"]


def test_a_good_answer_has_no_warnings(client: httpx.Client):
    final = dict(sse_events(client.post("/api/ask/stream", json={"question": QUESTION}).text))["citations"]
    assert final["warnings"] == [] and "12 uur per week" in final["answer"]


def _channel(kennisbank: Kennisbank, table, answer_id: str) -> list[str]:
    column = table.c.id if table is answers else table.c.answer_id
    with kennisbank.state.engine.connect() as connection:
        return list(connection.execute(select(table.c.channel).where(column == answer_id)).scalars())


@pytest.mark.parametrize(("headers", "channel"), [({"X-Kennisbank-Client": "web"}, "web"), ({}, "api")])
def test_the_chat_pages_answers_and_feedback_are_recorded_as_web(
    client: httpx.Client, indexed: Kennisbank, headers: dict, channel: str
):
    streamed = dict(
        sse_events(client.post("/api/ask/stream", json={"question": QUESTION}, headers=headers).text)
    )
    plain = client.post("/api/ask", json={"question": QUESTION}, headers=headers).json()
    for answer_id in (streamed["citations"]["answer_id"], plain["answer_id"]):
        assert _channel(indexed, answers, answer_id) == [channel]
        rated = client.post("/api/feedback", json={"answer_id": answer_id, "rating": "down"}, headers=headers)
        assert rated.status_code == 200
        assert _channel(indexed, feedback, answer_id) == [channel]
    exported = {item.answer_id: item.channel for item in indexed.state.thumbs_down()}
    assert exported[plain["answer_id"]] == channel
