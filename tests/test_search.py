"""Search over the shared indexed sample corpus: result fields, filters, access."""

import pytest

from assistant.filters import SearchFilters
from assistant.service import Kennisbank
from tests.sample_corpus import CANARY

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
