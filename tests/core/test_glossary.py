"""The glossary: a question naming one form of a concept is also searched with the
others, and a user's own file extends the built-in one."""

from pathlib import Path

import pytest

from core.dutch.analysis import DutchAnalyzer
from core.dutch.glossary import Glossary, GlossaryFileError


@pytest.fixture(scope="module")
def analyzer() -> DutchAnalyzer:
    return DutchAnalyzer()


def expansions(glossary: Glossary, analyzer: DutchAnalyzer, question: str) -> set[str]:
    return set(glossary.expansions(analyzer.terms(question)))


def test_synonym_works_both_ways(analyzer: DutchAnalyzer) -> None:
    glossary = Glossary.load(analyzer)
    assert set(analyzer.terms("hydrant")) <= expansions(glossary, analyzer, "Wie controleert de brandkranen?")
    assert "brandkraan" in expansions(glossary, analyzer, "Wie controleert de hydranten?")


def test_acronym_expands_to_its_words_and_back(analyzer: DutchAnalyzer) -> None:
    glossary = Glossary.load(analyzer)
    assert set(analyzer.terms("algemene vergadering")) <= expansions(
        glossary, analyzer, "Wanneer komt de AV samen?"
    )
    assert "av" in expansions(glossary, analyzer, "Wanneer komt de algemene vergadering samen?")


def test_a_multi_word_form_needs_all_its_words_in_order(analyzer: DutchAnalyzer) -> None:
    glossary = Glossary.load(analyzer)
    assert "av" not in expansions(glossary, analyzer, "de vergadering van de algemene werking")


def test_question_without_glossary_words_is_not_expanded(analyzer: DutchAnalyzer) -> None:
    assert expansions(Glossary.load(analyzer), analyzer, "Wat kost een bureaustoel?") == set()


def test_user_file_extends_the_built_in_glossary(analyzer: DutchAnalyzer, tmp_path: Path) -> None:
    user = tmp_path / "eigen.txt"
    user.write_text(
        "# ons jargon\nMWO = Midwestoverleg  # het overleg van de burgemeesters\n", encoding="utf-8"
    )
    glossary = Glossary.load(analyzer, user)
    assert "midwestoverleg" in expansions(glossary, analyzer, "Wanneer is het volgende MWO?")
    assert set(analyzer.terms("hydrant")) <= expansions(glossary, analyzer, "brandkraan")


@pytest.mark.parametrize("content", ["alleen een woord\n", "= hydrant\n"])
def test_bad_user_line_is_refused_with_its_file(
    analyzer: DutchAnalyzer, tmp_path: Path, content: str
) -> None:
    user = tmp_path / "eigen.txt"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryFileError, match="eigen.txt"):
        Glossary.load(analyzer, user)


def test_missing_user_file_is_refused(analyzer: DutchAnalyzer, tmp_path: Path) -> None:
    with pytest.raises(GlossaryFileError, match="cannot read"):
        Glossary.load(analyzer, tmp_path / "bestaat-niet.txt")
