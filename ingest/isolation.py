"""Run a parser in a worker process with a wall-clock and a memory limit.

A hostile or broken file (a decompression bomb, an endless xref chain, a giant scan)
must cost that one file, never the ingestion job. So readers run in a child process:
its address space is capped with `RLIMIT_AS` (an allocation over the cap raises
MemoryError in the child, not in the job), and a call that runs past its time is
stopped by killing the child's whole process group (Tesseract included). The job
reports the file and carries on with a fresh worker.

The worker is a fresh interpreter (`python -m ingest.isolation`), not a fork of the
job: the job's address space holds the embedding model and threads, so a cap on a fork
would leave no room, and forking a threaded process is unsafe. Starting one costs about
half a second, once per run (and again after a stopped file); after that the per-file
cost is one round trip of pickled arguments and results over a socket.
"""

import contextlib
import ctypes
import os
import resource
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


class LimitExceeded(Exception):
    """The call ran out of time or memory, or its process died; the message says which."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float
    memory_mb: int


class IsolatedWorker:
    """Calls functions one at a time in a child process under `limits`.

    Use as a context manager; the child is started on the first call and replaced after
    any call that it did not survive in a usable state.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._process: subprocess.Popen | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> "IsolatedWorker":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`function(*args, **kwargs)` in the worker: its result, or the exception it raised
        (re-raised here). LimitExceeded when it runs out of time or memory or its
        process dies; `function` must be importable by name (pickled by reference)."""
        connection = self._ensure_started()
        try:
            connection.send((function, args, kwargs))
        except ConnectionError:
            raise LimitExceeded(self._death_reason()) from None
        if not connection.poll(self.limits.timeout_s):
            self._stop()
            raise LimitExceeded(
                f"reading took longer than {self.limits.timeout_s:g} s and was stopped "
                "(KENNISBANK_PARSE_TIMEOUT_S)"
            )
        try:
            outcome, value = connection.recv()
        except (EOFError, ConnectionError):
            raise LimitExceeded(self._death_reason()) from None
        if outcome == "memory":
            self._stop()  # a process that hit its memory cap may be left in a bad state
            raise LimitExceeded(
                f"reading needed more than {self.limits.memory_mb} MB of memory and was stopped "
                "(KENNISBANK_PARSE_MEMORY_MB)"
            )
        if outcome == "raised":
            raise value
        return value

    def close(self) -> None:
        """Hang up; the worker exits when it sees the end of the connection."""
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._stop()
        self._process = self._connection = None

    def _ensure_started(self) -> Connection:
        if self._process is None or self._connection is None or self._process.poll() is not None:
            self.close()
            ours, theirs = socket.socketpair()
            with theirs:
                self._process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "ingest.isolation",
                        str(theirs.fileno()),
                        str(self.limits.memory_mb),
                    ],
                    pass_fds=[theirs.fileno()],
                    start_new_session=True,  # its own process group, so a timeout can kill its children
                )
            self._connection = Connection(ours.detach())
        return self._connection

    def _death_reason(self) -> str:
        """Why the worker died mid-call, then forget it (the next call starts another)."""
        assert self._process is not None
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=5)
        code = self._process.returncode
        self._stop()
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            return f"the reader process was killed by {name} while reading this file"
        return f"the reader process ended unexpectedly (exit code {code}) while reading this file"

    def _stop(self) -> None:
        """Kill the worker and anything it started (it leads its own process group)."""
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None


def _serve(connection: Connection, memory_mb: int) -> None:
    """The worker's loop: apply the limits once, then answer calls until the job hangs up."""
    # Die with the job, even when it is killed with SIGKILL. (Linux sends this when the
    # thread that started the worker ends; callers close the worker before that.)
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            function, args, kwargs = connection.recv()
        except EOFError:
            return
        try:
            reply: tuple[str, Any] = ("ok", function(*args, **kwargs))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # handed to the caller, which decides what it means
            reply = ("raised", exc)
        try:
            connection.send(reply)
        except MemoryError:
            connection.send(("memory", None))
        except Exception:  # the result or exception cannot be pickled: pass on what it was
            value = reply[1]
            connection.send(("raised", RuntimeError(f"{type(value).__name__}: {value}")))


if __name__ == "__main__":
    import ingest.readers  # noqa: F401  (loaded before the memory cap applies)

    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
