"""Search over the shared indexed sample corpus: result fields, filters, access, status-aware
ranking, precedent search by document and by example."""

from datetime import date
from pathlib import Path

import pytest

from api.composition import build_indexer
from assistant.service import Kennisbank
from core.index.filters import InvalidFilter, SearchFilters
from tests.support.sample_corpus import CANARY

RESULT_FIELDS = {
    "document_id",
    "title",
    "source",
    "page",
    "heading",
    "article",
    "doc_type",
    "date",
    "status",
    "text",
    "score",
}


def test_results_carry_what_a_citation_needs(indexed: Kennisbank):
    hits = indexed.retriever.search("verdeelsleutel gedeeld personeel 70 %", top_k=3)
    assert hits, "no results"
    best = hits[0].to_dict()
    assert set(best) == RESULT_FIELDS
    assert best["source"] == "vergaderingen/2021-06-21-notulen-raad-van-bestuur.md"
    assert best["doc_type"] == "notulen" and best["date"] == "2021-06-21" and best["status"] == "geldend"
    assert "2. Verdeelsleutel gedeeld personeel" in best["heading"]
    assert "70 %" in best["text"]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_pdf_results_cite_the_right_one_based_page(indexed: Kennisbank):
    hits = indexed.retriever.search("beleidsdomeinen mobiliteit ruimtelijke ordening", top_k=1)
    assert hits[0].source == "strategie/strategisch-plan-2020-2025.pdf"
    assert hits[0].page == 2
    assert hits[0].title == "Strategisch plan 2020-2025"


def test_articles_are_cited(indexed: Kennisbank):
    hits = indexed.retriever.search("hoeveel uur per week archiefteam Kortevoorde", top_k=3)
    assert any(hit.article == "2" and hit.doc_type == "afsprakennota" for hit in hits)


def test_type_filter_applies_inside_the_query(indexed: Kennisbank):
    hits = indexed.retriever.search(
        "verdeelsleutel", top_k=10, filters=SearchFilters(doc_type="afsprakennota")
    )
    assert hits and all(hit.doc_type == "afsprakennota" for hit in hits)


def test_year_filter_keeps_only_that_year(indexed: Kennisbank):
    hits = indexed.retriever.search(
        "verdeelsleutel gedeeld personeel", top_k=10, filters=SearchFilters(year=2019)
    )
    assert hits and {hit.date[:4] for hit in hits} == {"2019"}


def test_filter_without_matches_returns_nothing(indexed: Kennisbank):
    assert indexed.retriever.search("verdeelsleutel", filters=SearchFilters(year=1999)) == []


@pytest.mark.parametrize("mode", ["hybrid", "dense", "sparse"])
def test_restricted_documents_stay_hidden_from_the_public(indexed: Kennisbank, mode: str):
    hits = indexed.retriever.search(f"tuchtdossier besloten zitting {CANARY}", top_k=50, mode=mode)
    assert all(CANARY not in hit.text for hit in hits)


def test_board_members_see_restricted_documents(indexed: Kennisbank):
    hits = indexed.retriever.search(f"tuchtdossier {CANARY}", top_k=3, groups=frozenset({"bestuur"}))
    assert CANARY in hits[0].text


def test_another_group_does_not_open_restricted_documents(indexed: Kennisbank):
    hits = indexed.retriever.search(f"tuchtdossier {CANARY}", top_k=50, groups=frozenset({"personeel"}))
    assert all(CANARY not in hit.text for hit in hits)


def test_html_chrome_is_not_indexed(indexed: Kennisbank):
    hits = indexed.retriever.search("SCRIPTTEKST tracking menu navigatie copyright", top_k=20)
    assert all("SCRIPTTEKST" not in hit.text and "Menu navigatie" not in hit.text for hit in hits)


def test_sparse_mode_matches_inflected_dutch(indexed: Kennisbank):
    hits = indexed.retriever.search("inspecties van de hydrant", top_k=1, mode="sparse")
    assert hits[0].source == "samenwerking/onderhoud-hydranten.html"


def test_empty_query_returns_nothing(indexed: Kennisbank):
    assert indexed.retriever.search("   ") == []


@pytest.mark.slow
def test_real_embedder_finds_a_paraphrase(indexed_e5: Kennisbank):
    """brandkranen is not in the text (hydranten is): only the dense side can find it."""
    hits = indexed_e5.retriever.search("Wie controleert de brandkranen?", top_k=1)
    assert hits[0].source == "samenwerking/onderhoud-hydranten.html"


def test_status_filter_keeps_only_that_status(indexed: Kennisbank):
    hits = indexed.retriever.search(
        "archiefteam Kortevoorde uur per week", top_k=10, filters=SearchFilters(status="vervangen")
    )
    assert hits and {hit.status for hit in hits} == {"vervangen"}


def test_date_range_filter_includes_both_ends(indexed: Kennisbank):
    filters = SearchFilters(date_from=date(2019, 3, 18), date_to=date(2021, 6, 21))
    hits = indexed.retriever.search("verdeelsleutel gedeeld personeel archiefteam", top_k=20, filters=filters)
    assert {hit.date for hit in hits} >= {"2019-03-18", "2021-06-21"}
    assert all(hit.date and "2019-03-18" <= hit.date <= "2021-06-21" for hit in hits)


def test_open_ended_date_range(indexed: Kennisbank):
    hits = indexed.retriever.search(
        "archiefteam Kortevoorde", top_k=20, filters=SearchFilters(date_from=date(2022, 1, 1))
    )
    assert hits and all(hit.date and hit.date >= "2022-01-01" for hit in hits)


def test_inverted_date_range_and_unknown_status_are_refused():
    with pytest.raises(InvalidFilter, match="after"):
        SearchFilters(date_from=date(2023, 1, 1), date_to=date(2022, 1, 1))
    with pytest.raises(InvalidFilter, match="geldend"):
        SearchFilters(status="actueel")


def test_current_version_outranks_the_replaced_one(indexed: Kennisbank):
    """The two agreements say nearly the same; the one in force must come first."""
    hits = indexed.retriever.search("Hoeveel uur per week werkt het archiefteam voor Kortevoorde?", top_k=5)
    agreements = [hit for hit in hits if hit.doc_type == "afsprakennota"]
    assert agreements[0].status == "geldend"
    assert any(hit.status == "vervangen" for hit in agreements), "the old version is still found, lower"


def test_history_question_does_not_hold_back_the_replaced_version(indexed: Kennisbank):
    question = "Hoeveel uur per week werkt het archiefteam voor Kortevoorde"

    def old_version_score(text: str) -> float:
        hits = indexed.retriever.search(text, top_k=10)
        return next(hit.score for hit in hits if hit.status == "vervangen")

    assert old_version_score(f"{question}, in de oude versie?") > old_version_score(f"{question}?")


def test_documents_are_grouped_with_their_best_passages(indexed: Kennisbank):
    documents = indexed.retriever.search_documents(
        "archiefteam Kortevoorde", top_k=3, passages_per_document=2
    )
    assert documents and len(documents) <= 3
    assert len({document.document_id for document in documents}) == len(documents)
    for document in documents:
        assert 1 <= len(document.passages) <= 2
        assert all(passage.document_id == document.document_id for passage in document.passages)
        assert document.score == document.passages[0].score
    assert [d.score for d in documents] == sorted((d.score for d in documents), reverse=True)
    as_dict = documents[0].to_dict()
    assert set(as_dict) == {
        "document_id",
        "title",
        "source",
        "doc_type",
        "date",
        "status",
        "score",
        "passages",
    }
    assert set(as_dict["passages"][0]) == RESULT_FIELDS


def test_document_search_keeps_filters_and_access(indexed: Kennisbank):
    documents = indexed.retriever.search_documents(
        f"tuchtdossier {CANARY} archiefteam", top_k=10, filters=SearchFilters(doc_type="notulen")
    )
    assert documents and all(document.doc_type == "notulen" for document in documents)
    assert all(CANARY not in p.text for document in documents for p in document.passages)


def test_search_by_example_finds_the_document_on_the_same_subject(indexed: Kennisbank):
    pasted = (
        "In deze overeenkomst spreken we af dat het archiefteam een aantal uren per week "
        "voor de gemeente Kortevoorde werkt, die daarvoor de loonkost en een overhead betaalt."
    )
    documents = indexed.retriever.search_by_example(pasted, top_k=3)
    assert documents[0].doc_type == "afsprakennota" and documents[0].status == "geldend"
    assert all(CANARY not in p.text for document in documents for p in document.passages)


def test_restricted_documents_stay_hidden_from_example_search(indexed: Kennisbank):
    pasted = f"Vertrouwelijk dossier {CANARY}: de Raad van Bestuur bespreekt een tuchtdossier."
    public = indexed.retriever.search_by_example(pasted, top_k=10)
    board = indexed.retriever.search_by_example(pasted, top_k=1, groups=frozenset({"bestuur"}))
    assert all(CANARY not in p.text for document in public for p in document.passages)
    assert CANARY in board[0].passages[0].text


def test_glossary_synonym_reaches_the_sparse_side(indexed: Kennisbank):
    """ "brandkraan" is not in the corpus (hydranten is): the glossary bridges it."""
    hits = indexed.retriever.search("Wie controleert de brandkranen?", top_k=1, mode="sparse")
    assert hits and hits[0].source == "samenwerking/onderhoud-hydranten.html"


def test_sparse_scores_tell_a_public_caller_nothing_of_restricted_passages(
    kennisbank: Kennisbank, corpus_copy: Path
):
    """Regression (#18, item 5): BM25 scores carry the IDF over every passage, so a public
    passage's raw score for a word fell when restricted passages with that word were added
    (11.03 -> 8.09 in the probe). Sparse scores are now relative to the best of the list."""
    indexer = build_indexer(kennisbank)
    indexer.ingest([corpus_copy], progress=False)

    def public_scores() -> list[tuple[str, float]]:
        hits = kennisbank.retriever.search("hydranten", top_k=5, mode="sparse")
        return [(hit.source, hit.score) for hit in hits]

    before = public_scores()
    for n in range(6):
        secret = corpus_copy / "bestuur" / f"geheim-{n}.md"
        secret.write_text(f"# Geheim {n}\n\nDe hydranten van zone {n} worden vertrouwelijk besproken.\n")
        (secret.parent / f"{secret.name}.meta.yaml").write_text("groups: [bestuur]\n")
    indexer.ingest([corpus_copy], progress=False)
    assert public_scores() == before
    assert before[0][1] == 1.0
