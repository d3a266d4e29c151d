"""Who asks, and through which front end. The service decides with it what a caller may
see (its access groups) and records every answer under its channel."""

from dataclasses import dataclass
from typing import Literal

Channel = Literal["web", "api", "openai", "slack", "cli", "eval"]

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Caller:
    """`name` is the API key's name (None for everyone else); `identity` names the caller
    for rate limits and follow-ups ("key:NAME", "ip:ADDRESS", "oidc:SUBJECT" for a person
    signed in on the chat page, "slack:USER", "cli");
    `groups` are the access groups whose documents it may see besides the public ones;
    `admin` may re-index through the API."""

    name: str | None
    groups: frozenset[str]
    admin: bool
    identity: str

    @property
    def who(self) -> str:
        """Whom the audit record of an answer names: the identity, or "anonymous" for a
        caller without one (an address says little about a person and is not kept)."""
        return ANONYMOUS if self.identity.startswith("ip:") else self.identity

    @classmethod
    def anonymous(cls, client_address: str) -> "Caller":
        """A caller without a key: public documents only."""
        return cls(None, frozenset(), False, f"ip:{client_address}")

    @classmethod
    def member(cls, identity: str, groups: frozenset[str] = frozenset()) -> "Caller":
        """A caller known by `identity` (a Slack user, the command line) with `groups`."""
        return cls(None, groups, False, identity)
