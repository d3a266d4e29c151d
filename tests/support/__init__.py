"""What the tests share: fixtures (a pytest plugin, loaded by tests/conftest.py), plain
helpers, the sample corpus and builders of good and hostile documents."""
