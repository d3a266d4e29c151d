"""Gold questions: one JSON object per line in `eval/questions/*.jsonl`, checked on load so
that a typo in the gold set is reported where it is (file and line) instead of quietly
scoring as a miss."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from core.index.filters import SearchFilters

Persona = Literal["slack", "onboarding", "policy"]
Kind = Literal[
    "fact", "paraphrase", "version", "filter", "followup", "unanswerable", "near-miss", "restricted"
]
# Kinds the documents cannot answer for a public caller: `restricted` questions are answered
# only in a document of the group `bestuur`, so a public answer must not contain their facts.
UNANSWERABLE_KINDS: frozenset[str] = frozenset({"unanswerable", "near-miss", "restricted"})

_FIELDS = (
    "id",
    "question",
    "persona",
    "kind",
    "answerable",
    "source",
    "page",
    "article",
    "key_facts",
    "filters",
    "follows",
)
_FILTER_FIELDS = {"doc_type": str, "year": int}


class QuestionFileError(ValueError):
    """The gold set cannot be used; the message names every problem as `file:line: what`."""


@dataclass(frozen=True)
class GoldQuestion:
    """One gold question and what a correct result holds. `source` is a path relative to
    corpus/; `page` is 1-based; `key_facts` must appear in a correct answer and in the
    passage that supports it. `follows` is the id of the question this one follows up."""

    id: str
    question: str
    persona: Persona
    kind: Kind
    answerable: bool
    source: str | None
    page: int | None
    article: str | None
    key_facts: tuple[str, ...]
    filters: SearchFilters
    follows: str | None


def load_questions(path: Path) -> list[GoldQuestion]:
    """The questions of one `.jsonl` file, or of every `.jsonl` file in a folder (sorted by
    name), in file order. Blank lines are skipped. Raises `QuestionFileError` listing every
    invalid line, so one run shows everything there is to fix."""
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise QuestionFileError(f"{path}: no .jsonl files in this folder")
    elif path.is_file():
        files = [path]
    else:
        raise QuestionFileError(f"{path}: no such file or folder")
    questions: list[GoldQuestion] = []
    problems: list[str] = []
    seen: set[str] = set()
    for file in files:
        earlier_in_file: set[str] = set()
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                question = _parse(line, earlier_in_file)
                if question.id in seen:
                    raise ValueError(f"duplicate id {question.id!r}")
            except ValueError as exc:
                problems.append(f"{file}:{number}: {exc}")
                continue
            seen.add(question.id)
            earlier_in_file.add(question.id)
            questions.append(question)
    if problems:
        raise QuestionFileError("invalid gold questions:\n" + "\n".join(problems))
    return questions


def _parse(line: str, earlier_in_file: set[str]) -> GoldQuestion:
    """One line as a question; ValueError saying what is wrong with it."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise ValueError("expected a JSON object")
    missing = [name for name in _FIELDS if name not in raw]
    unknown = sorted(set(raw) - set(_FIELDS))
    if missing or unknown:
        raise ValueError(
            "; ".join(
                part
                for part in (
                    f"missing field(s) {', '.join(missing)}" if missing else "",
                    f"unknown field(s) {', '.join(unknown)}" if unknown else "",
                )
                if part
            )
        )
    for name in ("id", "question"):
        if not isinstance(raw[name], str) or not raw[name].strip():
            raise ValueError(f"{name!r} must be a non-empty string")
    for name, allowed in (("persona", get_args(Persona)), ("kind", get_args(Kind))):
        if raw[name] not in allowed:
            raise ValueError(f"{name!r} is {raw[name]!r}; expected one of {', '.join(allowed)}")
    if not isinstance(raw["answerable"], bool):
        raise ValueError("'answerable' must be true or false")
    if raw["answerable"] == (raw["kind"] in UNANSWERABLE_KINDS):
        raise ValueError(f"'answerable' is {str(raw['answerable']).lower()} for kind {raw['kind']!r}")
    _check_optional(raw, "source", str)
    _check_optional(raw, "article", str)
    _check_optional(raw, "follows", str)
    _check_optional(raw, "page", int)
    if raw["page"] is not None and raw["page"] < 1:
        raise ValueError("'page' is 1-based")
    facts = raw["key_facts"]
    if not isinstance(facts, list) or not all(isinstance(fact, str) and fact.strip() for fact in facts):
        raise ValueError("'key_facts' must be a list of non-empty strings")
    if (raw["answerable"] or raw["kind"] == "restricted") and not (raw["source"] and facts):
        raise ValueError(f"a {raw['kind']!r} question needs a 'source' and 'key_facts'")
    if (raw["kind"] == "followup") != (raw["follows"] is not None):
        raise ValueError("'follows' is set exactly for kind 'followup'")
    if raw["follows"] is not None and raw["follows"] not in earlier_in_file:
        raise ValueError(f"'follows' names {raw['follows']!r}, which is not an earlier question in this file")
    return GoldQuestion(
        id=raw["id"],
        question=raw["question"],
        persona=raw["persona"],
        kind=raw["kind"],
        answerable=raw["answerable"],
        source=raw["source"],
        page=raw["page"],
        article=raw["article"],
        key_facts=tuple(facts),
        filters=_filters(raw["filters"]),
        follows=raw["follows"],
    )


def _check_optional(raw: dict[str, Any], name: str, kind: type) -> None:
    value = raw[name]
    # bool is an int in Python; `"page": true` is a typo, not page 1.
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise ValueError(f"{name!r} must be {kind.__name__} or null, not {value!r}")


def _filters(raw: Any) -> SearchFilters:
    if raw is None:
        return SearchFilters()
    if not isinstance(raw, dict) or set(raw) - set(_FILTER_FIELDS):
        raise ValueError(f"'filters' must be null or an object with {' and/or '.join(_FILTER_FIELDS)}")
    for name, kind in _FILTER_FIELDS.items():
        _check_optional({name: raw.get(name)}, name, kind)
    return SearchFilters(doc_type=raw.get("doc_type"), year=raw.get("year"))
