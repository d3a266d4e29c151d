"""POST /api/ask and /api/ask/stream: a cited answer, whole or as Server-Sent Events."""

import json
import logging
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.auth import Caller
from api.context import ApiContext, ClientChannel, Context, CurrentCaller
from api.schemas import EXAMPLE_ANSWER, EXAMPLE_CITATION, AskRequest, documented
from assistant.answers import Answer
from assistant.filters import NO_FILTERS
from assistant.state import Channel

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
    context.check_question_length(request.question)
    answer = context.answer(request.question, **_ask_arguments(request, caller))
    answer_id = context.kennisbank.state.record_answer(answer, channel=channel, groups=caller.groups)
    return {**answer.to_dict(), "answer_id": answer_id}


@router.post(
    "/api/ask/stream",
    summary="Answer a question, streamed as Server-Sent Events",
    description="Events: `delta` {text} repeated as the answer grows; then `citations` {answer (the "
    "final text, authoritative), abstained, citations, conversation_id, answer_id, warnings (Dutch "
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
    context.check_question_length(request.question)
    return StreamingResponse(
        _events(context, caller, channel, request.question, _ask_arguments(request, caller)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _events(
    context: ApiContext, caller: Caller, channel: Channel, question: str, arguments: dict
) -> Iterator[str]:
    kennisbank = context.kennisbank
    try:
        answer: Answer | None = None
        pieces = kennisbank.ask_stream(question, **arguments)
        for piece in context.guard.each_reading(pieces):
            if isinstance(piece, Answer):
                answer = piece
            else:
                yield server_sent_event("delta", {"text": piece})
        if answer is None:
            raise RuntimeError("the answer stream ended without a final answer")
        answer_id = kennisbank.state.record_answer(answer, channel=channel, groups=caller.groups)
        yield server_sent_event(
            "citations",
            {
                "answer": answer.answer,
                "abstained": answer.abstained,
                "citations": answer.to_dict()["citations"],
                "conversation_id": answer.conversation_id,
                "answer_id": answer_id,
                "warnings": answer.warnings,
            },
        )
        yield server_sent_event("done", {})
    except Exception:  # headers are sent: the error can only travel as an event
        log.exception("answer stream failed")
        yield server_sent_event("error", {"detail": "the answer failed; see the server log"})


def _ask_arguments(request: AskRequest, caller: Caller) -> dict:
    return {
        "conversation_id": request.conversation_id,
        "filters": request.filters.to_search_filters() if request.filters else NO_FILTERS,
        "groups": caller.groups,
    }


def server_sent_event(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
