"""A fake OpenAI-compatible chat endpoint for tests: a small FastAPI app served over real
HTTP on loopback (`loopback.server.live_server`). It records every request it gets and
answers with canned completions, plain or streamed as server-sent events like OpenAI,
Ollama and vLLM do."""

import json
import re
import time
from collections import deque

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


class FakeOpenAI:
    """`replies` are used in order (the last one repeats); `fail_next` makes the next
    request get a 500 error instead. `authorizations` holds the Authorization header of
    every request."""

    def __init__(self, *replies: str) -> None:
        self.requests: list[dict] = []
        self.authorizations: list[str | None] = []
        self._replies = deque(replies or ["De documenten geven geen antwoord op deze vraag."])
        self.fail_next = False
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._completions)

    def reply(self, *replies: str) -> None:
        """Queue the next completions."""
        self._replies = deque(replies)

    def prompts(self) -> list[str]:
        """The user messages of every request, in order."""
        return [m["content"] for r in self.requests for m in r["messages"] if m["role"] == "user"]

    def _next_reply(self) -> str:
        return self._replies.popleft() if len(self._replies) > 1 else self._replies[0]

    async def _completions(self, request: Request):
        body = await request.json()
        self.requests.append(body)
        self.authorizations.append(request.headers.get("authorization"))
        if self.fail_next:
            self.fail_next = False
            return JSONResponse(
                {"error": {"message": "model crashed", "type": "server_error"}}, status_code=500
            )
        text = self._next_reply()
        if body.get("stream"):
            return StreamingResponse(_events(body["model"], text), media_type="text/event-stream")
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }


def _events(model: str, text: str):
    """The completion as SSE chunks, a word (with its trailing space) per chunk."""

    def chunk(delta: dict, finish: str | None = None) -> str:
        payload = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(payload)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in re.findall(r"\S+\s*", text):
        yield chunk({"content": piece})
    yield chunk({}, "stop")
    yield "data: [DONE]\n\n"
