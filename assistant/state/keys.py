"""API keys in the shared state database: every API worker checks a request's key here,
and `kennisbank keys add|list|remove` changes them from another process while the
servers run. Only the sha256 of a key is stored, never the key."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine, RowMapping
from sqlalchemy.exc import IntegrityError

from assistant.state.schema import api_keys


@dataclass(frozen=True)
class StoredKey:
    """What is known of a key: its name, its hash, its access groups and admin flag."""

    name: str
    sha256: str
    groups: frozenset[str]
    admin: bool
    created_at: datetime


class ApiKeys:
    """The `api_keys` table; every method is one short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, name: str, sha256: str, *, groups: frozenset[str], admin: bool) -> bool:
        """Store a key's hash under `name`; False when a key already has that name."""
        row = {
            "sha256": sha256,
            "name": name,
            "groups": json.dumps(sorted(groups)),
            "admin": admin,
            "created_at": datetime.now(UTC),
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(api_keys).values(row))
        except IntegrityError:
            return False
        return True

    def find(self, sha256: str) -> StoredKey | None:
        """The key whose hash is `sha256`, or None. Read on every request, so a key
        removed by another process stops working at its next request."""
        # An equality lookup on the hash, not a constant-time comparison, and that is
        # safe: its timing can at most tell how much of sha256(guess) matches a stored
        # hash. Steering a guess so that its hash matches more is a preimage attack on
        # sha256, so the timing brings a caller no closer to a key (256 random bits).
        with self.engine.connect() as connection:
            row = connection.execute(select(api_keys).where(api_keys.c.sha256 == sha256)).mappings().first()
        return _stored_key(row) if row else None

    def all(self) -> list[StoredKey]:
        """Every key, oldest first."""
        query = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.name)
        with self.engine.connect() as connection:
            return [_stored_key(row) for row in connection.execute(query).mappings()]

    def remove(self, name: str) -> bool:
        """Revoke the key named `name`; False when there is none."""
        with self.engine.begin() as connection:
            return connection.execute(delete(api_keys).where(api_keys.c.name == name)).rowcount > 0


def _stored_key(row: RowMapping) -> StoredKey:
    created = row["created_at"]
    return StoredKey(
        name=row["name"],
        sha256=row["sha256"],
        groups=frozenset(json.loads(row["groups"])),
        admin=row["admin"],
        created_at=created if created.tzinfo else created.replace(tzinfo=UTC),  # SQLite drops the zone
    )
