"""Loads the shared fixtures. Helpers live in `tests.support`, never in a conftest."""

pytest_plugins = ["tests.support.fixtures"]
