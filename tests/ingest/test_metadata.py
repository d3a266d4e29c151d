from datetime import date
from pathlib import Path, PurePosixPath

import pytest

from ingest.metadata import build_metadata, infer_date, infer_doc_type, read_sidecar, sidecar_for
from ingest.model import Block, ParsedDocument, UnreadableDocument


def parsed(*texts: str, title: str | None = None) -> ParsedDocument:
    return ParsedDocument(blocks=[Block(text, page=1) for text in texts], title=title)


def test_type_and_date_are_read_from_the_file_name():
    meta = build_metadata(
        PurePosixPath("vergaderingen/2021-06-21-notulen-raad-van-bestuur.pdf"), parsed("Tekst."), {}
    )
    assert (meta.doc_type, meta.date, meta.year) == ("notulen", date(2021, 6, 21), 2021)
    assert meta.status == "geldend" and meta.groups == ()


def test_date_written_in_the_text_is_found_when_the_name_has_none():
    assert infer_date("verslag.pdf", "Vergadering van dinsdag 12 mei 2020 om 19 uur") == date(2020, 5, 12)
    assert infer_date("verslag.pdf", "Datum: 03/11/2019") == date(2019, 11, 3)
    assert infer_date("brochure.docx", "versie september 2023. Opgericht op 14 december 2017.") == date(
        2023, 9, 1
    )
    assert infer_date("brochure.docx", "Opgericht op 14 december 2017, versie september 2023.") == date(
        2017, 12, 14
    )


def test_year_month_name_prefers_the_exact_date_in_the_text():
    assert infer_date("2020-06-knelpuntennota.pdf", "Ravelgem, 15 juni 2020") == date(2020, 6, 15)
    assert infer_date("2020-06-knelpuntennota.pdf", "geen datum") == date(2020, 6, 1)


def test_most_specific_type_wins():
    assert infer_doc_type("2021 besluitenlijst raad van bestuur") == "besluitenlijst"
    assert infer_doc_type("afsprakennota kortevoorde") == "afsprakennota"
    assert infer_doc_type("iets anders", "Knelpuntennota juni 2020") == "knelpuntennota"
    assert infer_doc_type("zomaar een bestand") == "document"


def test_title_comes_from_the_file_then_the_name():
    assert (
        build_metadata(PurePosixPath("a.pdf"), parsed("x", title="Strategisch plan"), {}).title
        == "Strategisch plan"
    )
    assert build_metadata(PurePosixPath("mijn-nota_v2.md"), parsed("x"), {}).title == "Mijn nota v2"


def test_quoted_sidecar_date_is_accepted(tmp_path: Path):
    sidecar = tmp_path / "x.meta.yaml"
    sidecar.write_text("date: '2021-12-20'\n")
    assert read_sidecar(sidecar)["date"] == date(2021, 12, 20)


def test_sidecar_overrides_inference(tmp_path: Path):
    document = tmp_path / "2021-01-afsprakennota.pdf"
    document.write_bytes(b"")
    (tmp_path / "2021-01-afsprakennota.pdf.meta.yaml").write_text(
        "title: Oude nota\nstatus: vervangen\ndate: 2021-01-15\ngroups: [bestuur]\ntags: [archief]\n"
    )
    sidecar = read_sidecar(sidecar_for(document))
    meta = build_metadata(PurePosixPath(document.name), parsed("Tekst"), sidecar)
    assert meta.title == "Oude nota"
    assert meta.status == "vervangen"
    assert meta.date == date(2021, 1, 15)
    assert meta.groups == ("bestuur",)
    assert meta.tags == ("archief",)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("status: oud\n", "status must be one of"),
        ("colour: blue\n", "unknown keys"),
        ("date: gisteren\n", "YYYY-MM-DD"),
        ("title: [unclosed\n", "not valid YAML"),
        ("- a\n- b\n", "mapping"),
    ],
)
def test_a_broken_sidecar_is_an_error_with_a_reason(tmp_path: Path, content: str, reason: str):
    sidecar = tmp_path / "x.meta.yaml"
    sidecar.write_text(content)
    with pytest.raises(UnreadableDocument, match=reason):
        read_sidecar(sidecar)
