"""Incremental, crash-safe ingestion: files -> passages -> points.

Each point carries its document's fingerprint (a hash of the file, its sidecar and the
pipeline settings), the number of passages that fingerprint has, and the SHA-256 of the
file alone (so the file endpoint serves a file only while it is the one indexed). Point ids are
derived from (document, fingerprint, passage number), so:
- an unchanged document is recognised from the store alone and costs no parsing or
  embedding;
- a changed document's new points are written before the old ones are deleted, so a
  search never finds the document missing;
- a run killed at any moment leaves either an incomplete new version (rewritten on the
  next run, same ids) or a complete one plus stale points (deleted on the next run);
- a passage whose embedded text the store already holds a vector for (by this model) is
  not embedded again: a pipeline-version bump costs reading and chunking, not embedding.

At the end of a run that changed anything the store builds its search indexes
(`optimize`), with progress on the terminal.
"""

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import MetadataMode, TextNode
from tqdm import tqdm

from core.index.passage import Passage
from core.index.store import KnowledgeStore
from core.settings import Settings
from ingest.chunking import Chunk, chunk_blocks
from ingest.isolation import IsolatedWorker, LimitExceeded, Limits
from ingest.metadata import DocumentMetadata, build_metadata, read_sidecar
from ingest.model import ParsedDocument, UnreadableDocument
from ingest.readers import read_document
from ingest.readers.cleanup import error_reason
from ingest.report import Failure, IngestReport
from ingest.sources import SourceFile, collect

# Bump when reading or chunking changes in a way that should re-index every document.
PIPELINE_VERSION = "6"  # 2: compound parts in sparse vectors, payload "day"; 3: hidden text dropped;
# 4: text hidden by the page's own style sheets dropped; 5: payload "file_sha256";
# 6: -ing nouns that the stemmer would make another word keep their own term


@dataclass(frozen=True)
class DocumentVersion:
    """What identifies the version of a file being indexed: `fingerprint` changes with
    the file, its sidecar and the pipeline settings (it decides whether to re-index);
    `file_sha256` is the SHA-256 of the file's bytes alone, the one thing the document
    catalog can check without the pipeline's settings before it serves the file."""

    fingerprint: str
    file_sha256: str


class Indexer:
    """Brings the store in line with the files under the given paths."""

    def __init__(self, store: KnowledgeStore, embed_model: BaseEmbedding, settings: Settings) -> None:
        self.store = store
        self.embed_model = embed_model
        self.settings = settings

    def ingest(self, paths: Sequence[Path], progress: bool = True) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        self.store.ensure_collection(len(self.embed_model.get_query_embedding("dimensie")))
        indexed = self.store.indexed_documents()
        limits = Limits(self.settings.parse_timeout_s, self.settings.parse_memory_mb)
        with IsolatedWorker(limits) as reader:
            for path in paths:
                self._ingest_path(path, indexed, report, reader, progress)
        if report.new or report.changed or report.removed:
            self._optimize(progress)
        report.seconds = time.perf_counter() - started
        return report

    def _optimize(self, progress: bool) -> None:
        """Build the store's search indexes now rather than leave new passages to slower
        scans. The embedded engine reports nothing while it works (about a minute per
        50,000 new passages), so the terminal shows the step starting and its time."""
        shown = "{desc} {bar} {elapsed}"
        with tqdm(total=1, desc="optimize", disable=not progress or None, bar_format=shown) as bar:
            self.store.optimize()
            bar.update()

    def _ingest_path(
        self, path: Path, indexed: dict, report: IngestReport, reader: IsolatedWorker, progress: bool
    ) -> None:
        sources = collect(path, known_roots={document.root for document in indexed.values()})
        report.failed += sources.refused
        seen: set[str] = set()
        for source in tqdm(sources.files, desc="ingest", unit="doc", disable=not progress or None):
            seen.add(source.document_id)
            self._ingest_file(source, indexed, report, reader)
        if sources.complete:
            for document_id, document in indexed.items():
                if document.root == str(sources.root) and document_id not in seen:
                    self.store.delete_document(document_id)
                    report.removed.append(document_id)

    def _ingest_file(
        self, source: SourceFile, indexed: dict, report: IngestReport, reader: IsolatedWorker
    ) -> None:
        relative = str(source.relative)
        try:
            version = self._version(source)
            fingerprint = version.fingerprint
            existing = indexed.get(source.document_id)
            if existing and existing.is_complete(fingerprint):
                if len(existing.points) > 1:  # stale points left by an interrupted run
                    self.store.delete_document(source.document_id, keep_fingerprint=fingerprint)
                report.unchanged.append(relative)
                return
            nodes, pages, warnings = self._read(source, version, reader)
        except UnreadableDocument as exc:
            report.failed.append(Failure(relative, str(exc)))
            return
        report.warnings += [f"{relative}: {warning}" for warning in warnings]
        texts = [node.get_content(metadata_mode=MetadataMode.EMBED) for node in nodes]
        known = self.store.known_vectors(texts)
        missing = [text for text, vector in zip(texts, known, strict=True) if vector is None]
        fresh = iter(self.embed_model.get_text_embedding_batch(missing) if missing else [])
        for node, vector in zip(nodes, known, strict=True):
            node.embedding = vector if vector is not None else next(fresh)
        self.store.add(nodes)
        self.store.delete_document(source.document_id, keep_fingerprint=fingerprint)
        (report.changed if existing else report.new).append(relative)
        report.pages += pages
        report.chunks += len(nodes)
        report.reused += len(nodes) - len(missing)

    def _version(self, source: SourceFile) -> DocumentVersion:
        """The fingerprint, which changes when the file, its sidecar, or anything that shapes
        its points changes, and the file's own hash, from one read and one hash of the file."""
        size = source.path.stat().st_size
        limit = self.settings.max_file_mb * 1024 * 1024
        if size > limit:
            raise UnreadableDocument(
                f"file is {size / 1024 / 1024:.1f} MB, over the {self.settings.max_file_mb:g} MB "
                "limit (KENNISBANK_MAX_FILE_MB)"
            )
        try:
            file_sha256 = hashlib.sha256(source.path.read_bytes()).hexdigest()
            digest = hashlib.sha256(file_sha256.encode())  # the file's bytes are hashed once
            if source.sidecar:
                digest.update(source.sidecar.read_bytes())
        except OSError as exc:
            raise UnreadableDocument(f"file cannot be read ({exc.strerror or exc})") from exc
        digest.update(f"{PIPELINE_VERSION}|{self.settings.chunk_size}|{self.embed_model.model_name}".encode())
        return DocumentVersion(digest.hexdigest()[:32], file_sha256)

    def _read(
        self, source: SourceFile, version: DocumentVersion, reader: IsolatedWorker
    ) -> tuple[list[TextNode], int, list[str]]:
        parsed = _parse(source, self.settings.ocr_language, reader)
        sidecar = read_sidecar(source.sidecar) if source.sidecar else {}
        metadata = build_metadata(source.relative, parsed, sidecar)
        chunks = chunk_blocks(parsed.blocks, self.settings.chunk_size)
        if not chunks:
            raise UnreadableDocument("no text found in the file")
        nodes = [
            _passage(source, metadata, chunk, index, len(chunks), version).to_node()
            for index, chunk in enumerate(chunks)
        ]
        return nodes, parsed.page_count or 0, parsed.warnings


def _parse(source: SourceFile, ocr_language: str, reader: IsolatedWorker) -> ParsedDocument:
    """The file read in the isolated reader process. Whatever goes wrong while reading
    one file costs that file only: the limits, a crash of the reader process, and an
    error no reader anticipated (a bug met on a hostile file) are all reported with
    the file's name instead of ending the run."""
    try:
        return reader.call(read_document, source.path, ocr_language=ocr_language)
    except UnreadableDocument:
        raise
    except LimitExceeded as exc:
        raise UnreadableDocument(str(exc)) from exc
    except RecursionError as exc:
        raise UnreadableDocument("its structure is nested too deeply to read") from exc
    except Exception as exc:
        raise UnreadableDocument(
            f"the reader failed on this file ({type(exc).__name__}: {error_reason(exc)}); "
            "check that it opens in its usual program"
        ) from exc


def _passage(
    source: SourceFile,
    document: DocumentMetadata,
    chunk: Chunk,
    index: int,
    count: int,
    version: DocumentVersion,
) -> Passage:
    """A chunk of a document with what it inherits from the document."""
    return Passage(
        document_id=source.document_id,
        source=str(source.relative),
        root=str(source.root),
        title=document.title,
        doc_type=document.doc_type,
        date=document.date.isoformat() if document.date else None,
        year=document.year,
        status=document.status,
        replaces=document.replaces,
        groups=document.groups,
        beleidsdomein=document.beleidsdomein,
        tags=document.tags,
        page=chunk.page,
        heading=" > ".join(chunk.heading_path),
        article=chunk.article,
        chunk_index=index,
        chunk_count=count,
        fingerprint=version.fingerprint,
        file_sha256=version.file_sha256,
        text=chunk.text,
    )
