"""Which files a `kennisbank ingest PATH` run covers, and the identity of each."""

import fnmatch
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from ingest.metadata import is_sidecar, sidecar_for

IGNORE_FILE = ".kennisbankignore"


@dataclass(frozen=True)
class SourceFile:
    """A file to index: its path on disk, the folder it was ingested from, and the
    path relative to that folder (what citations show as `source`)."""

    path: Path
    root: Path

    @property
    def relative(self) -> PurePosixPath:
        return PurePosixPath(self.path.relative_to(self.root).as_posix())

    @cached_property
    def sidecar(self) -> Path | None:
        """The file's `NAME.meta.yaml`, looked up once per run."""
        return sidecar_for(self.path)

    @property
    def document_id(self) -> str:
        """Stable, URL-safe id: readable stem plus a short hash of the relative path,
        so two files with the same name in different folders stay distinct."""
        stem = re.sub(r"[^a-z0-9]+", "-", self.relative.stem.lower()).strip("-") or "document"
        digest = hashlib.sha1(str(self.relative).encode()).hexdigest()[:8]
        return f"{stem}-{digest}"


@dataclass(frozen=True)
class SourceSet:
    """The files of one ingested path. `complete` is True when the path was a folder:
    then a document indexed from that folder but no longer in it has been deleted."""

    root: Path
    files: list[SourceFile]
    complete: bool


def collect(path: Path, known_roots: Iterable[str] = ()) -> SourceSet:
    """The files under `path` (or `path` itself), in a stable order, without sidecars,
    hidden files and what the folder's `.kennisbankignore` lists (glob patterns on the
    relative path, one per line; a pattern ending in / ignores a folder).

    A single file inside a folder that was ingested before keeps that folder as its root,
    so it keeps its document id and source path instead of becoming a second copy."""
    path = path.resolve()
    if path.is_file():
        ancestors = [Path(root) for root in known_roots if path.is_relative_to(root)]
        root = max(ancestors, key=lambda p: len(p.parts), default=path.parent)
        return SourceSet(root, [SourceFile(path, root)], complete=False)
    patterns = _ignore_patterns(path)
    files = [
        SourceFile(candidate, path)
        for candidate in sorted(path.rglob("*"))
        if candidate.is_file() and not _skipped(candidate.relative_to(path), patterns)
    ]
    return SourceSet(path, files, complete=True)


def _ignore_patterns(root: Path) -> list[str]:
    ignore = root / IGNORE_FILE
    if not ignore.is_file():
        return []
    lines = (line.strip() for line in ignore.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _skipped(relative: Path, patterns: list[str]) -> bool:
    if any(part.startswith(".") for part in relative.parts) or is_sidecar(relative):
        return True
    posix = relative.as_posix()
    for pattern in patterns:
        if pattern.endswith("/"):
            if fnmatch.fnmatch(posix, pattern + "*"):
                return True
        elif fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(relative.name, pattern):
            return True
    return False
