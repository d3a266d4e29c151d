"""The index both sides share: the typed passage and its Qdrant payload, the store, the
filters that run inside a query, and the dense and sparse encoders (one embedding
factory for ingestion and search, so passages and questions meet in one vector space)."""
