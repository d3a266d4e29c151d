"""The `kennisbank` command as a user runs it: help, exit codes, one-line errors."""

import json
import re
from pathlib import Path

import pytest

from api.composition import build_kennisbank
from core.index.embedding import HashingMockEmbedding
from loopback.server import free_port
from tests.support.environment import make_settings, run_cli

pytestmark = pytest.mark.slow  # processes, browsers or crashes: out of the fast loop


@pytest.mark.parametrize("command", [[], ["ingest"], ["search"], ["ask"], ["eval"], ["serve"]])
def test_help_is_clear(command: list[str], tmp_path: Path):
    result = run_cli(*command, "--help", data_dir=tmp_path)
    assert result.returncode == 0
    assert "usage: kennisbank" in result.stdout
    assert len(result.stdout.splitlines()) > 3


def test_ingest_then_search_as_json(corpus_copy: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    ingest = run_cli("ingest", str(corpus_copy), "--json", data_dir=data_dir)
    assert ingest.returncode == 0, ingest.stderr
    summary = json.loads(ingest.stdout)
    assert len(summary["new"]) == 9 and summary["failed"] == []

    search = run_cli(
        "search", "verdeelsleutel personeel", "--year", "2021", "--json", "--top-k", "2", data_dir=data_dir
    )
    assert search.returncode == 0, search.stderr
    results = json.loads(search.stdout)["results"]
    assert 1 <= len(results) <= 2
    assert results[0]["source"] == "vergaderingen/2021-06-21-notulen-raad-van-bestuur.md"

    text = run_cli("search", "verdeelsleutel", "--type", "notulen", data_dir=data_dir)
    assert text.returncode == 0 and text.stdout.startswith("1. Notulen Raad van Bestuur")


def test_some_failed_documents_exit_1_and_name_the_file(corpus_copy: Path, tmp_path: Path):
    (corpus_copy / "kapot.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    result = run_cli("ingest", str(corpus_copy), data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "failed: kapot.pdf:" in result.stdout
    assert "9 new" in result.stdout


def test_missing_path_is_a_usage_error(tmp_path: Path):
    result = run_cli("ingest", str(tmp_path / "bestaat-niet"), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert result.stderr.startswith("kennisbank: error: no such file or folder")
    assert "Traceback" not in result.stderr


def test_bad_configuration_is_one_line_exit_2(tmp_path: Path):
    result = run_cli("search", "x", data_dir=tmp_path, env={"KENNISBANK_EMBEDDING": "magic"})
    assert result.returncode == 2
    assert "KENNISBANK_EMBEDDING" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_before_ingest_says_what_to_do(tmp_path: Path):
    result = run_cli("search", "hydranten", data_dir=tmp_path / "leeg")
    assert result.returncode == 2
    assert "kennisbank ingest" in result.stderr


def test_locked_store_names_the_way_out(tmp_path: Path, corpus_copy: Path):
    """While a server holds the embedded store, ingest must explain instead of crash."""
    data_dir = tmp_path / "data"
    holder = build_kennisbank(make_settings(data_dir), HashingMockEmbedding())
    try:
        result = run_cli("ingest", str(corpus_copy), data_dir=data_dir)
    finally:
        holder.close()
    assert result.returncode == 2
    assert "in use by another process" in result.stderr
    assert "KENNISBANK_QDRANT_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_prints_the_three_modes_side_by_side(corpus_copy: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    assert run_cli("ingest", str(corpus_copy), data_dir=data_dir).returncode == 0
    questions = tmp_path / "vragen.jsonl"
    questions.write_text(
        json.dumps(
            {
                "id": "q1",
                "question": "Hoeveel hydranten inspecteert De Werkplaats per jaar?",
                "persona": "slack",
                "kind": "fact",
                "answerable": True,
                "source": "samenwerking/onderhoud-hydranten.html",
                "page": None,
                "article": None,
                "key_facts": ["4.200"],
                "filters": None,
                "follows": None,
            }
        )
        + "\n"
    )
    result = run_cli("eval", "--questions", str(questions), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if line.startswith("metric"))
    assert header.split()[1:] == ["hybrid", "dense", "sparse", "target"]
    assert re.search(r"source recall@5\s+1\.000\s+1\.000\s+1\.000\s+>=0\.97", result.stdout)


def test_eval_of_the_llm_without_its_endpoint_says_what_is_missing(tmp_path: Path):
    result = run_cli("eval", "--answerer", "llm", data_dir=tmp_path / "data", env={"KENNISBANK_LLM_URL": ""})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "kennisbank: error: --answerer llm needs the model's endpoint in KENNISBANK_LLM_URL"
    )


def test_eval_with_a_broken_questions_file_names_the_line(tmp_path: Path):
    questions = tmp_path / "vragen.jsonl"
    questions.write_text("{kapot\n")
    result = run_cli("eval", "--questions", str(questions), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert f"{questions}:1" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [("search", "hydranten"), ("ingest", "corpus"), ("serve",)])
def test_an_unreachable_qdrant_server_is_one_line_naming_the_server(command, tmp_path: Path):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = run_cli(*command, data_dir=tmp_path / "data", env={"KENNISBANK_QDRANT_URL": url})
    assert result.returncode == 2
    assert result.stderr.startswith(f"kennisbank: error: cannot reach the Qdrant server at {url}")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
