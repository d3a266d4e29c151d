"""`kennisbank search` for precedent work: documents with their passages, search by a
pasted example, the new filters, and one-line errors for bad input."""

import json
from pathlib import Path

import pytest

from tests.support.environment import run_cli

pytestmark = pytest.mark.slow  # processes, browsers or crashes: out of the fast loop


@pytest.fixture(scope="module")
def data_dir(sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli-data")
    result = run_cli("ingest", str(sample_corpus), "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    return data


def test_by_document_lists_each_document_once_with_passages(data_dir: Path):
    result = run_cli(
        "search", "archiefteam Kortevoorde", "--by-document", "--passages", "1", "--json", data_dir=data_dir
    )
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)["documents"]
    assert documents and len({d["document_id"] for d in documents}) == len(documents)
    assert all(len(d["passages"]) == 1 for d in documents)
    assert documents[0]["doc_type"] == "afsprakennota" and documents[0]["status"] == "geldend"


def test_example_file_finds_documents_like_it(data_dir: Path, tmp_path: Path):
    example = tmp_path / "alinea.txt"
    example.write_text(
        "Het archiefteam werkt een aantal uren per week voor Kortevoorde, dat de loonkost betaalt.",
        encoding="utf-8",
    )
    result = run_cli("search", "--example-file", str(example), "--top-k", "2", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1. Afsprakennota archiefteam Kortevoorde")
    assert "art. 2" in result.stdout


def test_new_filters_on_the_command_line(data_dir: Path):
    result = run_cli(
        "search",
        "archiefteam Kortevoorde",
        "--status",
        "vervangen",
        "--from",
        "2020-01-01",
        "--json",
        data_dir=data_dir,
    )
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    assert results and {r["status"] for r in results} == {"vervangen"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["archief", "--from", "21-06-2021"], "not an ISO date"),
        (["archief", "--from", "2023-01-01", "--to", "2022-01-01"], "after"),
        ([], "either a QUERY or --example-file"),
        (["--example-file", "bestaat-niet.txt"], "cannot read"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(data_dir: Path, args: list[str], message: str):
    result = run_cli("search", *args, data_dir=data_dir)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_unreadable_glossary_file_is_a_clear_error(data_dir: Path, tmp_path: Path):
    result = run_cli(
        "search", "archief", data_dir=data_dir, env={"KENNISBANK_GLOSSARY_FILE": str(tmp_path / "geen.txt")}
    )
    assert result.returncode == 2
    assert "glossary" in result.stderr and "Traceback" not in result.stderr
