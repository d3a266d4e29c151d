"""Which access groups a Slack user has: from a YAML file that maps Slack user ids and
Slack user group ids to kennisbank groups.

    users:
      U012AB3CD: [bestuur]
    usergroups:          # Slack user groups (ids start with S), e.g. @raad-van-bestuur
      S0614TZR7: [bestuur, personeel]

A user not in the file, and every user when there is no file, sees public documents only.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

# User group membership is asked from Slack at most this often per group.
MEMBERSHIP_TTL_S = 300.0


class SlackAccessError(ValueError):
    """The access file cannot be used; the message names the file and the problem."""


@dataclass
class SlackAccess:
    """The mapping, plus a short-lived cache of who is in each mapped Slack user group."""

    users: dict[str, frozenset[str]] = field(default_factory=dict)
    usergroups: dict[str, frozenset[str]] = field(default_factory=dict)
    _members: dict[str, tuple[float, frozenset[str]]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_file(cls, path: Path | None) -> "SlackAccess":
        if path is None:
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SlackAccessError(f"cannot read the Slack access file {path}: {exc}") from exc
        if not isinstance(data, dict) or set(data) - {"users", "usergroups"}:
            raise SlackAccessError(f"{path}: expected only the keys 'users' and 'usergroups'")
        return cls(_mapping(data, "users", path), _mapping(data, "usergroups", path))

    def groups_for(self, user_id: str, client: WebClient) -> frozenset[str]:
        """The user's own groups plus those of every mapped Slack user group they are in."""
        groups = set(self.users.get(user_id, ()))
        for usergroup, usergroup_groups in self.usergroups.items():
            if user_id in self._members_of(usergroup, client):
                groups |= usergroup_groups
        return frozenset(groups)

    def _members_of(self, usergroup: str, client: WebClient) -> frozenset[str]:
        with self._lock:
            cached = self._members.get(usergroup)
        if cached and time.monotonic() - cached[0] < MEMBERSHIP_TTL_S:
            return cached[1]
        try:
            members = frozenset(client.usergroups_users_list(usergroup=usergroup)["users"])
        except SlackApiError as exc:
            # Deny rather than fail every DM: without membership the group's documents stay hidden.
            log.warning(
                "cannot list Slack user group %s (%s); its members get no extra access",
                usergroup,
                exc.response.get("error"),
            )
            return frozenset()
        with self._lock:
            self._members[usergroup] = (time.monotonic(), members)
        return members


def _mapping(data: dict, key: str, path: Path) -> dict[str, frozenset[str]]:
    section = data.get(key) or {}
    valid = isinstance(section, dict) and all(
        isinstance(groups, list) and all(isinstance(g, str) for g in groups) for groups in section.values()
    )
    if not valid:
        raise SlackAccessError(f"{path}: '{key}' must map Slack ids to lists of group names")
    return {str(slack_id): frozenset(groups) for slack_id, groups in section.items()}
