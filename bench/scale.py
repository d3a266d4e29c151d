"""How the embedded store (Qdrant Edge) behaves as the corpus grows: synthetic corpora
of N passages.

    .venv/bin/python bench/scale.py [--chunks 10000 --chunks 50000 --chunks 200000] [--queries 100]

No e5 embedding is involved (it would take hours at ~6 passages/s): dense vectors are
random unit vectors of dimension 384 (the size of multilingual-e5-small), and sparse
vectors come from random Dutch-looking passages of ~150 words (Zipf-distributed over a
30,000-word vocabulary) through the real SparseEncoder, as ingestion computes them. One
document in ten is restricted to an access group, like board-only documents; every
document has a type and a date between 2015 and 2025.

Each size gets a fresh store in a temp dir and two processes, so memory figures do not
mix: one writes the points (sparse encoding and upserts, not embedding) and runs the
optimizer, as the end of an ingest run does; a new one opens the store and searches as a
public caller with a document type and a date range of three years (the access filter
always applies), per mode. Printed: write and optimize time, time to open the store
(including the first search), p50/p95 per mode, resident memory after opening and peak,
and disk size.
"""

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from llama_index.core.schema import TextNode

from api.composition import build_kennisbank
from core.index.embedding import HashingMockEmbedding
from core.index.filters import SearchFilters
from core.index.passage import DocumentStatus, Passage
from core.settings import Settings

DIMENSION = 384
PASSAGE_WORDS = 150
VOCABULARY = 30_000
BATCH = 1000
MODES = ("dense", "sparse", "hybrid")
DOC_TYPES = ("notulen", "afsprakennota", "besluitenlijst", "regelgeving")
SYLLABLES = (  # noqa: SIM905 (a list literal of 67 strings would fill a page)
    "ge be ver ont raad plan werk stuur meen te de ring heid lijk baar sa "
    "men wer king bouw dos sier ar chief leid nota af spraak knel punt grot ing "
    "per so neel over een komst ga sluit vlaan ren mid west brand weer zorg on "
    "der wijs mo bi li teit hy drant kerk hof wa ter lo ket dienst le "
    "ning re gio "
).split()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--chunks", type=int, action="append", help="corpus size (repeatable; default 10k, 50k, 200k)"
    )
    parser.add_argument("--queries", type=int, default=100, help="queries per mode (default 100)")
    parser.add_argument("--write", type=int, help=argparse.SUPPRESS)  # a child process writes one size
    parser.add_argument("--read", type=int, help=argparse.SUPPRESS)  # a child process searches it
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        print(json.dumps(write(args.write, args.data)))
        return
    if args.read:
        print(json.dumps(read(args.read, args.data, args.queries)))
        return
    rows = []
    for size in args.chunks or [10_000, 50_000, 200_000]:
        with tempfile.TemporaryDirectory() as data_dir:
            row = {"passages": size}
            for phase in ("--write", "--read"):
                arguments = [phase, str(size), "--data", data_dir, "--queries", str(args.queries)]
                child = subprocess.run(
                    [sys.executable, __file__, *arguments],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if child.returncode != 0:
                    print(f"{size} passages: {phase[2:]} failed\n{child.stderr[-2000:]}", file=sys.stderr)
                    break
                row |= json.loads(child.stdout.strip().splitlines()[-1])
            else:
                # Blocks in use, not file sizes: the WAL and mmapped files are sparse.
                files = [path for path in Path(data_dir).rglob("*") if path.is_file()]
                row["disk_mb"] = sum(path.stat().st_blocks * 512 for path in files) / 2**20
                rows.append(row)
                print_table(rows)


def settings_for(data_dir: Path) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, embedding="mock")


def write(size: int, data_dir: Path) -> dict:
    generator = random.Random(size)
    words = vocabulary(generator)
    weights = [1 / rank for rank in range(1, len(words) + 1)]  # Zipf: a few words are everywhere
    kennisbank = build_kennisbank(settings_for(data_dir), HashingMockEmbedding(dim=DIMENSION))
    kennisbank.store.ensure_collection(DIMENSION)
    vectors = np.random.default_rng(size).standard_normal((size, DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    started = time.perf_counter()
    for start in range(0, size, BATCH):
        nodes = [
            passage(index, vectors[index], generator.choices(words, weights, k=PASSAGE_WORDS))
            for index in range(start, min(start + BATCH, size))
        ]
        kennisbank.store.add(nodes)
    write_seconds = time.perf_counter() - started
    started = time.perf_counter()
    kennisbank.store.optimize()
    optimize_seconds = time.perf_counter() - started
    kennisbank.close()
    return {"write_s": write_seconds, "optimize_s": optimize_seconds}


def read(size: int, data_dir: Path, queries: int) -> dict:
    generator = random.Random(size + 1)
    words = vocabulary(random.Random(size))
    started = time.perf_counter()
    kennisbank = build_kennisbank(settings_for(data_dir), HashingMockEmbedding(dim=DIMENSION))
    kennisbank.retriever.search("opwarmen", top_k=5)
    open_seconds = time.perf_counter() - started
    rss_open = rss_mb()
    latencies = {}
    for mode in MODES:
        timings = []
        for _ in range(queries):
            query = " ".join(generator.choices(words[:5000], k=generator.randint(3, 8)))
            first_year = generator.randint(2015, 2023)
            filters = SearchFilters(
                doc_type=generator.choice(DOC_TYPES),
                date_from=date(first_year, 1, 1),
                date_to=date(first_year + 2, 12, 31),
            )
            started = time.perf_counter()
            kennisbank.retriever.search(query, top_k=5, mode=mode, filters=filters)
            timings.append(1000 * (time.perf_counter() - started))
        timings.sort()
        latencies[mode] = (statistics.median(timings), timings[int(0.95 * (len(timings) - 1))])
    kennisbank.close()
    return {
        "open_s": open_seconds,
        "latency_ms": latencies,
        "rss_open_mb": rss_open,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def vocabulary(generator: random.Random) -> list[str]:
    found: set[str] = set()
    while len(found) < VOCABULARY:
        found.add("".join(generator.choices(SYLLABLES, k=generator.randint(2, 4))))
    return sorted(found, key=lambda _: generator.random())


def passage(index: int, vector: np.ndarray, words: list[str]) -> TextNode:
    """A passage as ingestion writes it (the typed passage, so the payload is the real one);
    what a document's passages share is drawn from the document's number."""
    document = index // 20
    traits = random.Random(document)
    day = date(2015, 1, 1).toordinal() + traits.randrange(11 * 365)
    node = Passage(
        document_id=f"document-{document}",
        source=f"synthetisch/document-{document}.pdf",
        root="synthetisch",
        title=f"Document {document}",
        doc_type=traits.choice(DOC_TYPES),
        date=date.fromordinal(day).isoformat(),
        year=date.fromordinal(day).year,
        status=DocumentStatus.CURRENT,
        replaces=None,
        groups=("bestuur",) if document % 10 == 0 else (),
        beleidsdomein=(),
        tags=(),
        page=1 + index % 20,
        heading="",
        article=None,
        chunk_index=index % 20,
        chunk_count=20,
        fingerprint="synthetisch",
        text=" ".join(words),
    ).to_node()
    node.embedding = vector.tolist()
    return node


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'passages':>9} {'write s':>8} {'optim s':>8} {'open s':>7} "
        + " ".join(f"{mode + ' p50/p95 ms':>20}" for mode in MODES)
        + f" {'RSS MB':>7} {'peak MB':>8} {'disk MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        latencies = " ".join(f"{f'{p50:.1f} / {p95:.1f}':>20}" for p50, p95 in row["latency_ms"].values())
        print(
            f"{row['passages']:>9} {row['write_s']:>8.1f} {row['optimize_s']:>8.1f} "
            f"{row['open_s']:>7.2f} {latencies} "
            f"{row['rss_open_mb']:>7.0f} {row['rss_peak_mb']:>8.0f} {row['disk_mb']:>8.0f}"
        )
    print()


if __name__ == "__main__":
    main()
