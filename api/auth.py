"""API keys: who is calling, which access groups they have, and whether they may
administer the server.

Keys live in a YAML file that stores only the sha256 of each key. A key is 256 random
bits, so its hash cannot be brute-forced whatever the speed of the hash; bcrypt or
argon2 protect low-entropy passwords and would cost ~100 ms per request for nothing.
Hashes are compared with `hmac.compare_digest` against every entry, so the time taken
does not tell how much of a guess matched. The file is re-read when it changes, so
`kennisbank keys add` takes effect without a restart.
"""

import hashlib
import hmac
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

KEY_PREFIX = "kb_"


class KeyFileError(ValueError):
    """The keys file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class ApiKey:
    name: str
    sha256: str
    groups: frozenset[str]
    admin: bool


@dataclass(frozen=True)
class Caller:
    """Who a request comes from. `identity` keys the rate limit: the key's name, or the
    client address for anonymous callers."""

    name: str | None
    groups: frozenset[str]
    admin: bool
    identity: str

    @classmethod
    def anonymous(cls, client_address: str) -> "Caller":
        return cls(None, frozenset(), False, f"ip:{client_address}")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class KeyRing:
    """The keys of one keys file (none when the file does not exist)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._keys: list[ApiKey] = []
        self._loaded_stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    def lookup(self, key: str) -> ApiKey | None:
        """The entry for `key`, or None."""
        digest = hash_key(key)
        found = None
        for entry in self.current():
            if hmac.compare_digest(entry.sha256, digest):
                found = entry
        return found

    def current(self) -> list[ApiKey]:
        """The keys as the file holds them now (read again only when it changed);
        KeyFileError when it cannot be used."""
        try:
            stat = self.path.stat()
            stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # every write is a new file
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._loaded_stamp:
                self._keys = read_keys(self.path) if stamp else []
                self._loaded_stamp = stamp
            return self._keys


def read_keys(path: Path) -> list[ApiKey]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"cannot read the API keys file {path}: {exc}") from exc
    entries = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise KeyFileError(f"{path}: expected a mapping with a list under 'keys'")
    keys = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise KeyFileError(f"{path}: key {number} needs a 'name'")
        digest = entry.get("sha256")
        if not isinstance(digest, str) or len(digest) != 64:
            raise KeyFileError(f"{path}: key {entry['name']!r} needs a 64-character 'sha256'")
        groups = entry.get("groups") or []
        if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
            raise KeyFileError(f"{path}: key {entry['name']!r}: 'groups' must be a list of names")
        keys.append(ApiKey(entry["name"], digest.lower(), frozenset(groups), entry.get("admin") is True))
    return keys


def add_key(path: Path, name: str, *, groups: list[str], admin: bool) -> str:
    """Create a key named `name`, store its hash in the keys file and return the key
    (the only time it is ever shown)."""
    keys = read_keys(path) if path.exists() else []
    if any(key.name == name for key in keys):
        raise KeyFileError(f"a key named {name!r} already exists in {path}")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    _write_keys(path, [*keys, ApiKey(name, hash_key(key), frozenset(groups), admin)])
    return key


def remove_key(path: Path, name: str) -> None:
    """Revoke the key named `name`; a running server stops accepting it at once."""
    keys = read_keys(path) if path.exists() else []
    if not any(key.name == name for key in keys):
        raise KeyFileError(f"no key named {name!r} in {path}")
    _write_keys(path, [key for key in keys if key.name != name])


def _write_keys(path: Path, keys: list[ApiKey]) -> None:
    entries = [
        {"name": k.name, "sha256": k.sha256, "groups": sorted(k.groups), "admin": k.admin} for k in keys
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a private temp file and renamed: a server re-reading the file never sees half of it.
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        yaml.safe_dump({"keys": entries}, file, sort_keys=False, allow_unicode=True)
    temporary.replace(path)
