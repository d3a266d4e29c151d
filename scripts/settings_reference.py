"""The configuration reference, rendered from `core.settings.Settings` so it cannot drift.

    .venv/bin/python scripts/settings_reference.py           # rewrite both files
    .venv/bin/python scripts/settings_reference.py --check   # exit 1 when either is stale

It writes two files from the same fields:

- the settings tables of docs/configuration.md, between `<!-- settings:begin -->` and
  `<!-- settings:end -->` (the prose around them is written by hand and left alone);
- .env.example, entirely: every setting commented out with its default, its description
  as the comment, lists as JSON.

What a setting means and its default live in `Settings` (the field descriptions); which
section it is listed under lives in `SECTIONS` below, the one place that orders them. A
field in no section, or in two, stops the script, so a new setting cannot be left out.
The variables only docker compose reads (not settings) are in `COMPOSE_ONLY`, their
defaults read from docker-compose.yml."""

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic import AliasChoices, SecretStr
from pydantic.fields import FieldInfo

from core.settings import Settings

REPO = Path(__file__).resolve().parent.parent
CONFIGURATION_MD = REPO / "docs" / "configuration.md"
ENV_EXAMPLE = REPO / ".env.example"
COMPOSE_FILE = REPO / "docker-compose.yml"
BEGIN = "<!-- settings:begin -->"
END = "<!-- settings:end -->"
COMMAND = ".venv/bin/python scripts/settings_reference.py"
ENV_WIDTH = 88  # comment lines in .env.example, "# " included


@dataclass(frozen=True)
class Section:
    """A group of settings as both files list them: a title, a short intro, and the
    Settings field names in the order shown (separated by spaces)."""

    title: str
    intro: str
    names: str = ""

    @property
    def fields(self) -> list[str]:
        return self.names.split()


@dataclass(frozen=True)
class Variable:
    """One environment variable as it is shown: its real name, other names it is read
    under, the default as it would be written in .env ('' when empty), and what it does."""

    name: str
    default: str
    description: str
    other_names: tuple[str, ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section(
        "Store and shared state",
        "Where the index and the shared state live. Without `KENNISBANK_QDRANT_URL` both stay in "
        "`KENNISBANK_DATA_DIR` on this machine; docs/production.md says when to move to a Qdrant "
        "server and PostgreSQL.",
        "data_dir qdrant_url qdrant_api_key collection qdrant_shards qdrant_replication database_url",
    ),
    Section(
        "Embeddings",
        "One model embeds passages and questions alike. Another model or backend needs a new "
        "collection (`KENNISBANK_COLLECTION`): vectors of different models do not mix.",
        "embedding embedding_model embedding_url embedding_api_key embedding_batch_size",
    ),
    Section(
        "Ingestion",
        "How files are read and cut into passages. A file's fingerprint includes "
        "`KENNISBANK_CHUNK_SIZE` and the embedding model, so after changing either the next "
        "`kennisbank ingest` reads every file again.",
        "chunk_size max_file_mb ocr_language parse_timeout_s parse_memory_mb corpus_dirs",
    ),
    Section(
        "Search and answers",
        "Without `KENNISBANK_LLM_URL` answers are extractive: no LLM and no network (docs/answers.md).",
        "answer_passages answer_min_score answer_sure_score glossary_file"
        " llm_url llm_model llm_api_key llm_timeout_s llm_max_tokens llm_temperature",
    ),
    Section(
        "HTTP API",
        "Where `kennisbank serve` listens, who may call it, and how much (docs/http-api.md).",
        "host port public_url allowed_hosts allow_anonymous cors_origins max_body_bytes max_question_chars"
        " rate_limit_per_minute api_docs",
    ),
    Section(
        "Sign-in",
        "People sign in on the chat page with their organisation account (OpenID Connect: Entra ID, "
        "Keycloak, ...); API keys keep working for machines (docs/security.md#sign-in).",
        "oidc_issuer oidc_client_id oidc_client_secret oidc_scopes oidc_groups_claim access_file"
        " session_secret session_max_age_s",
    ),
    Section(
        "Audit",
        "A record of every answer: when, through which channel, who, the question and each document "
        "shown with its access groups (docs/security.md#audit-records).",
        "audit_questions audit_retention_days",
    ),
    Section(
        "Slack",
        "The tokens go by Slack's own variable names (the `KENNISBANK_` names work too); "
        "docs/slack.md shows how to install the app.",
        "slack_bot_token slack_signing_secret slack_app_token slack_api_url slack_access_file",
    ),
)

COMPOSE_ONLY = Section(
    "docker compose only",
    "Read by docker compose from .env (not by `kennisbank` itself); the defaults are those of "
    "docker-compose.yml.",
)
COMPOSE_VARIABLES: tuple[tuple[str, str], ...] = (
    ("POSTGRES_PASSWORD", "Password of the PostgreSQL user `kennisbank`; change it before the first `up`."),
    (
        "CORPUS_DIR",
        "Folder of the documents: the `ingest` profile indexes it, and the `api` service serves its "
        "files and re-indexes it (both mount it read-only at `/corpus`).",
    ),
    ("API_PORT", "Host port of the `api` service."),
)


def section_fields() -> list[tuple[Section, list[str]]]:
    """Each section with its fields, after checking that the sections name every Settings
    field exactly once and nothing else: the reference lists every setting."""
    named = [field for section in SECTIONS for field in section.fields]
    unknown = sorted(set(named) - set(Settings.model_fields))
    twice = sorted({field for field in named if named.count(field) > 1})
    missing = [field for field in Settings.model_fields if field not in named]
    problems = []
    if unknown:
        problems.append(f"not Settings fields: {unknown}")
    if twice:
        problems.append(f"in more than one section: {twice}")
    if missing:
        problems.append(f"in no section (add them to SECTIONS in scripts/settings_reference.py): {missing}")
    if problems:
        raise ValueError("SECTIONS does not match core.settings.Settings: " + "; ".join(problems))
    return [(section, section.fields) for section in SECTIONS]


def env_names(name: str, field: FieldInfo) -> tuple[str, ...]:
    """The environment variables a field is read from, the one to show first: its
    validation aliases (the Slack tokens keep Slack's names), else KENNISBANK_NAME."""
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return tuple(str(choice) for choice in alias.choices)
    if isinstance(alias, str):
        return (alias,)
    return (f"{Settings.model_config.get('env_prefix', '')}{name}".upper(),)


def env_value(value: Any) -> str:
    """A default as it would be written in .env: empty for None and secrets, `true`/`false`,
    lists as compact JSON (no spaces, so one token), whole floats without `.0`."""
    if value is None or isinstance(value, SecretStr):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        items = [str(item) if isinstance(item, Path) else item for item in value]
        return json.dumps(items, separators=(",", ":"))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def limits(field: FieldInfo) -> str:
    """The range the field's validation enforces, as a sentence ('' when unbounded), so
    the reference states the bounds the code checks rather than a copy of them."""
    bounds: dict[type, float] = {}
    for rule in field.metadata:
        for kind, attribute in ((Ge, "ge"), (Gt, "gt"), (Le, "le"), (Lt, "lt")):
            if isinstance(rule, kind):
                bounds[kind] = getattr(rule, attribute)
    if Ge in bounds and Le in bounds:
        return f"From {bounds[Ge]:g} to {bounds[Le]:g}."
    words = {Ge: "at least", Gt: "more than", Le: "at most", Lt: "less than"}
    phrases = [f"{words[kind]} {value:g}" for kind, value in bounds.items()]
    return (", ".join(phrases) + ".").capitalize() if phrases else ""


def setting_variable(name: str) -> Variable:
    """How one Settings field is shown: its real name, default and description, with the
    range its validation enforces added to the description."""
    field = Settings.model_fields[name]
    if not field.description:
        raise ValueError(f"Settings.{name} has no description; every setting needs one")
    first, *others = env_names(name, field)
    description = " ".join(part for part in (field.description, limits(field)) if part)
    return Variable(first, env_value(field.default), description, tuple(others))


def compose_variables() -> list[Variable]:
    """The compose-only variables with the defaults docker-compose.yml gives them
    (`${NAME:-default}`), so a changed default there shows here too."""
    compose = COMPOSE_FILE.read_text(encoding="utf-8")
    variables = []
    for name, description in COMPOSE_VARIABLES:
        defaults = set(re.findall(r"\$\{" + name + r":-([^}]*)\}", compose))
        if len(defaults) != 1:
            raise ValueError(f"docker-compose.yml gives {name} {len(defaults)} defaults; expected one")
        variables.append(Variable(name, defaults.pop(), description))
    return variables


def grouped_variables() -> list[tuple[Section, list[Variable]]]:
    """Every section in order with its variables, the compose-only ones last."""
    groups = [(section, [setting_variable(name) for name in names]) for section, names in section_fields()]
    return [*groups, (COMPOSE_ONLY, compose_variables())]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (GitHub reads `\\|` as a pipe, in code too)."""
    return text.replace("|", "\\|").replace("\n", " ")


def _links(text: str) -> str:
    """`docs/NAME.md` as a link, for text shown inside docs/ (.env.example keeps the path)."""
    return re.sub(r"\bdocs/([a-z-]+\.md)\b", r"[\1](\1)", text)


def render_settings_block() -> str:
    """The Markdown between the markers of docs/configuration.md: a heading, intro and
    table per section (variable, default, meaning)."""
    lines = [
        BEGIN,
        "<!-- Generated from core/settings.py by scripts/settings_reference.py; edit the field",
        "     descriptions there (or SECTIONS in the script) and run it again. -->",
    ]
    for section, variables in grouped_variables():
        lines += ["", f"### {section.title}", "", _links(section.intro), ""]
        lines += ["| variable | default | meaning |", "| --- | --- | --- |"]
        for variable in variables:
            default = f"`{variable.default}`" if variable.default else "empty"
            meaning = variable.description
            if variable.other_names:
                meaning += " Also read as " + ", ".join(f"`{name}`" for name in variable.other_names) + "."
            lines.append(f"| `{variable.name}` | {_cell(default)} | {_cell(_links(meaning))} |")
    lines += ["", END]
    return "\n".join(lines)


def render_configuration(current: str) -> str:
    """docs/configuration.md with its settings block replaced; the rest stays as written."""
    start, end = current.find(BEGIN), current.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{CONFIGURATION_MD.relative_to(REPO)} needs the markers {BEGIN} and {END}")
    return current[:start] + render_settings_block() + current[end + len(END) :]


def _comment(text: str) -> list[str]:
    """Text as `# ` comment lines of at most ENV_WIDTH characters, words never broken."""
    return textwrap.wrap(
        text,
        ENV_WIDTH,
        initial_indent="# ",
        subsequent_indent="# ",
        break_long_words=False,
        break_on_hyphens=False,
    )


ENV_HEADER = (
    "Midwest Kennisbank configuration. Copy this file to .env and uncomment what you change; "
    "every line shows the default. `kennisbank` reads .env from the folder it runs in, and "
    "docker-compose.yml passes it into the containers. Lists are JSON. The same reference, as "
    "tables: docs/configuration.md."
)
ENV_GENERATED = (
    "Generated from core/settings.py by scripts/settings_reference.py: change a description "
    "or default there and run it again, not this file."
)


def render_env_example() -> str:
    """The whole of .env.example: a header, then per section its intro and each variable's
    description followed by `# NAME=default`."""
    lines = [*_comment(ENV_HEADER), *_comment(ENV_GENERATED)]
    for section, variables in grouped_variables():
        lines += ["", f"# --- {section.title} ---", *_comment(section.intro)]
        for variable in variables:
            text = variable.description
            if variable.other_names:
                text += " Also read as " + ", ".join(variable.other_names) + "."
            lines += [*_comment(text), f"# {variable.name}={variable.default}"]
    return "\n".join(lines) + "\n"


def rendered() -> dict[Path, str]:
    """What each file should hold now: docs/configuration.md and .env.example."""
    return {
        CONFIGURATION_MD: render_configuration(CONFIGURATION_MD.read_text(encoding="utf-8")),
        ENV_EXAMPLE: render_env_example(),
    }


def stale_files() -> list[Path]:
    """The files whose content differs from what Settings renders."""
    return [
        path
        for path, text in rendered().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    """Rewrite the stale files (exit 0), or with --check only name them (exit 1 if any)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when a file is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(
                f"{path.relative_to(REPO)} is out of date with core/settings.py: run {COMMAND}",
                file=sys.stderr,
            )
        return 1 if stale else 0
    for path, text in rendered().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
