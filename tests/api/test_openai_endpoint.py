"""The OpenAI-compatible endpoint, driven by the official `openai` package against a real
server on a loopback port, as an existing chat client would use it."""

import re
from collections.abc import Iterator
from dataclasses import replace

import httpx
import openai
import pytest

from api.http.routes.openai_compat import references
from assistant.answers.model import Answer
from assistant.service import Kennisbank
from loopback.server import live_server
from tests.support.api import LLM_DOWN, app_for, new_key, unreachable_llm
from tests.support.sample_corpus import CANARY


@pytest.fixture(scope="module")
def server(indexed: Kennisbank) -> Iterator[tuple[str, Kennisbank]]:
    app, variant = app_for(indexed)
    with live_server(app) as url:
        yield url, variant


@pytest.fixture(scope="module")
def public_client(server) -> openai.OpenAI:
    """A client without groups. The openai package always sends a key, so this one is a
    real key that has no groups: it sees what an anonymous caller sees."""
    url, variant = server
    key = new_key(variant, "chatclient")["Authorization"].removeprefix("Bearer ")
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0)


def test_models_lists_the_knowledge_base(public_client: openai.OpenAI):
    assert [model.id for model in public_client.models.list()] == ["kennisbank"]


def test_chat_completion_answers_with_numbered_sources(public_client: openai.OpenAI):
    completion = public_client.chat.completions.create(
        model="kennisbank", messages=[{"role": "user", "content": "Wie inspecteert de hydranten?"}]
    )
    text = completion.choices[0].message.content
    answer, sources = text.split("\n\nBronnen:\n")
    assert "[1]" in answer and "hydranten" in answer
    assert sources.startswith("[1] Onderhoud hydranten")
    assert completion.choices[0].finish_reason == "stop"
    extension = completion.model_extra["kennisbank"]
    assert extension["citations"][0]["source"] == "samenwerking/onderhoud-hydranten.html"
    assert extension["answer_id"] and extension["abstained"] is False
    assert extension["warnings"] == []


def test_each_reference_links_the_chat_pages_view_of_the_document(server, public_client: openai.OpenAI):
    completion = public_client.chat.completions.create(
        model="kennisbank", messages=[{"role": "user", "content": "Hoeveel dragen de lokale besturen bij?"}]
    )
    citation = completion.model_extra["kennisbank"]["citations"][0]
    url, _ = server
    link = re.search(r"\[1\] .*\((\S+)\)", completion.choices[0].message.content).group(1)
    assert link == f"{url}/?document={citation['document_id']}&page={citation['page']}"
    assert httpx.get(link).headers["content-type"].startswith("text/html"), "the link opens the chat page"


def test_warnings_travel_in_the_extension_plain_and_streamed(indexed: Kennisbank):
    app, variant = app_for(unreachable_llm(indexed))
    key = new_key(variant, "chatclient")["Authorization"].removeprefix("Bearer ")
    messages = [{"role": "user", "content": "Wie inspecteert de hydranten?"}]
    with live_server(app) as url:
        client = openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0)
        plain = client.chat.completions.create(model="kennisbank", messages=messages)
        chunks = list(client.chat.completions.create(model="kennisbank", messages=messages, stream=True))
    for extension in (plain.model_extra["kennisbank"], chunks[-1].model_extra["kennisbank"]):
        assert any(LLM_DOWN in warning for warning in extension["warnings"])


def test_streamed_completion_adds_up_to_the_plain_one(public_client: openai.OpenAI):
    messages = [{"role": "user", "content": "Wie inspecteert de hydranten?"}]
    plain = (
        public_client.chat.completions.create(model="kennisbank", messages=messages)
        .choices[0]
        .message.content
    )
    chunks = list(public_client.chat.completions.create(model="kennisbank", messages=messages, stream=True))
    assert len(chunks) > 3
    assert "".join(chunk.choices[0].delta.content or "" for chunk in chunks) == plain
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["kennisbank"]["citations"]


def test_earlier_messages_make_a_follow_up_understood(public_client: openai.OpenAI):
    first_question = "Hoe wordt de kost van gedeeld personeel verdeeld in 2021?"
    first = public_client.chat.completions.create(
        model="kennisbank", messages=[{"role": "user", "content": first_question}]
    )
    follow_up = public_client.chat.completions.create(
        model="kennisbank",
        messages=[
            {"role": "system", "content": "Je bent een behulpzame assistent."},
            {"role": "user", "content": first_question},
            {"role": "assistant", "content": first.choices[0].message.content},
            {"role": "user", "content": "En in 2019?"},
        ],
    )
    citations = follow_up.model_extra["kennisbank"]["citations"]
    assert citations[0]["source"] == "vergaderingen/2019-03-18-notulen-raad-van-bestuur.md"


def test_a_follow_up_in_a_chat_the_server_never_saw_and_its_regeneration(public_client: openai.OpenAI):
    """A chat started elsewhere (or before a restart) is rebuilt from its messages; sending
    the same chat again (regenerate) resolves the follow-up the same way."""
    messages = [
        {"role": "user", "content": "Wat was de verdeelsleutel voor gedeeld personeel in 2021?"},
        {"role": "assistant", "content": "70 % inzet en 30 % inwoners [1]."},
        {"role": "user", "content": "En in 2019?"},
    ]
    replies = [public_client.chat.completions.create(model="kennisbank", messages=messages) for _ in range(2)]
    sources = [reply.model_extra["kennisbank"]["citations"][0]["source"] for reply in replies]
    assert sources == ["vergaderingen/2019-03-18-notulen-raad-van-bestuur.md"] * 2
    assert replies[0].choices[0].message.content == replies[1].choices[0].message.content


def test_restricted_documents_stay_out_unless_the_key_has_the_group(server, public_client: openai.OpenAI):
    question = [{"role": "user", "content": "Welk vertrouwelijk tuchtdossier besprak de Raad van Bestuur?"}]
    public = public_client.chat.completions.create(model="kennisbank", messages=question)
    assert CANARY not in public.model_dump_json()
    url, variant = server
    key = new_key(variant, "openai-bestuur", "bestuur")["Authorization"].removeprefix("Bearer ")
    board = openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0)
    answer = board.chat.completions.create(model="kennisbank", messages=question)
    assert any(
        c["source"] == "bestuur/besloten-zitting-rvb.md"
        for c in answer.model_extra["kennisbank"]["citations"]
    )


def test_a_wrong_key_is_an_authentication_error(server):
    url, _ = server
    wrong = openai.OpenAI(base_url=f"{url}/v1", api_key="kb_verkeerd", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="invalid API key"):
        wrong.chat.completions.create(model="kennisbank", messages=[{"role": "user", "content": "Hallo?"}])


def test_a_chat_without_a_user_question_is_a_clear_422(public_client: openai.OpenAI):
    with pytest.raises(openai.UnprocessableEntityError, match="user message"):
        public_client.chat.completions.create(
            model="kennisbank", messages=[{"role": "system", "content": "Je bent een assistent."}]
        )


def test_filters_can_be_sent_as_an_extension(public_client: openai.OpenAI):
    completion = public_client.chat.completions.create(
        model="kennisbank",
        messages=[{"role": "user", "content": "Hoe worden de kosten van gedeeld personeel verdeeld?"}],
        extra_body={"filters": {"doc_type": "notulen", "year": 2019}},
    )
    citations = completion.model_extra["kennisbank"]["citations"]
    assert citations and all(c["date"].startswith("2019") for c in citations)


def test_a_possible_answer_is_marked_under_its_text():
    answer = Answer("Kortevoorde betaalt 8 % overhead [1].", False, confidence="possible")
    assert references(answer, "https://kb.test").startswith("\n\n(Mogelijk antwoord: controleer de bron.)")
    assert references(replace(answer, confidence="answered"), "https://kb.test") == ""
