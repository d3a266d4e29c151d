"""Document metadata: a sidecar `NAME.meta.yaml` says what the file cannot; everything
else is inferred from the file's path, its own title and its first page."""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from core.index.passage import DocumentStatus
from ingest.model import ParsedDocument, UnreadableDocument

SIDECAR_KEYS = {"title", "doc_type", "date", "status", "replaces", "groups", "beleidsdomein", "tags"}

# Document types and the words that announce them, most specific first: a path or
# title naming "besluitenlijst" must not be taken for "notulen" because it also holds
# "verslag" further on.
DOC_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (doc_type, re.compile(pattern))
    for doc_type, pattern in (
        ("knelpuntennota", r"knelpunt"),
        ("afsprakennota", r"afsprakennota"),
        ("samenwerkingsovereenkomst", r"samenwerkingsovereenkomst|overeenkomst"),
        ("besluitenlijst", r"besluitenlijst|besluiten\b"),
        ("notulen", r"notulen|verslag"),
        ("strategisch-plan", r"strategisch\W?plan"),
        ("functiebeschrijving", r"functiebeschrijving|functieprofiel"),
        ("onthaalbrochure", r"onthaal|welkom|veelgestelde vragen"),
        ("regelgeving", r"decreet|regelgeving|besluit van de vlaamse regering"),
        ("presentatie", r"presentatie|slides"),
    )
)
FALLBACK_DOC_TYPE = "document"

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "maa"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"(?<!\d)(19|20)(\d{2})-(\d{2})-(\d{2})(?!\d)")
_YEAR_MONTH = re.compile(r"(?<!\d)(19|20)(\d{2})-(\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(19|20)(\d{2})(?!\d)")
_DUTCH_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+((?:19|20)\d{2})",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    r"(?<![\d\s])\s*\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\s+((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?!\d)")
FIRST_PAGE_CHARS = 1500


@dataclass(frozen=True)
class DocumentMetadata:
    """Everything a passage inherits from its document."""

    title: str
    doc_type: str
    date: date | None
    year: int | None
    status: DocumentStatus
    replaces: str | None
    groups: tuple[str, ...]
    beleidsdomein: tuple[str, ...]
    tags: tuple[str, ...]


def sidecar_for(path: Path) -> Path | None:
    """The sidecar of `path`: `report.pdf.meta.yaml`, or `report.meta.yaml`."""
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_suffix(SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


SIDECAR_SUFFIX = ".meta.yaml"
_SIDECAR_LIKE = re.compile(r"\.meta\.ya?ml$", re.IGNORECASE)


def looks_like_sidecar(path: Path) -> bool:
    """True for a sidecar and for what was meant as one (`.meta.yml`, `.META.YAML`)."""
    return bool(_SIDECAR_LIKE.search(path.name))


def sidecar_base(path: Path) -> str:
    """The name a sidecar-like file belongs to: `report.pdf` for `report.pdf.meta.yml`."""
    return _SIDECAR_LIKE.sub("", path.name)


def read_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar's fields, checked; a broken sidecar is an error, not a silent default,
    because it may carry access groups."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UnreadableDocument(f"sidecar {path.name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise UnreadableDocument(f"sidecar {path.name} must be a mapping of keys to values")
    unknown = set(data) - SIDECAR_KEYS
    if unknown:
        raise UnreadableDocument(
            f"sidecar {path.name} has unknown keys {sorted(unknown)}; allowed: {sorted(SIDECAR_KEYS)}"
        )
    if "status" in data and data["status"] not in set(DocumentStatus):
        raise UnreadableDocument(
            f"sidecar {path.name}: status must be one of {', '.join(DocumentStatus)}, not {data['status']!r}"
        )
    if "date" in data:
        data["date"] = _sidecar_date(data["date"], path)
    return data


def _sidecar_date(value: Any, path: Path) -> date:
    """YAML reads 2021-12-20 as a date and '2021-12-20' as a string; accept both."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UnreadableDocument(f"sidecar {path.name}: date must be written as YYYY-MM-DD") from None


def build_metadata(
    relative_path: PurePosixPath, parsed: ParsedDocument, sidecar: dict[str, Any]
) -> DocumentMetadata:
    """Sidecar values win; the rest is inferred from path, title and first page."""
    first_page = _first_page_text(parsed)
    title = str(sidecar.get("title") or parsed.title or _title_from_name(relative_path))
    path_words = _words(str(relative_path.with_suffix("")))
    doc_type = sidecar.get("doc_type") or infer_doc_type(path_words, title, first_page)
    doc_date = sidecar.get("date") or infer_date(relative_path.name, first_page)
    year = doc_date.year if doc_date else _year_in(relative_path.name)
    return DocumentMetadata(
        title=title,
        doc_type=str(doc_type),
        date=doc_date,
        year=year,
        status=DocumentStatus(sidecar.get("status", DocumentStatus.CURRENT)),
        replaces=sidecar.get("replaces"),
        groups=_as_tuple(sidecar.get("groups")),
        beleidsdomein=_as_tuple(sidecar.get("beleidsdomein")),
        tags=_as_tuple(sidecar.get("tags")),
    )


def infer_doc_type(*texts: str) -> str:
    """The first document type announced by the texts, tried in order (path, title, text)."""
    for text in texts:
        lowered = text.lower()
        for doc_type, pattern in DOC_TYPE_PATTERNS:
            if pattern.search(lowered):
                return doc_type
    return FALLBACK_DOC_TYPE


def infer_date(file_name: str, first_page: str) -> date | None:
    """A full date from the file name (2021-06-21), else the first date written on the
    first page (21 juni 2021, 21/06/2021, september 2023); a year-month name (2020-06) prefers a date in
    the text of that month, else the first of the month."""
    if match := _ISO_DATE.search(file_name):
        found = _safe_date(int(match[1] + match[2]), int(match[3]), int(match[4]))
        if found:
            return found
    in_text = _dates_in(first_page)
    if match := _YEAR_MONTH.search(file_name):
        year, month = int(match[1] + match[2]), int(match[3])
        same_month = [d for d in in_text if (d.year, d.month) == (year, month)]
        return same_month[0] if same_month else _safe_date(year, month, 1)
    return in_text[0] if in_text else None


def _dates_in(text: str) -> list[date]:
    found: list[tuple[int, date]] = []
    for match in _DUTCH_DATE.finditer(text):
        if parsed := _safe_date(int(match[3]), MONTHS[match[2].lower()], int(match[1])):
            found.append((match.start(), parsed))
    for match in _MONTH_YEAR.finditer(text):  # "versie september 2023": the first of the month
        if parsed := _safe_date(int(match[2]), MONTHS[match[1].lower()], 1):
            found.append((match.start(), parsed))
    for match in _NUMERIC_DATE.finditer(text):
        if parsed := _safe_date(int(match[3]), int(match[2]), int(match[1])):
            found.append((match.start(), parsed))
    return [d for _, d in sorted(found, key=lambda item: item[0])]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_in(name: str) -> int | None:
    match = _YEAR.search(name)
    return int(match[1] + match[2]) if match else None


def _first_page_text(parsed: ParsedDocument) -> str:
    first_page = parsed.blocks[0].page if parsed.blocks else None
    text = "\n".join(b.text for b in parsed.blocks if b.page == first_page)
    return text[:FIRST_PAGE_CHARS]


def _title_from_name(path: PurePosixPath) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:]


def _words(text: str) -> str:
    return re.sub(r"[-_/]+", " ", text)


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)
