"""API keys: who is calling, which access groups they have, and whether they may
administer the server.

Keys live in the shared state database (`assistant.state.keys`), which stores only the
sha256 of each key, so every API worker and host sees the same keys, and a key made or
revoked with `kennisbank keys` counts from the next request on, without a restart.
A key is 256 random bits, so its hash cannot be brute-forced whatever the speed of the
hash; bcrypt or argon2 protect low-entropy passwords and would cost ~100 ms per request
for nothing.
"""

import hashlib
import secrets

from assistant.caller import Caller
from assistant.state.keys import ApiKeys

KEY_PREFIX = "kb_"
MAX_NAME_CHARS = 255


class KeyNameError(ValueError):
    """A key cannot get this name; the message says why."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def caller_with_key(keys: ApiKeys, key: str) -> Caller | None:
    """The caller a presented key stands for, or None when no key matches."""
    entry = keys.find(hash_key(key))
    return None if entry is None else Caller(entry.name, entry.groups, entry.admin, f"key:{entry.name}")


def create_key(keys: ApiKeys, name: str, *, groups: list[str], admin: bool) -> str:
    """Create a key named `name`, store its hash and return the key (the only time it
    is ever shown); KeyNameError when the name is empty, too long or taken."""
    if not name.strip() or len(name) > MAX_NAME_CHARS:
        raise KeyNameError(f"a key's name must be 1 to {MAX_NAME_CHARS} characters")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    if not keys.add(name, hash_key(key), groups=frozenset(groups), admin=admin):
        raise KeyNameError(f"a key named {name!r} already exists")
    return key
