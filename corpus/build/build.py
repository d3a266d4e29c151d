"""Build the sample corpus from its sources.

Usage (from the repository root):

    .venv/bin/python corpus/build/build.py            # build every source
    .venv/bin/python corpus/build/build.py a- c-2021
    #   (builds only sources whose file name starts with a- or c-2021)
    .venv/bin/python corpus/build/build.py --check    # parse and lay out everything, write nothing
    .venv/bin/python corpus/build/build.py --clean    # also delete built files no source produces

Every document is one source file `corpus/build/src/<name>.md`: YAML front matter
(`output`, `format`, optional `title` and `sidecar`) and a small Markdown body
(`#`/`##`/`###` headings, paragraphs, `-` lists (indent two spaces for a second level),
`1.` numbered lists, `|` tables, **bold**, *italic*, and `<!-- pagebreak -->`).
The builder writes `corpus/<output>` in the requested format (pdf, scan-pdf, slides-pdf,
docx, md, html) and, when `sidecar:` is given, `corpus/<output>.meta.yaml`.

Output is deterministic: the same sources give byte-identical files (fixed PDF ids and
no dates in the PDF info, fixed DOCX core-property dates and zip timestamps, seeded scan
noise). A PDF page whose content does not fit on one A4 page is an error that names the
source and the page. scan-pdf needs `pdftoppm` (Debian package poppler-utils) at build
time only; the built files are committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "src"
CORPUS_DIR = HERE.parent

FORMATS = ("pdf", "scan-pdf", "slides-pdf", "docx", "md", "html")
SIDECAR_KEYS = {"title", "doc_type", "date", "status", "replaces", "groups", "beleidsdomein", "tags"}
DOC_TYPES = {
    "strategisch-plan",
    "knelpuntennota",
    "afsprakennota",
    "samenwerkingsovereenkomst",
    "notulen",
    "besluitenlijst",
    "onthaalbrochure",
    "regelgeving",
    "functiebeschrijving",
    "presentatie",
}
STATUSES = {"geldend", "ontwerp", "vervangen"}
DOMAINS = {
    "bestuur",
    "cultuur-en-erfgoed",
    "vrije-tijd",
    "mobiliteit",
    "ruimtelijke-ordening",
    "milieu-en-klimaat",
    "welzijn",
    "economie",
    "digitale-regio",
    "facility",
    "personeel",
}
ORGANISATION = "DVV Midwest"
BUILT_SUFFIXES = (".pdf", ".docx", ".md", ".html", ".meta.yaml")
FIXED_DATETIME = dt.datetime(2024, 1, 1, 9, 0, 0)


class BuildError(Exception):
    pass


# --------------------------------------------------------------------------- parsing


@dataclass
class Block:
    kind: str  # heading | paragraph | item | table | pagebreak
    text: str = ""
    level: int = 0  # heading depth, or list depth (1, 2)
    ordered: bool = False
    number: int = 0
    rows: list[list[str]] = field(default_factory=list)  # table: first row is the header


@dataclass
class Source:
    path: Path
    output: str
    format: str
    title: str | None
    sidecar: dict | None
    blocks: list[Block]

    @property
    def name(self) -> str:
        return self.path.name

    def pages(self) -> list[list[Block]]:
        pages: list[list[Block]] = [[]]
        for block in self.blocks:
            if block.kind == "pagebreak":
                pages.append([])
            else:
                pages[-1].append(block)
        return [page for page in pages if page] or [[]]

    def content_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kind != "pagebreak"]

    def running_title(self) -> str:
        if self.title:
            return self.title
        for block in self.blocks:
            if block.kind == "heading":
                return strip_inline(block.text)
        return ""


HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
ITEM = re.compile(r"^(\s*)[-*]\s+(.*)$")
NUMBERED = re.compile(r"^(\s*)(\d+)[.)]\s+(.*)$")
PAGEBREAK = re.compile(r"^<!--\s*pagebreak\s*-->$", re.I)
COMMENT = re.compile(r"^<!--.*-->$")
TABLE_SEP = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def parse_body(text: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    table: list[list[str]] | None = None

    def flush() -> None:
        nonlocal table
        if para:
            blocks.append(Block("paragraph", " ".join(para)))
            para.clear()
        if table is not None:
            blocks.append(Block("table", rows=table))
            table = None

    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if PAGEBREAK.match(stripped):
            flush()
            blocks.append(Block("pagebreak"))
            continue
        if COMMENT.match(stripped):
            continue
        if stripped.startswith("|"):
            if para:
                flush()
            if TABLE_SEP.match(stripped):
                continue
            if table is None:
                table = []
            table.append(split_row(stripped))
            continue
        if table is not None:
            flush()
        if m := HEADING.match(line):
            flush()
            blocks.append(Block("heading", m.group(2).strip(), level=len(m.group(1))))
        elif m := ITEM.match(line):
            flush()
            depth = 2 if len(m.group(1).expandtabs(4)) >= 2 else 1
            blocks.append(Block("item", m.group(2).strip(), level=depth))
        elif m := NUMBERED.match(line):
            flush()
            depth = 2 if len(m.group(1).expandtabs(4)) >= 2 else 1
            blocks.append(
                Block("item", m.group(3).strip(), level=depth, ordered=True, number=int(m.group(2)))
            )
        elif blocks and blocks[-1].kind == "item" and not para and raw.startswith("  "):
            blocks[-1].text += " " + stripped  # continuation of a list item
        else:
            para.append(stripped)
    flush()
    return blocks


def load_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\s*\n(.*?)\n---\s*\n(.*)$", text, re.S)
    if not m:
        raise BuildError(f"{path.name}: missing YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise BuildError(f"{path.name}: invalid front matter: {exc}") from exc
    unknown = set(meta) - {"output", "format", "title", "sidecar"}
    if unknown:
        raise BuildError(f"{path.name}: unknown front matter keys {sorted(unknown)}")
    output, fmt = meta.get("output"), meta.get("format")
    if not output or not isinstance(output, str):
        raise BuildError(f"{path.name}: 'output' is required")
    if output.startswith("/") or ".." in Path(output).parts or output.startswith("build/"):
        raise BuildError(f"{path.name}: 'output' must be a relative path under corpus/")
    if fmt not in FORMATS:
        raise BuildError(f"{path.name}: 'format' must be one of {', '.join(FORMATS)}")
    expected_ext = {
        "pdf": ".pdf",
        "scan-pdf": ".pdf",
        "slides-pdf": ".pdf",
        "docx": ".docx",
        "md": ".md",
        "html": ".html",
    }[fmt]
    if not output.endswith(expected_ext):
        raise BuildError(f"{path.name}: output of format {fmt} must end in {expected_ext}")
    sidecar = meta.get("sidecar")
    if sidecar is not None:
        check_sidecar(path.name, sidecar)
    title = meta.get("title")
    blocks = parse_body(m.group(2))
    if not any(b.kind != "pagebreak" for b in blocks):
        raise BuildError(f"{path.name}: empty body")
    return Source(path, output, fmt, str(title) if title else None, sidecar, blocks)


def check_sidecar(name: str, sidecar: object) -> None:
    if not isinstance(sidecar, dict):
        raise BuildError(f"{name}: 'sidecar' must be a mapping")
    unknown = set(sidecar) - SIDECAR_KEYS
    if unknown:
        raise BuildError(f"{name}: unknown sidecar keys {sorted(unknown)}")
    if "doc_type" in sidecar and sidecar["doc_type"] not in DOC_TYPES:
        raise BuildError(f"{name}: sidecar doc_type {sidecar['doc_type']!r} not in vocabulary")
    if "status" in sidecar and sidecar["status"] not in STATUSES:
        raise BuildError(f"{name}: sidecar status must be one of {sorted(STATUSES)}")
    for key in ("groups", "beleidsdomein", "tags"):
        if key in sidecar and not isinstance(sidecar[key], list):
            raise BuildError(f"{name}: sidecar {key} must be a list")
    for domain in sidecar.get("beleidsdomein") or []:
        if domain not in DOMAINS:
            raise BuildError(f"{name}: unknown beleidsdomein {domain!r}")
    if "date" in sidecar:
        value = sidecar["date"]
        if isinstance(value, dt.date):
            sidecar["date"] = value.isoformat()
        elif not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            raise BuildError(f"{name}: sidecar date must be YYYY-MM-DD")


# --------------------------------------------------------------------------- inline markup

INLINE_BOLD = re.compile(r"\*\*(.+?)\*\*")
INLINE_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def strip_inline(text: str) -> str:
    return INLINE_ITALIC.sub(r"\1", INLINE_BOLD.sub(r"\1", text))


def inline_markup(text: str, bold: str = "b", italic: str = "i") -> str:
    """Escape text and turn **bold** / *italic* into tags (reportlab and HTML)."""
    escaped = html.escape(text, quote=False)
    escaped = INLINE_BOLD.sub(rf"<{bold}>\1</{bold}>", escaped)
    return INLINE_ITALIC.sub(rf"<{italic}>\1</{italic}>", escaped)


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """Split text into (text, bold, italic) runs for DOCX."""
    runs: list[tuple[str, bool, bool]] = []
    for i, part in enumerate(INLINE_BOLD.split(text)):
        bold = i % 2 == 1
        for j, sub in enumerate(INLINE_ITALIC.split(part)):
            if sub:
                runs.append((sub, bold, j % 2 == 1))
    return runs


# --------------------------------------------------------------------------- PDF (reportlab)

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.pdfbase import pdfdoc, pdfmetrics  # noqa: E402
from reportlab.pdfbase.pdfmetrics import registerFontFamily  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)


def _info_format(self, document):
    """PDF info without dates and without empty fields (reportlab writes 'untitled')."""
    entries = {
        "Title": self.title,
        "Author": self.author,
        "Subject": self.subject,
        "Keywords": self.keywords,
        "Creator": self.creator,
        "Producer": self.producer,
    }
    d = {k: pdfdoc.PDFString(v) for k, v in entries.items() if v}
    return pdfdoc.PDFDictionary(d).format(document)


pdfdoc.PDFInfo.format = _info_format

# Embedded DejaVu fonts (Debian fonts-dejavu-core): full Unicode and a ToUnicode map, so text
# extracts cleanly (the base-14 fonts turn bullets into junk for pypdf).
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
BASE, BOLD, ITALIC, BOLDITALIC = (
    "DejaVuSans",
    "DejaVuSans-Bold",
    "DejaVuSans-Oblique",
    "DejaVuSans-BoldOblique",
)
for _name in (BASE, BOLD, ITALIC, BOLDITALIC):
    _file = FONT_DIR / f"{_name}.ttf"
    if not _file.exists():
        raise SystemExit(f"font {_file} missing: apt-get install fonts-dejavu-core")
    pdfmetrics.registerFont(TTFont(_name, str(_file)))
registerFontFamily(BASE, normal=BASE, bold=BOLD, italic=ITALIC, boldItalic=BOLDITALIC)

DARK = colors.HexColor("#1f3a5f")
GREY = colors.HexColor("#666666")
LIGHT = colors.HexColor("#e8edf3")

DOC_STYLES = {
    "body": ParagraphStyle(
        "body", fontName=BASE, fontSize=11, leading=14.6, alignment=TA_JUSTIFY, spaceAfter=6
    ),
    "h1": ParagraphStyle(
        "h1",
        fontName=BOLD,
        fontSize=17,
        leading=21,
        spaceBefore=4,
        spaceAfter=10,
        textColor=DARK,
        alignment=TA_LEFT,
    ),
    "h2": ParagraphStyle(
        "h2", fontName=BOLD, fontSize=13.5, leading=17, spaceBefore=10, spaceAfter=5, textColor=DARK
    ),
    "h3": ParagraphStyle("h3", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=3),
    "item1": ParagraphStyle(
        "item1",
        fontName=BASE,
        fontSize=11,
        leading=14.6,
        alignment=TA_LEFT,
        leftIndent=18,
        bulletIndent=6,
        spaceAfter=2.5,
        bulletFontName=BASE,
    ),
    "cell": ParagraphStyle("cell", fontName=BASE, fontSize=9.5, leading=12, alignment=TA_LEFT),
    "headcell": ParagraphStyle("headcell", fontName=BOLD, fontSize=9.5, leading=12, alignment=TA_LEFT),
}
DOC_STYLES["item2"] = ParagraphStyle("item2", parent=DOC_STYLES["item1"], leftIndent=36, bulletIndent=24)

SLIDE_STYLES = {
    "body": ParagraphStyle("sbody", fontName=BASE, fontSize=18, leading=24, spaceAfter=8),
    "h1": ParagraphStyle("sh1", fontName=BOLD, fontSize=28, leading=34, spaceAfter=18, textColor=DARK),
    "h2": ParagraphStyle(
        "sh2", fontName=BOLD, fontSize=22, leading=28, spaceBefore=6, spaceAfter=10, textColor=DARK
    ),
    "h3": ParagraphStyle("sh3", fontName=BOLD, fontSize=19, leading=25, spaceBefore=4, spaceAfter=6),
    "item1": ParagraphStyle(
        "sitem1",
        fontName=BASE,
        fontSize=19,
        leading=25,
        leftIndent=28,
        bulletIndent=6,
        spaceAfter=7,
        bulletFontName=BASE,
        bulletFontSize=19,
    ),
    "cell": ParagraphStyle("scell", fontName=BASE, fontSize=14, leading=18),
    "headcell": ParagraphStyle("sheadcell", fontName=BOLD, fontSize=14, leading=18),
    "cover": ParagraphStyle(
        "cover", fontName=BOLD, fontSize=38, leading=46, alignment=TA_CENTER, textColor=DARK, spaceAfter=24
    ),
    "coversub": ParagraphStyle(
        "coversub", fontName=BASE, fontSize=20, leading=26, alignment=TA_CENTER, spaceAfter=10
    ),
}
SLIDE_STYLES["item2"] = ParagraphStyle(
    "sitem2",
    parent=SLIDE_STYLES["item1"],
    fontSize=17,
    leading=22,
    leftIndent=60,
    bulletIndent=40,
    spaceAfter=5,
    bulletFontSize=17,
)


@dataclass
class Layout:
    pagesize: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float
    styles: dict
    slides: bool = False

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - self.top - self.bottom

    def frame(self) -> Frame:
        return Frame(
            self.left,
            self.bottom,
            self.frame_width,
            self.frame_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )


DOC_LAYOUT = Layout(A4, 2.2 * cm, 2.2 * cm, 2.6 * cm, 2.4 * cm, DOC_STYLES)
SLIDE_LAYOUT = Layout(landscape(A4), 2.0 * cm, 2.0 * cm, 1.8 * cm, 2.0 * cm, SLIDE_STYLES, slides=True)


def table_flowable(rows: list[list[str]], layout: Layout) -> Table:
    styles = layout.styles
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    weights = []
    for c in range(ncols):
        longest = max(len(strip_inline(r[c])) for r in rows)
        weights.append(min(max(longest, 6), 60))
    total = sum(weights)
    widths = [layout.frame_width * w / total for w in weights]
    data = [
        [Paragraph(inline_markup(cell), styles["headcell" if i == 0 else "cell"]) for cell in row]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=widths, repeatRows=0, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    table.spaceBefore, table.spaceAfter = 4, 8
    return table


def page_flowables(page: list[Block], layout: Layout) -> list:
    styles = layout.styles
    if (
        layout.slides
        and page
        and all(b.kind in ("heading", "paragraph") for b in page)
        and len(page) <= 3
        and page[0].kind == "heading"
    ):
        # cover / section slide: centred big title, optional subtitle lines
        out: list = [Spacer(1, layout.frame_height * 0.28)]
        out.append(Paragraph(inline_markup(page[0].text), styles["cover"]))
        out += [Paragraph(inline_markup(b.text), styles["coversub"]) for b in page[1:]]
        return out
    out = []
    for block in page:
        if block.kind == "heading":
            out.append(Paragraph(inline_markup(block.text), styles[f"h{block.level}"]))
        elif block.kind == "paragraph":
            out.append(Paragraph(inline_markup(block.text), styles["body"]))
        elif block.kind == "item":
            bullet = f"{block.number}." if block.ordered else ("\u2022" if block.level == 1 else "\u2013")
            out.append(Paragraph(inline_markup(block.text), styles[f"item{block.level}"], bulletText=bullet))
        elif block.kind == "table":
            out.append(table_flowable(block.rows, layout))
    return out


def check_fit(source: Source, layout: Layout) -> int:
    """Lay out every page alone in one frame; fail if anything is left over."""
    scratch = rl_canvas.Canvas(io.BytesIO(), pagesize=layout.pagesize, invariant=1)
    pages = source.pages()
    for no, page in enumerate(pages, start=1):
        flowables = page_flowables(page, layout)
        frame = layout.frame()
        frame.addFromList(flowables, scratch)
        if flowables:
            first = flowables[0]
            what = getattr(first, "text", None) or type(first).__name__
            raise BuildError(
                f"{source.name}: page {no} does not fit on one page "
                f"({len(flowables)} block(s) left over, starting with: {str(what)[:70]!r}); "
                "shorten it or add a <!-- pagebreak -->"
            )
    return len(pages)


class _Counter:
    def __init__(self) -> None:
        self.pages = 0


def render_pdf(source: Source, layout: Layout, title: str | None) -> tuple[bytes, int]:
    expected = check_fit(source, layout)
    buf = io.BytesIO()
    running = source.running_title()
    counter = _Counter()

    def decorate(canv, doc):
        counter.pages += 1
        width, height = layout.pagesize
        canv.saveState()
        canv.setFillColor(GREY)
        if layout.slides:
            canv.setFillColor(DARK)
            canv.rect(0, height - 0.55 * cm, width, 0.55 * cm, stroke=0, fill=1)
            canv.setFillColor(GREY)
            canv.setFont(BASE, 10)
            canv.drawString(layout.left, 0.9 * cm, "www.midwest.be")
            canv.drawRightString(width - layout.right, 0.9 * cm, str(doc.page))
        else:
            canv.setFont(BASE, 8.5)
            canv.drawString(layout.left, height - 1.5 * cm, running[:110])
            canv.drawRightString(width - layout.right, height - 1.5 * cm, ORGANISATION)
            canv.setStrokeColor(colors.HexColor("#b8c2cc"))
            canv.setLineWidth(0.5)
            canv.line(layout.left, height - 1.7 * cm, width - layout.right, height - 1.7 * cm)
            canv.drawRightString(width - layout.right, 1.3 * cm, f"pagina {doc.page}")
        canv.restoreState()

    doc = BaseDocTemplate(
        buf,
        pagesize=layout.pagesize,
        leftMargin=layout.left,
        rightMargin=layout.right,
        topMargin=layout.top,
        bottomMargin=layout.bottom,
        invariant=1,
        title=title or "",
        author=ORGANISATION,
        creator=ORGANISATION,
        subject="",
        keywords="",
        producer="ReportLab PDF Library",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[layout.frame()], onPage=decorate)])
    story: list = []
    for i, page in enumerate(source.pages()):
        if i:
            story.append(PageBreak())
        story += page_flowables(page, layout)
    doc.build(story)
    if counter.pages != expected:
        raise BuildError(f"{source.name}: expected {expected} pages, reportlab made {counter.pages}")
    return buf.getvalue(), expected


# --------------------------------------------------------------------------- scan-pdf


def render_scan(source: Source) -> tuple[bytes, int]:
    from PIL import Image, ImageDraw, ImageFilter
    from reportlab.lib.utils import ImageReader

    if not shutil.which("pdftoppm"):
        raise BuildError("scan-pdf needs pdftoppm: apt-get install poppler-utils")
    clean, pages = render_pdf(source, DOC_LAYOUT, None)
    seed = int(hashlib.sha256(source.output.encode()).hexdigest()[:12], 16)
    rng = random.Random(seed)
    out = io.BytesIO()
    canv = rl_canvas.Canvas(out, pagesize=A4, invariant=1)
    canv.setAuthor("")
    canv.setCreator("")
    canv.setProducer("Scanner")
    if source.title:
        canv.setTitle(source.title)
    else:
        canv.setTitle("")
    canv.setSubject("")
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = Path(tmp) / "clean.pdf"
        pdf_path.write_bytes(clean)
        subprocess.run(
            ["pdftoppm", "-r", "200", "-gray", "-png", str(pdf_path), str(Path(tmp) / "p")], check=True
        )
        images = sorted(Path(tmp).glob("p-*.png"))
        if len(images) != pages:
            raise BuildError(f"{source.name}: pdftoppm made {len(images)} images for {pages} pages")
        for img_path in images:
            img = Image.open(img_path).convert("L")
            img = img.rotate(rng.uniform(-0.6, 0.6), resample=Image.BICUBIC, expand=False, fillcolor=255)
            img = img.point(lambda v: int(18 + v * 0.90))  # greyish paper, softer black
            draw = ImageDraw.Draw(img)
            w, h = img.size
            for _ in range(350):  # dust specks
                x, y = rng.randrange(w), rng.randrange(h)
                r = rng.choice((1, 1, 1, 2))
                draw.ellipse((x, y, x + r, y + r), fill=rng.randrange(60, 170))
            img = img.filter(ImageFilter.GaussianBlur(0.5))
            jpeg = io.BytesIO()
            img.save(jpeg, "JPEG", quality=72, optimize=False)
            jpeg.seek(0)
            canv.drawImage(ImageReader(jpeg), 0, 0, width=A4[0], height=A4[1])
            canv.showPage()
    canv.save()
    return out.getvalue(), pages


# --------------------------------------------------------------------------- DOCX


def render_docx(source: Source) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    numbered_counter = 0

    def add_runs(paragraph, text: str) -> None:
        for part, bold, italic in inline_runs(text):
            run = paragraph.add_run(part)
            run.bold = bold or None
            run.italic = italic or None

    for block in source.content_blocks():
        if block.kind == "heading":
            paragraph = document.add_heading(level=block.level)
            add_runs(paragraph, block.text)
        elif block.kind == "paragraph":
            add_runs(document.add_paragraph(), block.text)
        elif block.kind == "item":
            if block.ordered:
                numbered_counter += 1
                style = "List Number" if block.level == 1 else "List Number 2"
            else:
                style = "List Bullet" if block.level == 1 else "List Bullet 2"
            add_runs(document.add_paragraph(style=style), block.text)
        elif block.kind == "table":
            rows = block.rows
            ncols = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=ncols)
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for j in range(ncols):
                    cell = table.cell(i, j)
                    cell.text = ""
                    text = row[j] if j < len(row) else ""
                    add_runs(cell.paragraphs[0], f"**{text}**" if i == 0 and text else text)
            document.add_paragraph()

    props = document.core_properties
    props.title = source.title or ""
    props.author = ORGANISATION
    props.last_modified_by = ORGANISATION
    props.subject = ""
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.last_printed = FIXED_DATETIME
    buf = io.BytesIO()
    document.save(buf)
    return normalise_zip(buf.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so identical content gives identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- Markdown / HTML


def render_md(source: Source) -> str:
    lines: list[str] = []
    previous = None
    for block in source.content_blocks():
        if previous == "item" and block.kind != "item":
            lines.append("")
        if block.kind == "heading":
            lines += ["#" * block.level + " " + block.text, ""]
        elif block.kind == "paragraph":
            lines += [block.text, ""]
        elif block.kind == "item":
            indent = "   " * (block.level - 1)
            marker = f"{block.number}." if block.ordered else "-"
            lines.append(f"{indent}{marker} {block.text}")
        elif block.kind == "table":
            header, *body = block.rows
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "|".join(" --- " for _ in header) + "|")
            lines += ["| " + " | ".join(row) + " |" for row in body]
            lines.append("")
        previous = block.kind
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{title_tag}<style>
body {{ font-family: Arial, Helvetica, sans-serif; margin: 0; color: #222; }}
header, footer {{ background: #1f3a5f; color: #fff; padding: 12px 24px; }}
nav a {{ color: #fff; margin-right: 16px; text-decoration: none; }}
main {{ max-width: 860px; margin: 24px auto; padding: 0 24px; line-height: 1.5; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #9aa5b1; padding: 4px 8px; }}
</style>
<script>
  window.dataLayer = window.dataLayer || [];
  function trackPage() {{ window.dataLayer.push({{event: "pageview", site: "intranet"}}); }}
  document.addEventListener("DOMContentLoaded", trackPage);
</script>
</head>
<body>
<header>
  <div class="site-name">Intranet DVV Midwest</div>
  <nav>
    <a href="/">Start</a>
    <a href="/nieuws">Nieuws</a>
    <a href="/documenten">Documentplatform</a>
    <a href="/personeel">Personeel</a>
    <a href="/faq">Veelgestelde vragen</a>
    <a href="/contact">Contact</a>
  </nav>
</header>
<main>
{body}
</main>
<footer>
  <p>DVV Midwest &middot; Midwestplein 1, 8800 Ravelgem &middot; info@midwest.be &middot; www.midwest.be</p>
  <p><a href="/privacy">Privacyverklaring</a> &middot; <a href="/cookies">Cookies</a></p>
</footer>
</body>
</html>
"""


def render_html(source: Source) -> str:
    parts: list[str] = []
    open_list: list[str] = []  # stack of "ul"/"ol" currently open

    def close_lists(depth: int = 0) -> None:
        while len(open_list) > depth:
            parts.append(f"</li>\n</{open_list.pop()}>")

    for block in source.content_blocks():
        if block.kind == "item":
            tag = "ol" if block.ordered else "ul"
            if len(open_list) >= block.level and open_list[block.level - 1] != tag:
                close_lists(block.level - 1)  # switching between ul and ol at this level
            if len(open_list) >= block.level:
                close_lists(block.level)
                parts.append("</li>")
            while len(open_list) < block.level:
                parts.append(f"<{tag}>")
                open_list.append(tag)
            parts.append(f"<li>{inline_markup(block.text, 'strong', 'em')}")
            continue
        close_lists()
        if block.kind == "heading":
            text = inline_markup(block.text, "strong", "em")
            parts.append(f"<h{block.level}>{text}</h{block.level}>")
        elif block.kind == "paragraph":
            parts.append(f"<p>{inline_markup(block.text, 'strong', 'em')}</p>")
        elif block.kind == "table":
            cells = [[inline_markup(c, "strong", "em") for c in row] for row in block.rows]
            rows = ["<tr>" + "".join(f"<th>{c}</th>" for c in cells[0]) + "</tr>"]
            rows += ["<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in cells[1:]]
            parts.append("<table>\n" + "\n".join(rows) + "\n</table>")
    close_lists()
    body = "\n".join(parts)
    title_tag = f"<title>{html.escape(source.title)}</title>\n" if source.title else ""
    return HTML_TEMPLATE.format(title_tag=title_tag, body=body)


# --------------------------------------------------------------------------- driver


def build(source: Source) -> tuple[dict[str, bytes], str]:
    """Return {relative path: bytes} for a source and a short description."""
    fmt = source.format
    if fmt == "pdf":
        data, pages = render_pdf(source, DOC_LAYOUT, source.title)
        desc = f"{pages} p."
    elif fmt == "slides-pdf":
        data, pages = render_pdf(source, SLIDE_LAYOUT, source.title)
        desc = f"{pages} slides"
    elif fmt == "scan-pdf":
        data, pages = render_scan(source)
        desc = f"{pages} p. scan"
    elif fmt == "docx":
        data, desc = render_docx(source), "docx"
    elif fmt == "md":
        data, desc = render_md(source).encode("utf-8"), "md"
    else:
        data, desc = render_html(source).encode("utf-8"), "html"
    files = {source.output: data}
    if source.sidecar:
        files[source.output + ".meta.yaml"] = yaml.safe_dump(
            source.sidecar, allow_unicode=True, sort_keys=False, default_flow_style=None
        ).encode("utf-8")
    return files, desc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the sample corpus from corpus/build/src.")
    parser.add_argument("only", nargs="*", help="build only sources whose file name starts with one of these")
    parser.add_argument("--check", action="store_true", help="parse and lay out, write nothing")
    parser.add_argument("--src", type=Path, default=SRC_DIR, help="source folder (default: build/src)")
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help="output folder (default: corpus/)")
    parser.add_argument(
        "--clean", action="store_true", help="delete files under corpus/ that no source produces"
    )
    args = parser.parse_args(argv)

    paths = sorted(args.src.glob("*.md"))
    if args.only:
        paths = [p for p in paths if p.name.startswith(tuple(args.only))]
    errors: list[str] = []
    outputs: dict[str, str] = {}
    written = 0
    for path in paths:
        try:
            source = load_source(path)
            if source.output in outputs:
                raise BuildError(
                    f"{path.name}: output {source.output} also produced by {outputs[source.output]}"
                )
            outputs[source.output] = path.name
            files, desc = build(source)
        except BuildError as exc:
            errors.append(str(exc))
            print(f"FAIL  {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # a bug or a library error: still name the source
            errors.append(f"{path.name}: {type(exc).__name__}: {exc}")
            print(f"FAIL  {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        for rel, data in files.items():
            target = args.out / rel
            if not args.check:
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists() or target.read_bytes() != data:
                    target.write_bytes(data)
                    written += 1
        print(f"ok    {source.output} ({desc})")

    if args.clean and not args.only and not errors:
        produced = set(outputs) | {o + ".meta.yaml" for o in outputs}
        for path in sorted(args.out.rglob("*")):
            rel = path.relative_to(args.out).as_posix()
            # only built-looking files; never build/, README.md or hidden files (.kennisbankignore)
            if (
                path.is_file()
                and not rel.startswith("build/")
                and rel != "README.md"
                and not any(part.startswith(".") for part in Path(rel).parts)
                and rel.endswith(BUILT_SUFFIXES)
                and rel not in produced
            ):
                print(f"del   {rel}")
                if not args.check:
                    path.unlink()
    verb = "checked" if args.check else f"built ({written} file(s) changed)"
    print(f"{len(paths) - len(errors)}/{len(paths)} sources {verb}")
    if errors:
        print(f"{len(errors)} error(s):", file=sys.stderr)
        for err in errors:
            print(f"  {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
