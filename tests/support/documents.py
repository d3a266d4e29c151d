"""Builders for the reader tests' fixture files: PDFs drawn line by line (so fonts,
spacing and line breaks are exactly what the test needs), scanned pages, Word files."""

import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_LEFT = 72.0
_TOP = A4[1] - 72.0


@dataclass(frozen=True)
class PdfLine:
    """One line to draw: its font, the extra space above it (a paragraph gap), and
    whether to place its words one by one with wide gaps, as justified text often is."""

    text: str
    size: float = 10.0
    bold: bool = False
    space_before: float = 0.0
    justify: bool = False


def write_pdf(
    path: Path,
    pages: list[list[PdfLine]],
    *,
    title: str | None = None,
    header: str | None = None,
    footer: bool = False,
) -> Path:
    """A text PDF, one list of lines per page; `header` is repeated at the top of every
    page and `footer` adds "Pagina N van M" at the bottom."""
    _register_fonts()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if title is not None:
        pdf.setTitle(title)
    for number, lines in enumerate(pages, start=1):
        y = _TOP
        if header is not None:
            pdf.setFont("DejaVuSans", 8)
            pdf.drawString(_LEFT, A4[1] - 40, header)
        for line in lines:
            y -= line.space_before + line.size * 1.2
            font = "DejaVuSans-Bold" if line.bold else "DejaVuSans"
            if line.justify:
                x = _LEFT
                for word in line.text.split():
                    pdf.setFont(font, line.size)
                    pdf.drawString(x, y, word)
                    x += pdf.stringWidth(word, font, line.size) + 3 * line.size
            else:
                pdf.setFont(font, line.size)
                pdf.drawString(_LEFT, y, line.text)
        if footer:
            pdf.setFont("DejaVuSans", 8)
            pdf.drawString(_LEFT, 40, f"Pagina {number} van {len(pages)}")
        pdf.showPage()
    pdf.save()
    return path


def _register_fonts() -> None:
    """Embed DejaVu (as word processors embed their fonts), so that bullets and accented
    letters come out of the PDF as the characters that went in."""
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(DEJAVU / f"{name}.ttf")))


def text_image(lines: list[str]) -> bytes:
    """A PNG of black text on white at scanner resolution, as a scanned page would hold."""
    font = ImageFont.truetype(str(DEJAVU / "DejaVuSans.ttf"), 40)
    image = Image.new("L", (1400, 120 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((80, 60 + 70 * index), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write_scanned_pdf(path: Path, pages: list[str | list[str]]) -> Path:
    """A PDF whose pages are either text (a str) or a scanned image of lines (a list)."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in pages:
        if isinstance(page, str):
            pdf.setFont("Helvetica", 11)
            pdf.drawString(_LEFT, _TOP, page)
        else:
            png = text_image(page)
            width, height = Image.open(io.BytesIO(png)).size
            shown_height = A4[0] * height / width
            top = A4[1] - shown_height
            pdf.drawImage(ImageReader(io.BytesIO(png)), 0, top, A4[0], shown_height)
        pdf.showPage()
    pdf.save()
    return path


def encrypt_pdf(source: Path, target: Path, password: str) -> Path:
    """An RC4-encrypted copy; an empty `password` only restricts editing and printing."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password="eigenaar")
    with target.open("wb") as file:
        writer.write(file)
    return target


def write_docx(path: Path) -> Path:
    """A Word agreement with a title, headings on two levels, list items and a table
    between two paragraphs."""
    document = Document()
    document.core_properties.title = "Afsprakennota archiefteam Kortevoorde"
    document.add_heading("Afsprakennota archiefteam", level=0)
    document.add_heading("Artikel 1. Voorwerp", level=1)
    document.add_paragraph("Kortevoorde gebruikt het archiefteam van DVV Midwest.")
    document.add_paragraph("Het team doet het volgende:")
    document.add_paragraph("ordenen van het dynamisch archief", style="List Bullet")
    document.add_paragraph("digitaliseren van bouwdossiers", style="List Number")
    document.add_heading("1.1 Inzet", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Gemeente", "VTE"), ("Ravelgem", "1,5"), ("Kortevoorde", "0,5")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_paragraph("Na de tabel volgt de ondertekening.")
    document.save(str(path))
    return path
