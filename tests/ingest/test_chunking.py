"""Chunking: passages a user gets cited must sit under the right headings, article and
page, stay within the size limit, and never cut a sentence that fits."""

from pathlib import Path

import pytest

from core.dutch.sentences import split_sentences
from ingest.chunking import Chunk, chunk_blocks
from ingest.model import Block
from ingest.readers import read_document
from tests.support.documents import PdfLine, write_pdf


def heading(text: str, level: int = 1, page: int | None = None) -> Block:
    return Block(text, "heading", level, page)


def paragraph(text: str, page: int | None = None) -> Block:
    return Block(text, "paragraph", 0, page)


def item(text: str, page: int | None = None) -> Block:
    return Block(text, "list_item", 0, page)


def sentences(count: int, words: int = 8, start: int = 0) -> str:
    """`count` numbered sentences of `words` words each, e.g. "Zin 3 gaat over ... ."."""
    filler = " ".join(["kosten"] * (words - 4))
    return " ".join(f"Zin {start + n} gaat {filler} verder." for n in range(count))


def words_of(passages: list[Chunk]) -> list[str]:
    return " ".join(passage.text for passage in passages).split()


# --- headings and articles -------------------------------------------------------------


def test_heading_path_follows_heading_levels() -> None:
    passages = chunk_blocks(
        [
            heading("Afsprakennota archiefteam", 1),
            heading("Hoofdstuk 1. Algemeen", 2),
            paragraph("Het archiefteam werkt voor twaalf gemeenten."),
            heading("Hoofdstuk 2. Personeel", 2),
            heading("Inzet", 3),
            paragraph("Het team telt vier archivarissen."),
            heading("Bijlage", 1),
            paragraph("Een lijst van dossiers."),
        ],
        max_words=50,
    )

    assert [(p.heading_path, p.text) for p in passages] == [
        (
            ("Afsprakennota archiefteam", "Hoofdstuk 1. Algemeen"),
            "Het archiefteam werkt voor twaalf gemeenten.",
        ),
        (
            ("Afsprakennota archiefteam", "Hoofdstuk 2. Personeel", "Inzet"),
            "Het team telt vier archivarissen.",
        ),
        (("Bijlage",), "Een lijst van dossiers."),
    ]


def test_article_headings_set_the_article_until_the_next_section() -> None:
    passages = chunk_blocks(
        [
            heading("Afsprakennota", 1),
            heading("Artikel 5. Kostenverdeling", 2),
            paragraph("De kosten worden verdeeld volgens het aantal inwoners."),
            heading("5.2 Facturatie", 3),
            paragraph("Er wordt per kwartaal gefactureerd."),
            heading("Art. 6 - Duur", 2),
            paragraph("De overeenkomst loopt zes jaar."),
            heading("Ondertekening", 2),
            paragraph("Opgemaakt te Ravelgem."),
        ],
        max_words=50,
    )

    assert [(p.article, p.heading_path[-1]) for p in passages] == [
        ("5", "Artikel 5. Kostenverdeling"),
        ("5", "5.2 Facturatie"),
        ("6", "Art. 6 - Duur"),
        (None, "Ondertekening"),
    ]


def test_article_at_paragraph_start_opens_a_passage_but_a_citation_does_not() -> None:
    passages = chunk_blocks(
        [
            heading("Hoofdstuk 2", 1),
            paragraph("Artikel 5.2. De gemeenten betalen per inwoner."),
            paragraph("Artikel 5 van het decreet blijft van toepassing."),
            paragraph("Artikel 41/1. Dit artikel werd later ingevoegd."),
        ],
        max_words=50,
    )

    assert [(p.article, p.text) for p in passages] == [
        (
            "5.2",
            "Artikel 5.2. De gemeenten betalen per inwoner.\n"
            "Artikel 5 van het decreet blijft van toepassing.",
        ),
        ("41/1", "Artikel 41/1. Dit artikel werd later ingevoegd."),
    ]
    assert all(p.heading_path == ("Hoofdstuk 2",) for p in passages)


def test_a_caption_inside_an_article_paragraph_keeps_the_article() -> None:
    """Regression: a bold table caption after "Artikel 6. ..." ended article 6, so the
    table rows it introduced were cited without their article; and the caption then
    stayed in the heading path of the articles after it."""
    passages = chunk_blocks(
        [
            heading("Hoofdstuk 2. Het archiefteam", 2),
            paragraph("Artikel 6. Inzet per gemeente. De uren worden als volgt verdeeld."),
            heading("Gemeente Uren per week", 4),
            Block("Gemeente: Lindegem; Uren: 12", "table"),
            paragraph("Artikel 7. Planning. Het team maakt een jaarplanning."),
            heading("Hoofdstuk 3. Kostprijs", 2),
            paragraph("De loonkost wordt verdeeld."),
        ],
        max_words=50,
    )

    assert [(p.article, p.heading_path[-1], p.text) for p in passages] == [
        (
            "6",
            "Hoofdstuk 2. Het archiefteam",
            "Artikel 6. Inzet per gemeente. De uren worden als volgt verdeeld.",
        ),
        ("6", "Gemeente Uren per week", "Gemeente: Lindegem; Uren: 12"),
        ("7", "Hoofdstuk 2. Het archiefteam", "Artikel 7. Planning. Het team maakt een jaarplanning."),
        (None, "Hoofdstuk 3. Kostprijs", "De loonkost wordt verdeeld."),
    ]


def test_agenda_items_of_minutes_start_new_passages() -> None:
    passages = chunk_blocks(
        [
            paragraph("Punt 1: Goedkeuring notulen. De notulen worden goedgekeurd."),
            paragraph("Punt 2: Begroting. De begroting 2025 wordt goedgekeurd."),
            paragraph("3. Varia"),
            paragraph("Geen punten."),
        ],
        max_words=100,
    )

    assert [p.text.split(".")[0] for p in passages] == [
        "Punt 1: Goedkeuring notulen",
        "Punt 2: Begroting",
        "3",
    ]


def test_headings_without_body_only_enter_the_path() -> None:
    passages = chunk_blocks(
        [
            heading("Notulen", 1),
            heading("Punt 1: Begroting", 2),
            paragraph("De begroting wordt goedgekeurd."),
            heading("Slot", 2),
        ],
        max_words=50,
    )

    assert [(p.heading_path, p.text) for p in passages] == [
        (("Notulen", "Punt 1: Begroting"), "De begroting wordt goedgekeurd."),
    ]


def test_a_run_of_empty_headings_is_kept_as_a_listing() -> None:
    """An agenda at the top of minutes: its items are headings with nothing under them
    until the minutes themselves start; they must stay findable."""
    passages = chunk_blocks(
        [
            heading("Notulen 12 maart 2024", 1),
            heading("1. Goedkeuring notulen", 2),
            heading("2. Begroting 2025", 2),
            heading("3. Varia", 2),
            heading("Verslag", 1),
            paragraph("De voorzitter opent de vergadering."),
        ],
        max_words=50,
    )

    assert [(p.heading_path, p.text) for p in passages] == [
        ((), "Notulen 12 maart 2024\n1. Goedkeuring notulen\n2. Begroting 2025\n3. Varia"),
        (("Verslag",), "De voorzitter opent de vergadering."),
    ]


def test_a_document_of_only_headings_still_yields_passages() -> None:
    passages = chunk_blocks([heading("Onthaalbrochure", 1), heading("Welkom", 2)], 50)

    assert [p.text for p in passages] == ["Onthaalbrochure\nWelkom"]


# --- packing and splitting -------------------------------------------------------------


def test_small_paragraphs_under_one_heading_are_merged() -> None:
    passages = chunk_blocks(
        [
            heading("Personeel", 1),
            paragraph("Het team telt vier mensen."),
            paragraph("Zij werken halftijds."),
            paragraph("Bart Lannoo leidt het team."),
        ],
        max_words=50,
    )

    assert [p.text for p in passages] == [
        "Het team telt vier mensen.\nZij werken halftijds.\nBart Lannoo leidt het team."
    ]


def test_list_items_stay_with_their_introduction() -> None:
    passages = chunk_blocks(
        [
            heading("Beslissing", 1),
            paragraph(sentences(2, words=8)),
            paragraph("De raad beslist:"),
            item("de begroting goed te keuren;"),
            item("a) de rekening af te sluiten."),
        ],
        max_words=25,
    )

    assert [p.text for p in passages] == [
        sentences(2, words=8),
        "De raad beslist:\n- de begroting goed te keuren;\na) de rekening af te sluiten.",
    ]


def test_long_section_is_split_between_sentences_within_max_words() -> None:
    text = sentences(30, words=8)
    passages = chunk_blocks([heading("Toelichting", 1), paragraph(text)], max_words=50)

    assert len(passages) == 5
    assert all(len(p.text.split()) <= 50 for p in passages)
    assert all(p.text.startswith("Zin ") and p.text.endswith("verder.") for p in passages)
    assert words_of(passages) == text.split()
    assert all(p.heading_path == ("Toelichting",) for p in passages)


def test_a_sentence_longer_than_max_words_is_cut_between_words() -> None:
    text = " ".join(f"woord{n}" for n in range(45)) + "."
    passages = chunk_blocks([paragraph(text)], max_words=20)

    assert [len(p.text.split()) for p in passages] == [20, 20, 5]
    assert words_of(passages) == text.split()


def test_split_sentences_ignores_dutch_abbreviations_and_initials() -> None:
    text = (
        "Volgens art. 5 van het decreet (zie o.a. blz. 3) tekent dhr. K. Declercq de "
        "nota i.s.m. de directeur. Op 1 jan. 2024 start het team! Wie betaalt? De gemeente."
    )

    assert split_sentences(text) == [
        "Volgens art. 5 van het decreet (zie o.a. blz. 3) tekent dhr. K. Declercq de nota "
        "i.s.m. de directeur.",
        "Op 1 jan. 2024 start het team!",
        "Wie betaalt?",
        "De gemeente.",
    ]


@pytest.mark.parametrize("max_words", [5, 17, 40, 120])
def test_no_passage_is_empty_or_longer_than_max_words(max_words: int) -> None:
    """Regression: the "- " put back before bulleted list items was not counted, so
    passages full of list items came out a few words over max_words."""
    blocks = [
        heading("Artikel 1. Voorwerp", 1, page=1),
        paragraph(sentences(12, words=9), page=1),
        *[item(f"actie nummer {n} voor de regio", page=1) for n in range(30)],
        Block("Gemeente: Ravelgem; VTE: 1,5", "table", 0, 2),
        heading("Artikel 2. Duur", 1, page=2),
        paragraph("   ", page=2),
        paragraph(sentences(3, words=6), page=2),
    ]

    passages = chunk_blocks(blocks, max_words)

    assert passages
    assert all(p.text.strip() for p in passages)
    assert all(len(p.text.split()) <= max_words for p in passages)


def test_max_words_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_words"):
        chunk_blocks([paragraph("Tekst.")], 0)


# --- pages -----------------------------------------------------------------------------


def test_a_new_page_starts_a_new_passage_citing_that_page() -> None:
    passages = chunk_blocks(
        [
            heading("Verslag", 1, page=1),
            paragraph(sentences(3, words=8), page=1),
            paragraph(sentences(2, words=8, start=3), page=2),
            paragraph(sentences(2, words=8, start=5), page=3),
        ],
        max_words=200,
    )

    assert [p.page for p in passages] == [1, 2, 3]
    assert passages[1].text.startswith("Zin 3 ")
    assert all(p.heading_path == ("Verslag",) for p in passages)


def test_a_fragment_at_the_foot_of_a_page_carries_on_to_the_next() -> None:
    passages = chunk_blocks(
        [
            heading("Besluit", 1, page=1),
            paragraph("De raad beslist:", page=1),
            item("de begroting goed te keuren;", page=2),
            item("de rekening af te sluiten.", page=2),
        ],
        max_words=200,
    )

    assert len(passages) == 1
    assert passages[0].page == 1


def test_a_sentence_running_over_a_page_break_is_finished_where_it_started() -> None:
    passages = chunk_blocks(
        [
            paragraph(sentences(3, words=8) + " De kosten worden gedeeld door", page=4),
            paragraph("alle twaalf gemeenten. " + sentences(2, words=8, start=7), page=5),
        ],
        max_words=200,
    )

    assert [p.page for p in passages] == [4, 5]
    assert passages[0].text.endswith("De kosten worden gedeeld door alle twaalf gemeenten.")
    assert passages[1].text.startswith("Zin 7 ")


def test_passages_of_a_real_pdf_cite_the_page_their_text_is_on(tmp_path: Path) -> None:
    body = "Het archiefteam ordent de dossiers van de gemeente en maakt ze digitaal."
    pdf = write_pdf(
        tmp_path / "nota.pdf",
        [
            [PdfLine("Archiefteam", size=18, bold=True), PdfLine(body, space_before=8)],
            [
                PdfLine("Artikel 2. Kosten", bold=True),
                PdfLine("De gemeenten betalen per inwoner.", space_before=6),
            ],
        ],
    )

    passages = chunk_blocks(read_document(pdf).blocks, max_words=180)

    assert [(p.page, p.article, p.heading_path, p.text) for p in passages] == [
        (1, None, ("Archiefteam",), body),
        (2, "2", ("Archiefteam", "Artikel 2. Kosten"), "De gemeenten betalen per inwoner."),
    ]
