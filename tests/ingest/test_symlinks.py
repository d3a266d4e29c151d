"""Regression (#18, item 1): symbolic links inside an ingested folder. A link has no
sidecar of its own and its path is not the one `.kennisbankignore` lists, so a link was
indexed as a public document: a link to a board document, or into an ignored folder, was
found and downloaded by anonymous callers. Every link is now refused and reported by name;
what it points to is indexed, or not, under its own name and rules."""

from pathlib import Path

from fastapi.testclient import TestClient

from api.composition import build_indexer
from assistant.service import Kennisbank
from ingest.report import IngestReport
from ingest.sources import SourceFile
from tests.support.api import app_for, new_key
from tests.support.sample_corpus import CANARY

BOARD_MINUTES = "bestuur/besloten-zitting-rvb.md"
ONBOARDING = "onthaal/welkom.txt"
BUILD_SECRET = "Bouwmap: de gesloten zitting besliste over het ontslag van de archivaris."


def _ingest(kennisbank: Kennisbank, corpus: Path) -> IngestReport:
    return build_indexer(kennisbank).ingest([corpus], progress=False)


def _failed(report: IngestReport) -> dict[str, str]:
    return {failure.source: failure.reason for failure in report.failed}


def _anonymous_texts(kennisbank: Kennisbank, query: str) -> str:
    return " ".join(hit.text for hit in kennisbank.retriever.search(query, top_k=20))


def _file_status(kennisbank: Kennisbank, corpus: Path, relative: str, headers: dict | None = None) -> int:
    """The status of the file endpoint for the document `relative` would be, as anonymous."""
    app, _ = app_for(kennisbank)
    document_id = SourceFile(corpus / relative, corpus).document_id
    client = TestClient(app, base_url="http://localhost")
    return client.get(f"/api/documents/{document_id}/file", headers=headers).status_code


def test_a_link_to_a_restricted_document_is_refused(kennisbank: Kennisbank, corpus_copy: Path):
    (corpus_copy / "onthaal/zitting.md").symlink_to(corpus_copy / BOARD_MINUTES)

    report = _ingest(kennisbank, corpus_copy)

    assert "symbolic link to bestuur/besloten-zitting-rvb.md" in _failed(report)["onthaal/zitting.md"]
    assert "onthaal/zitting.md" not in report.new and len(report.new) == 9
    assert CANARY not in _anonymous_texts(kennisbank, f"besloten zitting tuchtdossier {CANARY}")
    assert _file_status(kennisbank, corpus_copy, "onthaal/zitting.md") == 404
    # The board still finds and downloads the document itself, under its own name.
    board = new_key(kennisbank, "board", "bestuur")
    assert _file_status(kennisbank, corpus_copy, BOARD_MINUTES, board) == 200
    assert _file_status(kennisbank, corpus_copy, BOARD_MINUTES) == 404


def test_a_link_into_an_ignored_folder_is_refused(kennisbank: Kennisbank, corpus_copy: Path):
    (corpus_copy / "build").mkdir()
    (corpus_copy / "build/zitting.md").write_text(f"# Besloten zitting\n\n{BUILD_SECRET}\n")
    (corpus_copy / ".kennisbankignore").write_text("build/\n")
    (corpus_copy / "vergaderingen/zitting.md").symlink_to("../build/zitting.md")

    report = _ingest(kennisbank, corpus_copy)

    assert "symbolic link to build/zitting.md" in _failed(report)["vergaderingen/zitting.md"]
    assert len(report.new) == 9
    assert "archivaris" not in _anonymous_texts(kennisbank, "ontslag van de archivaris gesloten zitting")
    assert _file_status(kennisbank, corpus_copy, "vergaderingen/zitting.md") == 404


def test_a_link_to_a_public_document_is_refused_and_the_document_served(
    kennisbank: Kennisbank, corpus_copy: Path
):
    (corpus_copy / "welkom-kopie.txt").symlink_to(ONBOARDING)
    (corpus_copy / "vergaderingen/onthaal").symlink_to("../onthaal", target_is_directory=True)

    report = _ingest(kennisbank, corpus_copy)

    failed = _failed(report)
    assert "links are not read" in failed["welkom-kopie.txt"]
    assert "symbolic link to onthaal" in failed["vergaderingen/onthaal"]
    assert ONBOARDING in report.new and len(report.new) == 9
    sources = {hit.source for hit in kennisbank.retriever.search("laptop badge onthaal", top_k=20)}
    assert ONBOARDING in sources and "welkom-kopie.txt" not in sources
    assert _file_status(kennisbank, corpus_copy, "welkom-kopie.txt") == 404
    assert _file_status(kennisbank, corpus_copy, ONBOARDING) == 200


def test_a_document_whose_sidecar_is_a_link_is_left_out(kennisbank: Kennisbank, corpus_copy: Path):
    """A dangling sidecar link was refused, but its document was indexed without its
    access groups: public."""
    secret = "Besloten: de premie van de directeur bedraagt 4.321 euro."
    (corpus_copy / "bestuur/premie.md").write_text(f"# Premie\n\n{secret}\n")
    (corpus_copy / "bestuur/premie.md.meta.yaml").symlink_to("/nergens/premie.md.meta.yaml")

    report = _ingest(kennisbank, corpus_copy)

    failed = _failed(report)
    assert "missing file" in failed["bestuur/premie.md.meta.yaml"]
    left_out = "left out: its sidecar premie.md.meta.yaml is a symbolic link"
    assert failed["bestuur/premie.md"].startswith(left_out)
    assert "4.321" not in _anonymous_texts(kennisbank, "premie directeur")

    report = build_indexer(kennisbank).ingest([corpus_copy / "bestuur/premie.md"], progress=False)
    assert "bestuur/premie.md" in _failed(report) and not report.new
