"""Load on the HTTP API: N concurrent clients for S seconds on /api/search and /api/ask.

    PYTHONPATH=. .venv/bin/python bench/load.py [--url URL] [--key KEY] [--clients 1 8] [--seconds 15]

Without --url it starts `kennisbank serve` on a free loopback port with the settings of
the environment (KENNISBANK_DATA_DIR: a copy of an indexed data dir, never one another
process holds) and the rate limit lifted, and stops it afterwards. Each client sends the
gold questions of eval/questions/ in turn, waiting for each answer (closed loop); a
request counter is appended to each question so that every request is a new query (the
server caches the embeddings of 512 recent questions; --repeat measures with that cache
warm instead). Prints
per endpoint and concurrency: requests, requests/s, p50/p95 latency, errors (any
non-200) and 5xx, and the server's peak memory when it started the server itself, checked
against --memory-bound-mb (the bound docs/benchmarks.md states; exit status 1 when exceeded or on
any 5xx).
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.evaluation import load_questions
from assistant.evaluation.metrics import percentile
from loopback.server import free_port

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Phase:
    endpoint: str
    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    server_errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def request(client: httpx.Client, endpoint: str, question: str) -> httpx.Response:
    if endpoint == "search":
        return client.get("/api/search", params={"q": question, "top_k": 5})
    return client.post("/api/ask", json={"question": question})


def run_phase(
    url: str,
    headers: dict[str, str],
    endpoint: str,
    clients: int,
    seconds: float,
    questions: list[str],
    repeat: bool,
) -> Phase:
    phase = Phase(endpoint, clients)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client_loop(offset: int) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            number = offset
            while time.monotonic() < deadline:
                question = questions[number % len(questions)]
                if not repeat:
                    question = f"{question} ({endpoint} {clients} {number})"
                number += clients
                started = time.perf_counter()
                try:
                    status = request(client, endpoint, question).status_code
                except httpx.HTTPError:
                    status = 0  # no answer at all: counted as an error
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    phase.latencies_ms.append(elapsed)
                    phase.statuses[status] = phase.statuses.get(status, 0) + 1
                    phase.errors += status != 200
                    phase.server_errors += status >= 500 or status == 0

    started = time.monotonic()
    threads = [threading.Thread(target=client_loop, args=(offset,)) for offset in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    return phase


@contextmanager
def own_server() -> Iterator[tuple[str, subprocess.Popen]]:
    """`kennisbank serve` on a free loopback port, stopped afterwards."""
    port = free_port()
    env = {**os.environ, "KENNISBANK_RATE_LIMIT_PER_MINUTE": "1000000"}
    command = [
        str(Path(sys.executable).parent / "kennisbank"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not become ready in 120 s (is the data dir indexed?)")
            time.sleep(0.2)
        yield url, server
    finally:
        server.terminate()
        server.wait(30)


def peak_memory_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start one on loopback)")
    parser.add_argument("--key", help="API key to send (default: none, anonymous)")
    parser.add_argument(
        "--clients", type=int, nargs="+", default=[1, 8], help="concurrency levels (default 1 8)"
    )
    parser.add_argument(
        "--seconds", type=float, default=15, help="seconds per endpoint and level (default 15)"
    )
    parser.add_argument("--endpoints", nargs="+", choices=["search", "ask"], default=["search", "ask"])
    parser.add_argument("--questions", type=Path, default=REPO / "eval" / "questions")
    parser.add_argument("--repeat", action="store_true", help="send the questions as they are (cache warm)")
    parser.add_argument(
        "--memory-bound-mb",
        type=float,
        default=512,
        help="the server's peak resident memory must stay below this (default 512)",
    )
    args = parser.parse_args()
    questions = [question.question for question in load_questions(args.questions)]
    headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}

    with own_server() if not args.url else _existing(args.url) as (url, server):
        httpx.get(f"{url}/api/search", params={"q": "opwarmen"}, headers=headers, timeout=60)  # warm caches
        print(f"{len(questions)} questions against {url}, {args.seconds:g} s per row\n")
        columns = ("requests", "req/s", "p50 ms", "p95 ms", "errors", "5xx")
        print(f"{'endpoint':8} {'clients':>7} " + " ".join(f"{name:>8}" for name in columns))
        server_errors = 0
        for endpoint in args.endpoints:
            for clients in args.clients:
                phase = run_phase(url, headers, endpoint, clients, args.seconds, questions, args.repeat)
                server_errors += phase.server_errors
                count = len(phase.latencies_ms)
                print(
                    f"{endpoint:8} {clients:>7} {count:>8} {count / phase.seconds:>8.1f} "
                    f"{percentile(phase.latencies_ms, 50):>8.1f} {percentile(phase.latencies_ms, 95):>8.1f} "
                    f"{phase.errors:>8} {phase.server_errors:>8}"
                    + (f"   statuses {phase.statuses}" if phase.errors else "")
                )
        if server is not None:
            memory = peak_memory_mb(server.pid)
            if memory is not None:
                bound = args.memory_bound_mb
                verdict = "within" if memory < bound else "OVER"
                print(f"\nserver peak memory (VmHWM): {memory:.0f} MB, {verdict} the bound of {bound:g} MB")
                if memory >= args.memory_bound_mb:
                    raise SystemExit(1)
        if server_errors:
            raise SystemExit(1)


@contextmanager
def _existing(url: str) -> Iterator[tuple[str, None]]:
    yield url.rstrip("/"), None


if __name__ == "__main__":
    main()
