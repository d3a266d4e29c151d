"""How the embedded store behaves as the corpus grows: synthetic corpora of N passages.

    .venv/bin/python bench/scale.py [--chunks 10000 --chunks 50000] [--queries 100]

No e5 embedding is involved (it would take hours at ~6 passages/s): dense vectors are
random unit vectors of dimension 384 (the size of multilingual-e5-small), and sparse
vectors come from random Dutch-looking passages of ~150 words (Zipf-distributed over a
30,000-word vocabulary) through the real SparseEncoder, as ingestion computes them. One
passage in ten is restricted to an access group, like board-only documents.

Each size runs in its own process (so memory figures do not mix) against a fresh
embedded store in a temp dir and measures: writing the points (sparse encoding and
Qdrant upserts, not embedding), opening the store again (embedded Qdrant reads every
point into memory), search latency p50/p95 per mode as a public caller (the access
filter applies), resident memory after opening and after the searches, and disk size.
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
from pathlib import Path

import numpy as np
from llama_index.core.schema import TextNode

from api.composition import build_kennisbank
from core.index.embedding import HashingMockEmbedding
from core.index.passage import DocumentStatus, Passage
from core.settings import Settings

DIMENSION = 384
PASSAGE_WORDS = 150
VOCABULARY = 30_000
BATCH = 1000
MODES = ("dense", "sparse", "hybrid")
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
        "--chunks", type=int, action="append", help="corpus size (repeatable; default 10k, 50k)"
    )
    parser.add_argument("--queries", type=int, default=100, help="queries per mode (default 100)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process measures one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.queries)))
        return
    rows = []
    for size in args.chunks or [10_000, 50_000]:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--queries", str(args.queries)],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(f"{size} passages: failed\n{child.stderr[-2000:]}", file=sys.stderr)
            continue
        rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print_table(rows)


def measure(size: int, queries: int) -> dict:
    generator = random.Random(size)
    words = vocabulary(generator)
    weights = [1 / rank for rank in range(1, len(words) + 1)]  # Zipf: a few words are everywhere
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(_env_file=None, data_dir=Path(data_dir), embedding="mock")
        embedder = HashingMockEmbedding(dim=DIMENSION)
        kennisbank = build_kennisbank(settings, embedder)
        kennisbank.store.ensure_collection(DIMENSION)
        vectors = np.random.default_rng(size).standard_normal((size, DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        started = time.perf_counter()
        for start in range(0, size, BATCH):
            nodes = [
                passage(index, vectors[index], generator.choices(words, weights, k=PASSAGE_WORDS), generator)
                for index in range(start, min(start + BATCH, size))
            ]
            kennisbank.store.add(nodes)
        write_seconds = time.perf_counter() - started
        kennisbank.close()

        started = time.perf_counter()
        kennisbank = build_kennisbank(settings, embedder)
        kennisbank.retriever.search("opwarmen", top_k=5)  # the first search loads what it needs
        open_seconds = time.perf_counter() - started
        rss_open = rss_mb()
        latencies = {}
        for mode in MODES:
            timings = []
            for _ in range(queries):
                query = " ".join(generator.choices(words[:5000], k=generator.randint(3, 8)))
                started = time.perf_counter()
                kennisbank.retriever.search(query, top_k=5, mode=mode)
                timings.append(1000 * (time.perf_counter() - started))
            timings.sort()
            latencies[mode] = (statistics.median(timings), timings[int(0.95 * (len(timings) - 1))])
        kennisbank.close()
        disk = sum(path.stat().st_size for path in Path(data_dir).rglob("*") if path.is_file())
    return {
        "passages": size,
        "write_s": write_seconds,
        "open_s": open_seconds,
        "latency_ms": latencies,
        "rss_open_mb": rss_open,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "disk_mb": disk / 2**20,
    }


def vocabulary(generator: random.Random) -> list[str]:
    found: set[str] = set()
    while len(found) < VOCABULARY:
        found.add("".join(generator.choices(SYLLABLES, k=generator.randint(2, 4))))
    return sorted(found, key=lambda _: generator.random())


def passage(index: int, vector: np.ndarray, words: list[str], generator: random.Random) -> TextNode:
    """A passage as ingestion writes it (the typed passage, so the payload is the real one)."""
    document = index // 20
    node = Passage(
        document_id=f"document-{document}",
        source=f"synthetisch/document-{document}.pdf",
        root="synthetisch",
        title=f"Document {document}",
        doc_type=generator.choice(["notulen", "afsprakennota", "besluitenlijst", "regelgeving"]),
        date=None,
        year=generator.randint(2015, 2025),
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
        f"{'passages':>9} {'write s':>8} {'open s':>7} "
        + " ".join(f"{mode + ' p50/p95 ms':>20}" for mode in MODES)
        + f" {'RSS MB':>7} {'peak MB':>8} {'disk MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        latencies = " ".join(f"{f'{p50:.1f} / {p95:.1f}':>20}" for p50, p95 in row["latency_ms"].values())
        print(
            f"{row['passages']:>9} {row['write_s']:>8.1f} {row['open_s']:>7.1f} {latencies} "
            f"{row['rss_open_mb']:>7.0f} {row['rss_peak_mb']:>8.0f} {row['disk_mb']:>8.0f}"
        )
    print()


if __name__ == "__main__":
    main()
