"""`kennisbank backup DEST` and `kennisbank restore SRC`: a copy of the index and the
state that lives in the data dir, and the way back.

- Embedded store (Qdrant Edge, which has no snapshot API): the shard is flushed and its
  folder copied while this process holds its lock, so no other process (a server, an
  ingest) can write during the copy; the SQLite state database (answers, feedback, API
  keys, re-indexing jobs) is copied with SQLite's online backup. A backup made by an
  earlier version (qdrant-client's local mode, folder `qdrant`) is restored to where that
  version kept it, and moved to Edge when the index is next opened.
- Qdrant server: a collection snapshot is made on the server, downloaded into DEST and
  deleted there; restore uploads it back. On a cluster a snapshot holds only the shards
  of the node that made it, so a cluster is restored by rebuilding from the documents
  (see docs/production.md). A PostgreSQL state database is backed up with `pg_dump`, not here.

DEST holds `manifest.json` saying what the backup contains; restore reads it back.
"""

import json
import shutil
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from qdrant_client import QdrantClient
from qdrant_client.http.models import SnapshotPriority
from sqlalchemy import make_url

from core.index import local_mode
from core.index.engines import open_backend
from core.index.server import ServerBackend
from core.settings import Settings

MANIFEST = "manifest.json"
STORE_FOLDER = "index"
LOCAL_MODE_FOLDER = "qdrant"  # the embedded store of versions before Qdrant Edge
STATE_FILE = "state.db"
SNAPSHOT_FILE = "collection.snapshot"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says what to do."""


@dataclass
class Manifest:
    created: str
    mode: str  # "embedded" or "server"
    collection: str
    points: int
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.mode} store, collection {self.collection!r}: {self.points} passages; "
            f"files: {', '.join(self.files)} (made {self.created})"
        )


def backup(settings: Settings, destination: Path) -> Manifest:
    """Write a backup into `destination`, a new or empty folder."""
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty; give a new folder for the backup")
    backend = open_backend(settings)
    try:
        if not backend.exists():
            raise BackupError(_nothing_to_back_up(settings))
        points = backend.count()
        destination.mkdir(parents=True, exist_ok=True)
        if isinstance(backend, ServerBackend):
            _download_snapshot(backend.client, settings, destination / SNAPSHOT_FILE)
            files = [SNAPSHOT_FILE]
        else:
            # Everything acknowledged is in the folder once flushed, and our lock keeps
            # every other process from writing while it is copied.
            backend.flush()
            shutil.copytree(settings.index_path / settings.collection, destination / STORE_FOLDER)
            files = [STORE_FOLDER]
    finally:
        backend.close()
    if (state := _sqlite_state_path(settings)) and state.exists():
        _copy_sqlite(state, destination / STATE_FILE)
        files.append(STATE_FILE)
    manifest = Manifest(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        mode="embedded" if settings.embedded else "server",
        collection=settings.collection,
        points=points,
        files=files,
    )
    (destination / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    return manifest


def restore(settings: Settings, source: Path) -> Manifest:
    """Replace the index (and the state the backup holds) with the backup in `source`."""
    manifest = _read_manifest(source)
    mode = "embedded" if settings.embedded else "server"
    if manifest.mode != mode:
        raise BackupError(
            f"{source} is a backup of an {manifest.mode} store, but this configuration uses an {mode} store"
        )
    if settings.embedded:
        _restore_embedded_store(settings, source, manifest)
    else:
        backend = open_backend(settings)
        try:
            assert isinstance(backend, ServerBackend)
            with (source / SNAPSHOT_FILE).open("rb") as snapshot:
                backend.client.http.snapshots_api.recover_from_uploaded_snapshot(
                    settings.collection, wait=True, priority=SnapshotPriority.SNAPSHOT, snapshot=snapshot
                )
        finally:
            backend.close()
    if STATE_FILE in manifest.files:
        state = _sqlite_state_path(settings)
        if state is None:
            raise BackupError(
                "the backup holds a SQLite state database but KENNISBANK_DATABASE_URL points elsewhere; "
                f"the index was restored, the state was not (it is in {source / STATE_FILE})"
            )
        state.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(source / STATE_FILE, state)
    return manifest


def _nothing_to_back_up(settings: Settings) -> str:
    if settings.embedded and local_mode.holds_collection(settings.local_mode_path, settings.collection):
        return (
            f"the index in {settings.local_mode_path} was made by an earlier version; run "
            "`kennisbank ingest` on your documents once (it moves the index to Qdrant Edge "
            "without embedding again), then back it up"
        )
    return f"there is no collection {settings.collection!r} to back up; run `kennisbank ingest`"


def _restore_embedded_store(settings: Settings, source: Path, manifest: Manifest) -> None:
    """Swap the store folder for the backup's: copied beside it first, then renamed, so
    an interrupted restore leaves either the old store or the new one. A backup of an
    earlier version's store goes where that version kept it, and the Edge shard is
    removed, so that the next start moves the restored index to Edge."""
    if manifest.collection != settings.collection:
        raise BackupError(
            f"the backup holds collection {manifest.collection!r}; "
            f"set KENNISBANK_COLLECTION={manifest.collection} to restore it"
        )
    shard = settings.index_path / settings.collection
    # Holding the store's lock (the call fails clearly while a server holds it) keeps
    # other processes out until the new folder is in place.
    lock_holder = open_backend(settings)
    try:
        if LOCAL_MODE_FOLDER in manifest.files:
            _replace_folder(settings.local_mode_path, source / LOCAL_MODE_FOLDER)
            _replace_folder(shard, None)
        else:
            _replace_folder(shard, source / STORE_FOLDER)
    finally:
        lock_holder.close()
    for leftover in (shard, settings.local_mode_path):
        shutil.rmtree(leftover.with_name(f"{leftover.name}.replaced"), ignore_errors=True)


def _replace_folder(target: Path, replacement: Path | None) -> None:
    """`target` becomes a copy of `replacement` (or goes, for None); the old one is left
    as `<target>.replaced` for the caller to delete once every swap is done."""
    incoming = target.with_name(f"{target.name}.restoring")
    outgoing = target.with_name(f"{target.name}.replaced")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(outgoing, ignore_errors=True)
    if replacement is not None:
        shutil.copytree(replacement, incoming)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(outgoing)
    if replacement is not None:
        incoming.rename(target)


def _read_manifest(source: Path) -> Manifest:
    try:
        return Manifest(**json.loads((source / MANIFEST).read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise BackupError(f"{source} is not a kennisbank backup (no {MANIFEST})") from None
    except (ValueError, TypeError) as exc:
        raise BackupError(f"{source / MANIFEST} is damaged ({exc})") from exc


def _sqlite_state_path(settings: Settings) -> Path | None:
    """The state database's file when it is SQLite on disk, else None."""
    url = make_url(settings.state_database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy even while another process writes (SQLite's online backup)."""
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)


def _download_snapshot(client: QdrantClient, settings: Settings, target: Path) -> None:
    """Make a snapshot of the collection on the server, stream it into `target`, and
    delete it on the server (snapshots there take as much disk as the collection)."""
    snapshot = client.create_snapshot(settings.collection, wait=True)
    if snapshot is None:
        raise BackupError("the Qdrant server did not make a snapshot")
    api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
    url = f"{settings.qdrant_url.rstrip('/')}/collections/{settings.collection}/snapshots/{snapshot.name}"
    try:
        with httpx.stream(
            "GET", url, headers={"api-key": api_key} if api_key else {}, timeout=600
        ) as response:
            response.raise_for_status()
            with target.open("wb") as file:
                for chunk in response.iter_bytes():
                    file.write(chunk)
    except httpx.HTTPError as exc:
        raise BackupError(f"the snapshot could not be downloaded from the Qdrant server ({exc})") from exc
    finally:
        client.delete_snapshot(settings.collection, snapshot.name)
