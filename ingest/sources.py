"""Which files a `kennisbank ingest PATH` run covers, and the identity of each."""

import errno
import fnmatch
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from ingest.metadata import SIDECAR_SUFFIX, looks_like_sidecar, sidecar_base, sidecar_for
from ingest.report import Failure

IGNORE_FILE = ".kennisbankignore"
_LINK_LOOP = "symbolic link loop; it was not read"


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
    then a document indexed from that folder but no longer in it has been deleted.
    `refused` names what was found but must not be read, with the reason."""

    root: Path
    files: list[SourceFile]
    complete: bool
    refused: list[Failure] = field(default_factory=list)


def collect(path: Path, known_roots: Iterable[str] = ()) -> SourceSet:
    """The files under `path` (or `path` itself), in a stable order, without sidecars,
    hidden files and what the folder's `.kennisbankignore` lists (glob patterns on the
    relative path, one per line; a pattern ending in / ignores a folder). Symbolic links,
    pipes and devices are refused by name (`_refusal`).

    A single file inside a folder that was ingested before keeps that folder as its root,
    so it keeps its document id and source path instead of becoming a second copy."""
    path = path.resolve()
    if path.is_file():
        ancestors = [Path(root) for root in known_roots if path.is_relative_to(root)]
        root = max(ancestors, key=lambda p: len(p.parts), default=path.parent)
        sources = SourceSet(root, [SourceFile(path, root)], complete=False)
        sidecars = sorted(
            sibling
            for sibling in path.parent.iterdir()
            if looks_like_sidecar(sibling) and _meant_for(sibling, path)
        )
        linked = [sidecar for sidecar in sidecars if sidecar.is_symlink()]
        for sidecar in linked:
            sources.refused.append(Failure(_shown(sidecar, root), _link_refusal(sidecar, root)))
        _leave_out_refused_sidecars(sources, linked)
        _leave_out_misnamed_sidecars(sources, [sidecar for sidecar in sidecars if sidecar not in linked])
        return sources
    patterns = _ignore_patterns(path)
    sources = SourceSet(path, [], complete=True)
    sidecars, refused_sidecars = [], []
    for candidate in sorted(path.rglob("*")):
        relative = candidate.relative_to(path)
        if _skipped(relative, patterns):
            continue
        if problem := _refusal(candidate, path):
            sources.refused.append(Failure(relative.as_posix(), problem))
            if looks_like_sidecar(candidate):
                refused_sidecars.append(candidate)
        elif looks_like_sidecar(candidate):
            sidecars.append(candidate)
        elif candidate.is_file():
            sources.files.append(SourceFile(candidate, path))
    _leave_out_refused_sidecars(sources, refused_sidecars)
    _leave_out_misnamed_sidecars(sources, sidecars)
    return sources


def _leave_out_misnamed_sidecars(sources: SourceSet, sidecars: list[Path]) -> None:
    """Report every sidecar that no document reads (misnamed, `x.md.meta.yml`, or an
    orphan, `careless-case.md.meta.yaml` beside `careless-case.MD`), and leave out the
    document it was meant for: a sidecar may carry access groups, so indexing that document
    without it could publish what was meant for a few."""
    read = {file.sidecar for file in sources.files}
    for sidecar in sidecars:
        if sidecar in read:
            continue
        meant = [file for file in sources.files if _meant_for(sidecar, file.path)]
        shown = _shown(sidecar, sources.root)
        why = _why_not_read(sidecar, meant[0] if meant else None)
        sources.refused.append(Failure(shown, f"sidecar not read: {why}"))
        for file in meant:
            _leave_out(sources, file, f"its sidecar {sidecar.name} is not read ({why})", "fix the name")


def _leave_out_refused_sidecars(sources: SourceSet, refused: list[Path]) -> None:
    """Leave out the document a refused sidecar (a symbolic link, a pipe) was meant for:
    the sidecar is not read, so the document would otherwise be indexed without the access
    groups the link's target (or, for a dangling link, nothing at all) may set."""
    for sidecar in refused:
        for file in [file for file in sources.files if _meant_for(sidecar, file.path)]:
            kind = "a symbolic link" if sidecar.is_symlink() else "not a regular file"
            why = f"its sidecar {sidecar.name} is {kind}"
            _leave_out(sources, file, why, "put the sidecar itself there")


def _leave_out(sources: SourceSet, file: SourceFile, why: str, fix: str) -> None:
    """Take `file` out of the run and report it: its sidecar cannot be read."""
    sources.files.remove(file)
    sources.refused.append(
        Failure(
            str(file.relative),
            f"left out: {why}, and the access groups it may set must not be ignored; {fix} and ingest again",
        )
    )


def _meant_for(sidecar: Path, document: Path) -> bool:
    """True when `sidecar` names `document`, whatever the case of either name."""
    base = sidecar_base(sidecar).lower()
    return document.parent == sidecar.parent and base in (document.name.lower(), document.stem.lower())


def _why_not_read(sidecar: Path, meant: SourceFile | None) -> str:
    base = sidecar_base(sidecar)
    if not sidecar.name.endswith(SIDECAR_SUFFIX):
        return f"a sidecar's name ends in {SIDECAR_SUFFIX}: rename it to {base}{SIDECAR_SUFFIX}"
    if meant is None:
        return f"no document named {base} is beside it"
    if meant.sidecar is not None:
        return f"{meant.path.name} already reads {meant.sidecar.name}: keep one of the two"
    return f"names must match, case included: rename it to {meant.path.name}{SIDECAR_SUFFIX}"


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def _refusal(candidate: Path, root: Path) -> str | None:
    """Why a folder entry must not be read, or None. Pipes and devices would block or
    never end when read; symbolic links are never read (`_link_refusal`)."""
    if candidate.is_symlink():
        return _link_refusal(candidate, root)
    if not candidate.is_dir() and not candidate.is_file():
        return "not a regular file (a pipe, socket or device); it was not read"
    return None


def _link_refusal(link: Path, root: Path) -> str:
    """Why a symbolic link was not read. Every link is refused, wherever it points: a link
    has no sidecar of its own and its path is not the one `.kennisbankignore` lists, so
    reading it would publish a restricted or ignored file under a second, public name (and
    a link to /etc/passwd in a shared folder must not end up in a searchable index). The
    file a link points to is indexed, or not, under its own name and rules."""
    try:
        target = link.resolve(strict=True)
    except RuntimeError:  # how Python 3.11 reports a loop; later versions raise ELOOP
        return _LINK_LOOP
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _LINK_LOOP
        return f"symbolic link to a missing file ({exc.strerror or exc}); it was not read"
    if not target.is_relative_to(root):
        return "symbolic link to something outside the ingested folder; it was not read"
    return (
        f"symbolic link to {_shown(target, root)}; links are not read (what it points to is indexed "
        "under its own name, with its own sidecar and ignore rules): copy or move the file instead"
    )


def _ignore_patterns(root: Path) -> list[str]:
    ignore = root / IGNORE_FILE
    if not ignore.is_file():
        return []
    lines = (line.strip() for line in ignore.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _skipped(relative: Path, patterns: list[str]) -> bool:
    if any(part.startswith(".") for part in relative.parts):
        return True
    posix = relative.as_posix()
    for pattern in patterns:
        if pattern.endswith("/"):
            if fnmatch.fnmatch(posix, pattern + "*"):
                return True
        elif fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(relative.name, pattern):
            return True
    return False
