"""An OpenAI-compatible chat endpoint, so existing chat clients (the `openai` package,
Open WebUI, editors) can use the knowledge base: GET /v1/models and POST
/v1/chat/completions, plain and streamed.

The last user message is the question; the earlier user messages are the conversation
it follows. The reply is the answer followed by its numbered sources (each linking to the
chat page's document view), and the citations and warnings also travel as data in the
extra field `kennisbank`.
"""

import json
import logging
import time
from collections.abc import Iterator

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from api.http.context import Context, CurrentCaller
from api.http.schemas import EXAMPLE_CITATION, Filters
from api.links import document_view_url
from assistant.answers.model import Answer, Citation
from assistant.caller import Channel
from core.index.filters import NO_FILTERS

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

MODEL = "kennisbank"
CHANNEL: Channel = "openai"
MODEL_CREATED = 1_767_225_600  # 2026-01-01: a fixed date; the "model" is the whole knowledge base


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict] | None = None

    @property
    def text(self) -> str:
        """The message's text; content parts other than text (images) are ignored."""
        if isinstance(self.content, list):
            return " ".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """Fields of the OpenAI request this endpoint does not use (temperature, ...) are
    accepted and ignored, so clients need no special configuration."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": MODEL,
                    "messages": [
                        {"role": "user", "content": "Hoe wordt de kost van gedeeld personeel verdeeld?"},
                        {"role": "assistant", "content": "Vanaf 1 januari 2022 ... [1]"},
                        {"role": "user", "content": "En in 2019?"},
                    ],
                }
            ]
        },
    )

    model: str = MODEL
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    filters: Filters | None = Field(None, description="Kennisbank extension: narrow the search.")


@router.get("/models", summary="The one model: the knowledge base")
def models(caller: CurrentCaller) -> dict:
    return {
        "object": "list",
        "data": [{"id": MODEL, "object": "model", "created": MODEL_CREATED, "owned_by": "dvv-midwest"}],
    }


@router.post(
    "/chat/completions",
    summary="Answer the last user message, OpenAI style (plain or stream: true)",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "id": "chatcmpl-0b8e2f4c1d3a4e5f9a7b6c5d4e3f2a10",
                        "object": "chat.completion",
                        "created": 1767225600,
                        "model": MODEL,
                        "choices": [
                            {
                                "index": 0,
                                "message": {
                                    "role": "assistant",
                                    "content": "Vanaf 1 januari 2022 betalen de gemeenten 70 % ... [1].\n\n"
                                    "Bronnen:\n[1] Notulen Raad van Bestuur 21 juni 2021, p. 2, 2021-06-21",
                                },
                                "finish_reason": "stop",
                            }
                        ],
                        "kennisbank": {
                            "answer_id": "0b8e2f4c1d3a4e5f9a7b6c5d4e3f2a10",
                            "conversation_id": "5f1c0e0a9d6b4c8e8a3b2f7d6c5e4a31",
                            "abstained": False,
                            "citations": [EXAMPLE_CITATION],
                            "warnings": [],
                        },
                    }
                },
                "text/event-stream": {},
            }
        }
    },
)
def chat_completions(request: ChatCompletionRequest, http: Request, context: Context, caller: CurrentCaller):
    questions = [message.text for message in request.messages if message.role == "user"]
    if not questions:
        raise HTTPException(422, "the messages need a user message with text (the question)")
    question = questions[-1]
    arguments = {
        "caller": caller,
        "channel": CHANNEL,
        "conversation_id": context.kennisbank.conversation_for_transcript(caller, questions),
        "filters": request.filters.to_search_filters() if request.filters else NO_FILTERS,
    }
    base_url = context.kennisbank.settings.public_url or str(http.base_url)
    if request.stream:
        chunks = _chunks(context.answer_stream(question, **arguments), base_url)
        return StreamingResponse(
            chunks, media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
    answer = context.answer(question, **arguments)
    return {
        "id": f"chatcmpl-{answer.answer_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.answer + references(answer, base_url)},
                "finish_reason": "stop",
            }
        ],
        "kennisbank": _extension(answer),
    }


def _chunks(pieces: Iterator[str | Answer], base_url: str) -> Iterator[str]:
    """`chat.completion.chunk` events as the answer grows; the references and the
    `kennisbank` field come with the last chunk, when the final answer is known."""
    completion_id, created = f"chatcmpl-{time.time_ns():x}", int(time.time())

    def chunk(delta: dict, finish_reason: str | None = None, **extra) -> str:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
            **extra,
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    try:
        yield chunk({"role": "assistant", "content": ""})
        answer: Answer | None = None
        streamed = ""
        for piece in pieces:
            if isinstance(piece, Answer):
                answer = piece
            else:
                streamed += piece
                yield chunk({"content": piece})
        if answer is None:
            raise RuntimeError("the answer stream ended without a final answer")
        # The final answer is authoritative; if a post-check changed the text, say so
        # rather than leave the client with a different text than the one recorded.
        correction = "" if answer.answer == streamed else f"\n\n(Verbeterd antwoord:)\n{answer.answer}"
        yield chunk({"content": correction + references(answer, base_url)})
        yield chunk({}, "stop", kennisbank=_extension(answer))
        yield "data: [DONE]\n\n"
    except Exception:  # headers are sent: the error can only travel in the stream
        log.exception("OpenAI-compatible stream failed")
        error = {"error": {"message": "the answer failed; see the server log", "type": "server_error"}}
        yield f"data: {json.dumps(error)}\n\n"


def references(answer: Answer, base_url: str) -> str:
    """What follows the answer text: for a possible answer the words that say so (after
    the text, since a stream only knows it at the end), then the numbered sources, each
    with a link to the chat page's view of the document at the cited page or article."""
    note = f"\n\n({answer.confidence_label}.)" if answer.confidence == "possible" else ""
    if not answer.citations:
        return note
    heading = "Dichtstbijzijnde documenten:" if answer.abstained else "Bronnen:"
    sources = "\n".join(_reference(citation, base_url) for citation in answer.citations)
    return f"{note}\n\n{heading}\n{sources}"


def _reference(citation: Citation, base_url: str) -> str:
    where = [
        citation.title,
        f"p. {citation.page}" if citation.page else "",
        f"art. {citation.article}" if citation.article else "",
        citation.date or "",
    ]
    link = document_view_url(base_url, citation.document_id, page=citation.page, article=citation.article)
    return f"[{citation.n}] {', '.join(part for part in where if part)} ({link})"


def _extension(answer: Answer) -> dict:
    return {
        "answer_id": answer.answer_id,
        "conversation_id": answer.conversation_id,
        "abstained": answer.abstained,
        "confidence": answer.confidence,
        "citations": answer.to_dict()["citations"],
        "warnings": answer.warnings,
    }
