"""What reading every file in an isolated worker process costs over reading in-process.

    .venv/bin/python bench/parse_overhead.py [CORPUS] [--repeat N]

Reads every supported file of CORPUS (default corpus/) with `read_document`, first in
this process, then through `IsolatedWorker` (the way ingestion runs it, with the default
time and memory limits), and prints both totals, the worker's start-up time and the cost
per file. Embedding is not involved: this is the parse stage alone.
"""

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from core.settings import Settings
from ingest.isolation import IsolatedWorker, Limits
from ingest.readers import SUPPORTED_SUFFIXES, read_document


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("corpus"))
    parser.add_argument("--repeat", type=int, default=3, help="best of N rounds (default 3)")
    args = parser.parse_args()
    files = sorted(path for path in args.corpus.rglob("*") if path.suffix.lower() in SUPPORTED_SUFFIXES)
    settings = Settings(_env_file=None)
    limits = Limits(settings.parse_timeout_s, settings.parse_memory_mb)

    in_process = min(_timed(_read_in_process, files) for _ in range(args.repeat))
    startups, isolated = [], []
    for _ in range(args.repeat):
        with IsolatedWorker(limits) as worker:
            startups.append(_timed(worker.call, len, ""))
            isolated.append(_timed(_read_isolated, worker, files))
    startup, isolated_best = min(startups), min(isolated)

    per_file_ms = 1000 * (isolated_best - in_process) / len(files)
    print(f"corpus: {args.corpus}  files: {len(files)}  best of {args.repeat}")
    print(f"in-process parse:  {in_process:7.2f} s")
    print(f"isolated parse:    {isolated_best:7.2f} s  (+ {startup:.2f} s worker start, once per run)")
    print(
        f"overhead per run:  {isolated_best + startup - in_process:7.2f} s  ({per_file_ms:.1f} ms per file)"
    )


def _read_in_process(files: list[Path]) -> None:
    for path in files:
        read_document(path)


def _read_isolated(worker: IsolatedWorker, files: list[Path]) -> None:
    for path in files:
        worker.call(read_document, path)


def _timed(function: Callable, *args: object) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
