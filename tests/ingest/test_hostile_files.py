"""Malformed and hostile files ingested beside good ones: every bad file is reported by
name with a reason, every good one is indexed, and the run always ends (reading runs in
a worker process with a time and a memory limit per file)."""

import ctypes
import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.composition import build_kennisbank
from assistant.service import Kennisbank
from core.index.embedding import HashingMockEmbedding
from ingest.isolation import IsolatedWorker, LimitExceeded, Limits
from tests.support.documents import write_docx
from tests.support.environment import make_settings, run_cli
from tests.support.hostile_documents import BUILDERS, EXPECTED_FAILURES, READABLE_DESPITE_DEFECTS, good_pdf

pytestmark = pytest.mark.slow  # processes, browsers or crashes: out of the fast loop

# Good files and a phrase each one must be found by.
GOOD = {
    "goed-verslag.pdf": "Het schepencollege keurt de brandweerbegroting goed.",
    "goede-nota.docx": "digitaliseren van bouwdossiers",
    "goede-pagina.md": "De containerpark openingsuren wijzigen in september.",
    "goede-pagina.html": "De bibliotheek van Ravelgem opent een uitleenpunt.",
}
LIMITS = {
    "KENNISBANK_PARSE_TIMEOUT_S": "3",
    "KENNISBANK_PARSE_MEMORY_MB": "512",
    "KENNISBANK_MAX_FILE_MB": "6",
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, int, Path]:
    """One `kennisbank ingest` over a folder of hostile files and four good ones."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "gedeeld"
    folder.mkdir()
    for name, build in BUILDERS.items():
        build(folder / name)
    good_pdf(folder / "goed-verslag.pdf", GOOD["goed-verslag.pdf"])
    write_docx(folder / "goede-nota.docx")
    (folder / "goede-pagina.md").write_text(f"# Nieuws\n\n{GOOD['goede-pagina.md']}\n", encoding="utf-8")
    (folder / "goede-pagina.html").write_text(
        f"<html><body><h1>Nieuws</h1><p>{GOOD['goede-pagina.html']}</p></body></html>", encoding="utf-8"
    )
    data_dir = root / "data"
    # The subprocess timeout is the "never hangs" guard: a run that stalls fails the test.
    result = run_cli("ingest", str(folder), "--json", data_dir=data_dir, env=LIMITS, timeout=300)
    assert result.stdout, result.stderr
    return json.loads(result.stdout), result.returncode, data_dir


def test_every_hostile_file_is_reported_by_name_with_its_reason(hostile_run):
    report, returncode, _ = hostile_run
    reasons = {failure["source"]: failure["reason"] for failure in report["failed"]}
    assert returncode == 1  # some documents failed, the rest is indexed
    assert len(EXPECTED_FAILURES) >= 20
    assert sorted(reasons) == sorted(EXPECTED_FAILURES)
    wrong = {
        name: reasons[name]
        for name, pattern in EXPECTED_FAILURES.items()
        if not re.search(pattern, reasons[name])
    }
    assert not wrong, wrong


@pytest.fixture(scope="module")
def hostile_index(hostile_run) -> Iterator[Kennisbank]:
    _, _, data_dir = hostile_run
    kennisbank = build_kennisbank(make_settings(data_dir), HashingMockEmbedding())
    yield kennisbank
    kennisbank.close()


def test_every_good_file_is_indexed_and_found(hostile_run, hostile_index):
    report, _, _ = hostile_run
    assert sorted(report["new"]) == sorted([*GOOD, *READABLE_DESPITE_DEFECTS])
    for name, phrase in {**GOOD, **READABLE_DESPITE_DEFECTS}.items():
        hits = hostile_index.retriever.search(phrase, top_k=1, mode="sparse")
        assert hits[0].source == name, (phrase, hits)
        assert phrase in hits[0].text  # e.g. the broken HTML's paragraphs are not glued together


def test_files_outside_the_folder_are_not_indexed(hostile_index):
    hits = hostile_index.retriever.search("Geheim buiten de gedeelde map", mode="sparse")
    assert all("buiten" not in hit.source for hit in hits)


# --- the worker's limits, one at a time ------------------------------------------------


@pytest.fixture()
def worker():
    with IsolatedWorker(Limits(timeout_s=1.5, memory_mb=300)) as instance:
        yield instance


def test_a_call_over_its_time_is_stopped_with_its_children_and_the_next_call_works(worker, tmp_path):
    pid_file = tmp_path / "child.pid"
    with pytest.raises(LimitExceeded, match=r"took longer than 1.5 s .*KENNISBANK_PARSE_TIMEOUT_S"):
        worker.call(subprocess.run, ["sh", "-c", f"echo $$ > {pid_file}; exec sleep 60"])
    time.sleep(0.2)
    assert not running(int(pid_file.read_text()))  # like Tesseract under a stopped reader
    assert worker.call(len, "abc") == 3


def running(pid: int) -> bool:
    """Alive and not a zombie (a killed orphan stays a zombie when PID 1 does not reap)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_call_over_its_memory_is_stopped_and_the_next_call_works(worker):
    with pytest.raises(LimitExceeded, match=r"more than 300 MB .*KENNISBANK_PARSE_MEMORY_MB"):
        worker.call(bytearray, 1 << 30)
    assert worker.call(len, "abc") == 3


def test_a_crashing_reader_costs_one_call(worker):
    with pytest.raises(LimitExceeded, match="killed by SIGSEGV"):
        worker.call(ctypes.string_at, 0)
    assert worker.call(len, "abc") == 3


def test_exceptions_come_back_as_raised(worker):
    with pytest.raises(ValueError, match="invalid literal"):
        worker.call(int, "geen getal")
