"""What every API worker and the Slack app share, in one SQL database (SQLite or
PostgreSQL): answers, feedback, once-only claims, API keys and re-indexing jobs."""
