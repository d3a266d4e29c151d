"""The lower layer that ingestion and the answering side both stand on: the settings,
Dutch text handling (`core.dutch`) and the index (`core.index`). It imports nothing of
`ingest`, `assistant` or `api`; `lint-imports` (see pyproject.toml) checks that."""
