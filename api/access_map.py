"""Which access groups a person has, from the one mapping the chat page and Slack share
(KENNISBANK_ACCESS_FILE):

    groups:                       # groups at the sign-in provider, as its group claim names them
      0b6f1d2e-5c4a-4f1e-9d7a-3e2b1c0a9f8e: [bestuur]   # Entra ID: the group's object id
      raad-van-bestuur: [bestuur]                       # Keycloak: the group's name or path
    people:                       # e-mail addresses, for sign-in and for Slack profiles
      jan.peeters@midwest.be: [bestuur, personeel]

Someone signed in gets the groups of their provider groups and of their e-mail address;
a Slack user those of their Slack profile's e-mail address (besides the Slack access
file), so one person sees the same documents in both. Addresses are compared without
regard to case. No file: nobody gets any group from it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml


class AccessMapError(ValueError):
    """The access file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class AccessMap:
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    people: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path | None) -> "AccessMap":
        if path is None:
            return cls()
        groups, people = read_group_lists(path, ("groups", "people"), AccessMapError, "access file")
        return cls(groups, {email.lower(): access for email, access in people.items()})

    def for_person(self, provider_groups: Iterable[str] = (), email: str | None = None) -> frozenset[str]:
        """The access groups of someone in `provider_groups` with the address `email`."""
        found = set(self.people.get(email.lower(), ())) if email else set()
        for group in provider_groups:
            found |= self.groups.get(group, frozenset())
        return frozenset(found)

    def known_groups(self, provider_groups: Iterable[str]) -> list[str]:
        """Those of `provider_groups` the mapping names: all a session needs to keep (an
        Entra ID account can be in hundreds of groups, a cookie holds 4 KB)."""
        return sorted(group for group in set(provider_groups) if group in self.groups)


def read_group_lists(
    path: Path, keys: tuple[str, ...], error: type[ValueError], what: str
) -> list[dict[str, frozenset[str]]]:
    """The sections `keys` of the YAML file `path`, each mapping names to lists of access
    groups (an absent section is empty); `error` names the file and what is wrong with it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"cannot read the {what} {path}: {exc}") from exc
    if not isinstance(data, dict) or set(data) - set(keys):
        raise error(f"{path}: expected only the keys {' and '.join(repr(key) for key in keys)}")
    sections = []
    for key in keys:
        section = data.get(key) or {}
        valid = isinstance(section, dict) and all(
            isinstance(access, list) and all(isinstance(group, str) for group in access)
            for access in section.values()
        )
        if not valid:
            raise error(f"{path}: '{key}' must map names to lists of access group names")
        sections.append({str(name): frozenset(groups) for name, groups in section.items()})
    return sections
