"""Lines of a PDF page with their font size, weight and spacing, from pypdf.

pypdf's plain `extract_text()` loses fonts and breaks a line wherever a generator placed
words one by one (as justified text often is). Here the text fragments reported by
`extract_text(visitor_text=...)` are regrouped by baseline into real lines.
"""

import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject
from pypdf.errors import PyPdfError

from ingest.readers.cleanup import error_reason
from ingest.readers.layout import Line
from ingest.readers.patterns import has_heading_label

# pypdf reports malformed objects with its own errors but also with bare KeyError and
# ValueError; all of them mean "this part of the file is broken".
PDF_ERRORS = (PyPdfError, KeyError, ValueError)

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
# Fragments whose baselines differ by less than this share of the font size are on one
# line (superscripts such as footnote markers stay on their line).
_SAME_LINE_TOLERANCE = 0.5
# Space above a line beyond this many times its font size (or beyond this share of the
# page's usual line distance) separates paragraphs.
_GAP_FONT_RATIO = 1.5
_GAP_LEADING_RATIO = 1.25
# A top or bottom line repeated on at least this share of the pages is a running
# header or footer ("DVV Midwest - Afsprakennota 2024").
_RUNNING_LINE_SHARE = 0.5
_RUNNING_LINE_MIN_PAGES = 3


class UnreadablePage(Exception):
    """pypdf could not extract the text of a page; the message says why."""


@dataclass
class _LineBuilder:
    """Fragments of one line: their text and how many characters each font style set."""

    y: float
    parts: list[str] = field(default_factory=list)
    chars: Counter[tuple[float, bool]] = field(default_factory=Counter)

    def add(self, text: str, size: float, bold: bool, *, separate: bool) -> None:
        if separate and self.parts and not self.parts[-1].endswith(" ") and text[:1] != " ":
            self.parts.append(" ")
        self.parts.append(text)
        self.chars[(size, bold)] += len(text.strip())

    @property
    def style(self) -> tuple[float, bool]:
        """Font size and boldness of most of the line's characters."""
        return self.chars.most_common(1)[0][0]

    def line(self, gap_before: bool) -> Line:
        size, bold = self.style
        return Line("".join(self.parts), size=size, bold=bold, gap_before=gap_before)


def page_lines(page: PageObject) -> list[Line]:
    """The text lines of a page in content order, each with the size and weight of the
    font most of its characters are set in. Raises UnreadablePage for a broken page."""
    builders: list[_LineBuilder] = []
    pending_break = False

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        nonlocal pending_break
        scale, y = _vertical_scale_and_baseline(cm, tm)
        fragment = text.rstrip("\n").replace("\n", " ")
        if fragment.strip():
            effective = abs(size * scale) or size
            current = builders[-1] if builders else None
            if current is None or abs(current.y - y) > _SAME_LINE_TOLERANCE * effective:
                current = _LineBuilder(y)
                builders.append(current)
            current.add(fragment, effective, _is_bold(font), separate=pending_break)
            pending_break = False
        # pypdf ends a fragment with a newline when the next one is placed elsewhere; on
        # the same baseline that means separately placed words, so a space goes between.
        if text.endswith("\n"):
            pending_break = True

    try:
        page.extract_text(visitor_text=visit)
    except PDF_ERRORS as exc:
        raise UnreadablePage(error_reason(exc)) from exc
    builders = [builder for builder in builders if builder.chars]
    return _with_gaps(builders)


def drop_running_lines(pages: Sequence[list[Line]]) -> list[list[Line]]:
    """Pages without running headers and footers: a first or last line that recurs on
    most pages (numbers ignored, so "pagina 3" and "pagina 4" count as the same line).
    A line opening with a heading label ("Artikel 7.") is content even when every page
    starts with one."""
    if len(pages) < _RUNNING_LINE_MIN_PAGES:
        return [list(lines) for lines in pages]
    edge_counts: Counter[str | None] = Counter()
    for lines in pages:
        edge_counts.update({_running_key(line) for line in lines[:1] + lines[-1:]})
    threshold = max(_RUNNING_LINE_MIN_PAGES, _RUNNING_LINE_SHARE * len(pages))
    running = {key for key, count in edge_counts.items() if key and count >= threshold}
    result = []
    for lines in pages:
        kept = list(lines)
        if kept and _running_key(kept[0]) in running:
            kept = kept[1:]
        if kept and _running_key(kept[-1]) in running:
            kept = kept[:-1]
        result.append(kept)
    return result


def _with_gaps(builders: list[_LineBuilder]) -> list[Line]:
    """Lines with `gap_before` set where the space above a line is clearly wider than
    the page's usual line distance, or the text jumps up (a new column)."""
    distances = [above.y - below.y for above, below in zip(builders, builders[1:], strict=False)]
    positive = [distance for distance in distances if distance > 0]
    leading = statistics.median(positive) if positive else 0.0
    lines = [builders[0].line(gap_before=False)] if builders else []
    for above, builder, distance in zip(builders[:-1], builders[1:], distances, strict=True):
        size = max(above.style[0], builder.style[0])
        threshold = max(_GAP_FONT_RATIO * size, _GAP_LEADING_RATIO * leading)
        lines.append(builder.line(gap_before=distance < 0 or distance > threshold))
    return lines


def _vertical_scale_and_baseline(cm: list[float], tm: list[float]) -> tuple[float, float]:
    """The vertical scale and the baseline y of text drawn with text matrix `tm` under
    the current transformation `cm` (the text space to device space product)."""
    c = tm[2] * cm[0] + tm[3] * cm[2]
    d = tm[2] * cm[1] + tm[3] * cm[3]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    return math.hypot(c, d), y


def _is_bold(font: Any) -> bool:
    """True if the font's PostScript name says bold ("/Arial,Bold", "/ABCDEF+Calibri-Bold")."""
    if not font:
        return False
    return bool(_BOLD_FONT.search(str(font.get("/BaseFont", ""))))


def _running_key(line: Line) -> str | None:
    """The line's words with numbers masked and punctuation ignored (OCR reads a scanned
    header slightly differently on every page), or None for a line that is never page
    furniture."""
    if has_heading_label(line.text.strip()):
        return None
    return re.sub(r"[\W_]+", " ", re.sub(r"\d+", "0", line.text.lower())).strip() or None
