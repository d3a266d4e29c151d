"""Readers: what a user sees of a document after it is read, and why a file is refused."""

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE

from ingest.model import Block, ParsedDocument, UnreadableDocument
from ingest.readers import SUPPORTED_SUFFIXES, read_document
from tests.support.documents import (
    PdfLine,
    encrypt_pdf,
    write_docx,
    write_pdf,
    write_scanned_pdf,
)

HAS_TESSERACT = shutil.which("tesseract") is not None
needs_tesseract = pytest.mark.skipif(
    not HAS_TESSERACT, reason="tesseract is not installed (apt-get install tesseract-ocr-nld)"
)


def agreement_pages() -> list[list[PdfLine]]:
    """Three pages of an afsprakennota: a title in a large font, justified text, a word
    hyphenated at a line end, an article, list items, a numbered section, a heading in
    capitals and one in a medium font."""
    return [
        [
            PdfLine("Afsprakennota archiefteam", size=20, bold=True),
            PdfLine("De gemeenten Ravelgem en Kortevoorde delen", space_before=10, justify=True),
            PdfLine("een archiefteam in een vorm van intergemeentelijke samen-"),
            PdfLine("werking binnen DVV Midwest in de provincie West-"),
            PdfLine("Vlaanderen. Het team telt vier archivarissen."),
            PdfLine("Artikel 5. Kostenverdeling", bold=True, space_before=8),
            PdfLine("De kosten worden verdeeld volgens het aantal inwoners:", space_before=6),
            PdfLine("• Ravelgem betaalt 60 procent;"),
            PdfLine("• Kortevoorde betaalt 40 procent."),
            PdfLine("a) de facturen volgen per kwartaal."),
        ],
        [
            PdfLine("3. Personeel"),
            PdfLine("Het archiefteam wordt aangestuurd door Bart Lannoo.", space_before=6),
            PdfLine("BIJLAGEN", space_before=8),
            PdfLine("Een overzicht van de dossiers volgt later.", space_before=6),
        ],
        [
            PdfLine("Ondertekening", size=14, bold=True),
            PdfLine("Opgemaakt te Ravelgem op 14 maart 2024.", space_before=6),
        ],
    ]


@pytest.fixture()
def agreement_pdf(tmp_path: Path) -> Path:
    return write_pdf(
        tmp_path / "afsprakennota.pdf",
        agreement_pages(),
        title="Afsprakennota archiefteam 2024",
        header="Afsprakennota archief - versie 12 maart 2024",
        footer=True,
    )


def block_with(document: ParsedDocument, words: str) -> Block:
    matches = [block for block in document.blocks if words in block.text]
    assert matches, f"no block contains {words!r}: {[b.text for b in document.blocks]}"
    return matches[0]


# --- PDF -------------------------------------------------------------------------------


def test_pdf_blocks_carry_their_real_one_based_page(agreement_pdf: Path) -> None:
    document = read_document(agreement_pdf)

    assert document.page_count == 3
    assert block_with(document, "vier archivarissen").page == 1
    assert block_with(document, "aangestuurd door Bart Lannoo").page == 2
    assert block_with(document, "Opgemaakt te Ravelgem").page == 3
    assert all(block.page in (1, 2, 3) for block in document.blocks)


def test_pdf_title_comes_from_metadata_else_from_first_heading(agreement_pdf: Path, tmp_path: Path) -> None:
    assert read_document(agreement_pdf).title == "Afsprakennota archiefteam 2024"

    untitled = write_pdf(tmp_path / "zonder-titel.pdf", agreement_pages(), title="untitled")
    assert read_document(untitled).title == "Afsprakennota archiefteam"


def test_pdf_headings_are_found_by_font_size_and_wording(agreement_pdf: Path) -> None:
    document = read_document(agreement_pdf)
    headings = {block.text: block.level for block in document.blocks if block.kind == "heading"}

    assert headings["Afsprakennota archiefteam"] == 1
    # Bigger font, higher level; body-size headings found by wording nest below.
    assert headings["Ondertekening"] == 2
    assert headings["Ondertekening"] < headings["Artikel 5. Kostenverdeling"]
    assert "3. Personeel" in headings
    assert "BIJLAGEN" in headings
    assert block_with(document, "Het archiefteam wordt aangestuurd").kind == "paragraph"


def test_pdf_justified_and_hyphenated_lines_become_one_clean_paragraph(
    agreement_pdf: Path,
) -> None:
    paragraph = block_with(read_document(agreement_pdf), "Ravelgem en Kortevoorde")

    assert paragraph.text == (
        "De gemeenten Ravelgem en Kortevoorde delen een archiefteam in een vorm van "
        "intergemeentelijke samenwerking binnen DVV Midwest in de provincie "
        "West-Vlaanderen. Het team telt vier archivarissen."
    )


def test_pdf_list_items_lose_bullets_but_keep_enumerators(agreement_pdf: Path) -> None:
    document = read_document(agreement_pdf)
    items = [block.text for block in document.blocks if block.kind == "list_item"]

    assert items == [
        "Ravelgem betaalt 60 procent;",
        "Kortevoorde betaalt 40 procent.",
        "a) de facturen volgen per kwartaal.",
    ]
    assert block_with(document, "volgens het aantal inwoners").kind == "paragraph"


def test_pdf_article_paragraph_opening_line_is_not_taken_for_a_heading(tmp_path: Path) -> None:
    """Regression: "Artikel 1. Toepassingsgebied. Het decreet ... sinds 2019" is short and
    ends without punctuation because the sentence wraps; it was read as a heading and cut
    the article's paragraph in two."""
    pdf = write_pdf(
        tmp_path / "nota.pdf",
        [
            [
                PdfLine("Artikel 1. Toepassingsgebied. Het decreet bundelt sinds 2019"),
                PdfLine("de regels voor gemeenten en hun samenwerkingsverbanden."),
            ]
        ],
    )

    [block] = read_document(pdf).blocks

    assert block.kind == "paragraph"
    assert block.text.endswith("sinds 2019 de regels voor gemeenten en hun samenwerkingsverbanden.")


def test_pdf_bullets_touching_their_text_and_table_rows_become_separate_blocks(
    tmp_path: Path,
) -> None:
    pdf = write_pdf(
        tmp_path / "overeenkomst.pdf",
        [
            [
                PdfLine("Het archiefteam ondersteunt de gemeenten en hun OCMW's bij de volgende taken:"),
                PdfLine("•het ordenen van het papieren archief;"),
                PdfLine("•de digitalisering van de bouwdossiers.", space_before=0),
                PdfLine("Gemeente Uren per week", bold=True, space_before=8),
                PdfLine("Lindegem 12"),
                PdfLine("Molenhove 10"),
            ]
        ],
    )

    blocks = read_document(pdf).blocks

    assert [(block.kind, block.text) for block in blocks[1:]] == [
        ("list_item", "het ordenen van het papieren archief;"),
        ("list_item", "de digitalisering van de bouwdossiers."),
        ("heading", "Gemeente Uren per week"),
        ("paragraph", "Lindegem 12"),
        ("paragraph", "Molenhove 10"),
    ]


def test_pdf_running_headers_and_page_footers_are_not_indexed(agreement_pdf: Path) -> None:
    text = read_document(agreement_pdf).text

    assert "versie 12 maart" not in text
    assert "Pagina" not in text


def test_word_hyphenated_over_a_page_break_is_joined_on_the_first_page(tmp_path: Path) -> None:
    pdf = write_pdf(
        tmp_path / "nota.pdf",
        [
            [PdfLine("Het archiefteam zorgt voor een goede samen-")],
            [PdfLine("werking met de gemeenten. Dat blijkt uit de evaluatie.")],
        ],
    )

    blocks = read_document(pdf).blocks

    assert [(block.page, block.text) for block in blocks] == [
        (1, "Het archiefteam zorgt voor een goede samenwerking"),
        (2, "met de gemeenten. Dat blijkt uit de evaluatie."),
    ]


def test_pdf_without_text_or_images_is_refused(tmp_path: Path) -> None:
    blank = write_pdf(tmp_path / "leeg.pdf", [[], []])

    with pytest.raises(UnreadableDocument, match="PDF contains no text"):
        read_document(blank)


def test_pdf_encrypted_only_against_editing_is_read(agreement_pdf: Path, tmp_path: Path) -> None:
    restricted = encrypt_pdf(agreement_pdf, tmp_path / "beperkt.pdf", password="")

    assert read_document(restricted).page_count == 3


def test_password_protected_pdf_is_refused_with_that_reason(agreement_pdf: Path, tmp_path: Path) -> None:
    locked = encrypt_pdf(agreement_pdf, tmp_path / "beveiligd.pdf", "geheim")

    with pytest.raises(UnreadableDocument, match="password-protected"):
        read_document(locked)


def test_truncated_pdf_is_refused_as_damaged(agreement_pdf: Path, tmp_path: Path) -> None:
    data = agreement_pdf.read_bytes()
    truncated = tmp_path / "afgebroken.pdf"
    truncated.write_bytes(data[: len(data) // 2])

    with pytest.raises(UnreadableDocument, match="damaged or incomplete") as caught:
        read_document(truncated)
    assert "\n" not in str(caught.value)


def test_file_that_is_not_a_pdf_is_refused_as_damaged(tmp_path: Path) -> None:
    fake = tmp_path / "nota.pdf"
    fake.write_text("Dit is geen PDF maar gewone tekst.")

    with pytest.raises(UnreadableDocument, match="damaged"):
        read_document(fake)


# --- scanned PDF pages -----------------------------------------------------------------


def scanned_minutes(tmp_path: Path) -> Path:
    return write_scanned_pdf(
        tmp_path / "verslag.pdf",
        [
            "Verslag van de Raad van Bestuur van 12 maart 2024.",
            ["De raad keurt de begroting goed."],
            ["Het archiefteam telt vier archivarissen."],
        ],
    )


def test_scanned_pages_without_tesseract_are_named_in_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)

    document = read_document(scanned_minutes(tmp_path))

    assert [block.page for block in document.blocks] == [1]
    [warning] = document.warnings
    assert warning.startswith("pages 2-3 have no text layer and tesseract is not installed")
    assert "apt-get install tesseract-ocr tesseract-ocr-nld" in warning
    assert "not indexed" in warning


def test_fully_scanned_pdf_without_tesseract_is_refused_with_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    scan = write_scanned_pdf(tmp_path / "scan.pdf", [["De raad keurt de begroting goed."]])

    with pytest.raises(UnreadableDocument, match="tesseract-ocr-nld"):
        read_document(scan)


@needs_tesseract
def test_scanned_pages_are_read_with_ocr_on_their_own_page(tmp_path: Path) -> None:
    document = read_document(scanned_minutes(tmp_path))

    assert document.warnings == []
    assert "begroting" in block_with(document, "keurt").text
    assert block_with(document, "keurt").page == 2
    assert block_with(document, "archivarissen").page == 3


@needs_tesseract
def test_ocr_falls_back_to_english_when_the_language_pack_is_missing(tmp_path: Path) -> None:
    scan = write_scanned_pdf(tmp_path / "scan.pdf", [["De raad keurt de begroting goed."]])

    document = read_document(scan, ocr_language="fry")

    assert "begroting" in document.text
    [warning] = document.warnings
    assert "tesseract-ocr-fry" in warning and "'eng'" in warning


# --- Word ------------------------------------------------------------------------------


def test_docx_headings_lists_and_table_rows_in_document_order(tmp_path: Path) -> None:
    document = read_document(write_docx(tmp_path / "afsprakennota.docx"))

    assert [(block.kind, block.level, block.text) for block in document.blocks] == [
        ("heading", 1, "Afsprakennota archiefteam"),
        ("heading", 1, "Artikel 1. Voorwerp"),
        ("paragraph", 0, "Kortevoorde gebruikt het archiefteam van DVV Midwest."),
        ("paragraph", 0, "Het team doet het volgende:"),
        ("list_item", 0, "ordenen van het dynamisch archief"),
        ("list_item", 0, "digitaliseren van bouwdossiers"),
        ("heading", 2, "1.1 Inzet"),
        ("table", 0, "Gemeente: Ravelgem; VTE: 1,5"),
        ("table", 0, "Gemeente: Kortevoorde; VTE: 0,5"),
        ("paragraph", 0, "Na de tabel volgt de ondertekening."),
    ]
    assert document.title == "Afsprakennota archiefteam Kortevoorde"
    assert all(block.page is None for block in document.blocks)


def test_docx_dutch_style_names_and_table_without_header(tmp_path: Path) -> None:
    word = Document()
    word.styles.add_style("Kop 2", WD_STYLE_TYPE.PARAGRAPH)
    word.add_paragraph("Kostenverdeling", style="Kop 2")
    table = word.add_table(rows=2, cols=2)
    for row, cells in enumerate([("Ravelgem", "62.400"), ("Beverzele", "20.800")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    path = tmp_path / "kop.docx"
    word.save(str(path))

    document = read_document(path)

    assert document.blocks[0] == Block("Kostenverdeling", "heading", 2)
    assert [block.text for block in document.blocks[1:]] == [
        "Ravelgem | 62.400",
        "Beverzele | 20.800",
    ]
    assert document.title == "Kostenverdeling"


def test_corrupt_docx_is_refused_as_not_a_zip(tmp_path: Path) -> None:
    broken = tmp_path / "nota.docx"
    broken.write_bytes(b"PK\x03\x04 afgebroken download")

    with pytest.raises(UnreadableDocument, match="not a zip archive"):
        read_document(broken)


def test_old_word_file_renamed_to_docx_says_to_save_as_docx(tmp_path: Path) -> None:
    old = tmp_path / "nota.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

    with pytest.raises(UnreadableDocument, match="save it as .docx"):
        read_document(old)


# --- Markdown, HTML, plain text ----------------------------------------------------------

MARKDOWN = """---
title: Notulen Raad van Bestuur
datum: 2024-03-12
---
<!-- concept: niet verspreiden -->
# Notulen 12 maart 2024

Aanwezig: **alle** bestuurders, zie [lijst](bijlage.md).

## 1. Goedkeuring notulen

- De notulen worden goedgekeurd.
- Geen opmerkingen
  over de vorige vergadering.

| Gemeente | Stemmen |
|----------|--------:|
| Ravelgem | 3 |
"""


def test_markdown_headings_lists_and_tables_without_markup(tmp_path: Path) -> None:
    path = tmp_path / "notulen.md"
    path.write_text(MARKDOWN, encoding="utf-8")

    document = read_document(path)

    assert [(block.kind, block.level, block.text) for block in document.blocks] == [
        ("heading", 1, "Notulen 12 maart 2024"),
        ("paragraph", 0, "Aanwezig: alle bestuurders, zie lijst."),
        ("heading", 2, "1. Goedkeuring notulen"),
        ("list_item", 0, "De notulen worden goedgekeurd."),
        ("list_item", 0, "Geen opmerkingen over de vorige vergadering."),
        ("table", 0, "Gemeente: Ravelgem; Stemmen: 3"),
    ]
    assert document.title == "Notulen Raad van Bestuur"
    assert "concept" not in document.text and "datum" not in document.text


HTML = """<!DOCTYPE html>
<html><head><title>Archiefteam | DVV Midwest</title>
<script>trackBezoeker("archief");</script><style>.menu { color: red }</style></head>
<body>
<header><nav><a href="/">Home</a> <a href="/contact">Contact</a></nav></header>
<!-- TODO: tekst nakijken -->
<h1>Archiefteam</h1>
<p>Het archiefteam werkt voor <b>twaalf</b> gemeenten.<br>Het telt vier archivarissen.</p>
<ul><li>Ravelgem</li><li>Kortevoorde</li></ul>
<table><caption>Inzet per gemeente</caption>
<tr><th>Gemeente</th><th>VTE</th></tr><tr><td>Ravelgem</td><td>1,5</td></tr></table>
<aside>Nieuwsbrief</aside><form>Zoeken</form><noscript>Zet JavaScript aan</noscript>
<footer>&copy; DVV Midwest</footer>
</body></html>"""


def test_html_keeps_content_and_drops_scripts_menus_and_footers(tmp_path: Path) -> None:
    path = tmp_path / "archief.html"
    path.write_text(HTML, encoding="utf-8")

    document = read_document(path)

    assert [(block.kind, block.text) for block in document.blocks] == [
        ("heading", "Archiefteam"),
        ("paragraph", "Het archiefteam werkt voor twaalf gemeenten. Het telt vier archivarissen."),
        ("list_item", "Ravelgem"),
        ("list_item", "Kortevoorde"),
        ("paragraph", "Inzet per gemeente"),
        ("table", "Gemeente: Ravelgem; VTE: 1,5"),
    ]
    assert document.title == "Archiefteam | DVV Midwest"
    for dropped in ("trackBezoeker", "color", "Home", "TODO", "Nieuwsbrief", "Zoeken", "©"):
        assert dropped not in document.text


def test_plain_text_paragraphs_split_on_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "nota.txt"
    path.write_text(
        "\ufeffDe raad keurt de begroting\ngoed voor 2025.\n\n\nDe volgende vergadering is op 3 juni.\n",
        encoding="utf-8",
    )

    document = read_document(path)

    assert [block.text for block in document.blocks] == [
        "De raad keurt de begroting goed voor 2025.",
        "De volgende vergadering is op 3 juni.",
    ]
    assert all(block.page is None for block in document.blocks)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_that_is_not_utf8_names_the_byte_and_the_fix(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"nota{suffix}"
    path.write_bytes("Beëindiging van de overeenkomst".encode("cp1252"))

    with pytest.raises(UnreadableDocument) as caught:
        read_document(path)

    assert str(caught.value) == "not valid UTF-8 (byte 0xeb at offset 2); save it as UTF-8"


# --- dispatch --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_empty_file_is_refused_for_every_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"leeg{suffix}"
    path.touch()

    with pytest.raises(UnreadableDocument, match=r"^file is empty \(0 bytes\)$"):
        read_document(path)


def test_unsupported_extension_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "begroting.xlsx"
    path.write_bytes(b"PK")

    with pytest.raises(UnreadableDocument) as caught:
        read_document(path)

    assert str(caught.value) == (
        "unsupported file type '.xlsx'; supported: .docx, .htm, .html, .markdown, .md, .pdf, .txt"
    )


def test_file_with_only_whitespace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leeg.md"
    path.write_text("\n   \n<!-- enkel commentaar -->\n", encoding="utf-8")

    with pytest.raises(UnreadableDocument, match="contains no text"):
        read_document(path)


def test_suffix_is_matched_case_insensitively(agreement_pdf: Path, tmp_path: Path) -> None:
    upper = tmp_path / "NOTA.PDF"
    upper.write_bytes(agreement_pdf.read_bytes())

    assert read_document(upper).page_count == 3
