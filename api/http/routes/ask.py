"""POST /api/ask and /api/ask/stream: a cited answer, whole or as Server-Sent Events."""

import json
import logging
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.http.context import ClientChannel, Context, CurrentCaller
from api.http.schemas import EXAMPLE_ANSWER, EXAMPLE_CITATION, AskRequest, documented
from assistant.answers.model import Answer
from assistant.caller import Caller, Channel
from core.index.filters import NO_FILTERS

log = logging.getLogger(__name__)
router = APIRouter(tags=["answers"])

STREAM_EXAMPLE = (
    'event: delta\ndata: {"text": "Vanaf "}\n\n'
    'event: delta\ndata: {"text": "1 januari 2022 "}\n\n'
    "event: citations\ndata: "
    + json.dumps(
        {
            "answer": EXAMPLE_ANSWER["answer"],
            "abstained": False,
            "citations": [EXAMPLE_CITATION],
            "conversation_id": EXAMPLE_ANSWER["conversation_id"],
            "answer_id": EXAMPLE_ANSWER["answer_id"],
            "warnings": [],
        },
        ensure_ascii=False,
    )
    + "\n\nevent: done\ndata: {}\n\n"
)


@router.post(
    "/api/ask",
    summary="Answer a question with cited sources",
    responses=documented(
        "The answer with [n] markers, its numbered citations, the conversation to continue and "
        "the answer_id to rate it with.",
        EXAMPLE_ANSWER,
    ),
)
def ask(request: AskRequest, context: Context, caller: CurrentCaller, channel: ClientChannel) -> dict:
    return context.answer(request.question, **_ask_arguments(request, caller, channel)).to_dict()


@router.post(
    "/api/ask/stream",
    summary="Answer a question, streamed as Server-Sent Events",
    description="Events: `delta` {text} repeated as the answer grows; then `citations` {answer (the "
    "final text, authoritative), abstained, confidence (answered, possible or not_found) and its "
    "Dutch confidence_label, citations, conversation_id, answer_id, warnings (Dutch "
    "lines on how the answer was made: a sentence dropped for lack of a source, the language model "
    "unreachable; usually empty)}; then `done` {}. "
    "A failure after the stream started is sent as `error` {detail}.",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "An event stream.",
            "content": {"text/event-stream": {"example": STREAM_EXAMPLE}},
        }
    },
)
def ask_stream(
    request: AskRequest, context: Context, caller: CurrentCaller, channel: ClientChannel
) -> StreamingResponse:
    pieces = context.answer_stream(request.question, **_ask_arguments(request, caller, channel))
    return StreamingResponse(
        _events(pieces),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _events(pieces: Iterator[str | Answer]) -> Iterator[str]:
    try:
        answer: Answer | None = None
        for piece in pieces:
            if isinstance(piece, Answer):
                answer = piece
            else:
                yield server_sent_event("delta", {"text": piece})
        if answer is None:
            raise RuntimeError("the answer stream ended without a final answer")
        shown = answer.to_dict()
        yield server_sent_event(
            "citations",
            {
                key: shown[key]
                for key in (
                    "answer",
                    "abstained",
                    "confidence",
                    "confidence_label",
                    "citations",
                    "conversation_id",
                    "answer_id",
                    "warnings",
                )
            },
        )
        yield server_sent_event("done", {})
    except Exception:  # headers are sent: the error can only travel as an event
        log.exception("answer stream failed")
        yield server_sent_event("error", {"detail": "the answer failed; see the server log"})


def _ask_arguments(request: AskRequest, caller: Caller, channel: Channel) -> dict:
    return {
        "caller": caller,
        "channel": channel,
        "conversation_id": request.conversation_id,
        "filters": request.filters.to_search_filters() if request.filters else NO_FILTERS,
    }


def server_sent_event(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
