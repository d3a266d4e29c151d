"""A real HTTP server on a loopback port for end-to-end tests: uvicorn in a thread,
serving any ASGI app, stopped when the `with` block ends."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(app, *, port: int | None = None, timeout: float = 20) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (on `port`, else a free one) and yield its base URL
    ("http://127.0.0.1:PORT"). A port chosen beforehand lets another server (an OpenID
    provider) know the app's address before it starts."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"test server on port {port} did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
