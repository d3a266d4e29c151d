"""POST /api/feedback: thumbs up or down on an answer, kept with the answer it rates."""

from fastapi import APIRouter, HTTPException

from api.http.context import ClientChannel, Context, CurrentCaller
from api.http.schemas import FeedbackRequest

router = APIRouter(tags=["answers"])


@router.post(
    "/api/feedback",
    summary="Rate an answer",
    responses={
        200: {"content": {"application/json": {"example": {"status": "ok"}}}},
        404: {"description": "No answer has this answer_id."},
    },
)
def feedback(
    request: FeedbackRequest, context: Context, caller: CurrentCaller, channel: ClientChannel
) -> dict:
    stored = context.kennisbank.state.record_feedback(
        request.answer_id, request.rating, request.comment, channel=channel
    )
    if not stored:
        raise HTTPException(404, "no answer with this answer_id")
    return {"status": "ok"}
