"""Which access groups a Slack user has: from a YAML file that maps Slack user ids and
Slack user group ids to kennisbank groups.

    users:
      U012AB3CD: [bestuur]
    usergroups:          # Slack user groups (ids start with S), e.g. @raad-van-bestuur
      S0614TZR7: [bestuur, personeel]

A user also gets the access groups that KENNISBANK_ACCESS_FILE gives their Slack profile's
e-mail address (`people:`, see `api.access_map`; Slack needs the scope `users:read.email`),
so that one person sees the same documents in Slack as signed in on the chat page.
A user in neither file sees public documents only.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from api.access_map import AccessMap, read_group_lists

log = logging.getLogger(__name__)

# User group membership, and a user's e-mail address, are asked from Slack at most this
# often per group or user.
MEMBERSHIP_TTL_S = 300.0


class SlackAccessError(ValueError):
    """The access file cannot be used; the message names the file and the problem."""


@dataclass
class SlackAccess:
    """The mapping, the shared one by e-mail address, and a short-lived cache of who is in
    each mapped Slack user group and of users' addresses."""

    users: dict[str, frozenset[str]] = field(default_factory=dict)
    usergroups: dict[str, frozenset[str]] = field(default_factory=dict)
    people: AccessMap = field(default_factory=AccessMap)
    _members: dict[str, tuple[float, frozenset[str]]] = field(default_factory=dict, repr=False)
    _emails: dict[str, tuple[float, str | None]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_file(cls, path: Path | None, people: AccessMap | None = None) -> "SlackAccess":
        people = people or AccessMap()
        if path is None:
            return cls(people=people)
        users, usergroups = read_group_lists(
            path, ("users", "usergroups"), SlackAccessError, "Slack access file"
        )
        return cls(users, usergroups, people)

    def groups_for(self, user_id: str, client: WebClient) -> frozenset[str]:
        """The user's own groups, those of every mapped Slack user group they are in and
        those of their e-mail address."""
        groups = set(self.users.get(user_id, ()))
        for usergroup, usergroup_groups in self.usergroups.items():
            if user_id in self._members_of(usergroup, client):
                groups |= usergroup_groups
        if self.people.people:
            groups |= self.people.for_person(email=self._email_of(user_id, client))
        return frozenset(groups)

    def _email_of(self, user_id: str, client: WebClient) -> str | None:
        with self._lock:
            cached = self._emails.get(user_id)
        if cached and time.monotonic() - cached[0] < MEMBERSHIP_TTL_S:
            return cached[1]
        try:
            email = client.users_info(user=user_id)["user"].get("profile", {}).get("email")
        except SlackApiError as exc:
            # Deny rather than fail: without the address its groups stay out (missing_scope:
            # the app lacks users:read.email).
            log.warning(
                "cannot read the e-mail address of Slack user %s (%s)", user_id, exc.response.get("error")
            )
            return None
        with self._lock:
            self._emails[user_id] = (time.monotonic(), email)
        return email

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
