"""docs/configuration.md and .env.example say what `core.settings.Settings` says: both are
rendered from it by scripts/settings_reference.py, and these tests fail when either has
drifted (a setting added, a default or description changed, a file edited by hand)."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from core.settings import Settings
from tests.support.environment import REPO

FIX = "run `.venv/bin/python scripts/settings_reference.py`, which rewrites it from core/settings.py"


def _load_script():
    """The script as a module (scripts/ is not a package), so its functions are called
    directly instead of in a subprocess."""
    path = REPO / "scripts" / "settings_reference.py"
    spec = importlib.util.spec_from_file_location("settings_reference", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


reference = _load_script()


@pytest.mark.parametrize("path", [reference.CONFIGURATION_MD, reference.ENV_EXAMPLE], ids=lambda p: p.name)
def test_the_file_is_what_the_settings_render(path: Path):
    expected = reference.rendered()[path]
    assert path.read_text(encoding="utf-8") == expected, f"{path.relative_to(REPO)} is stale: {FIX}"


def test_every_setting_is_in_both_files_under_its_real_name():
    table = reference.CONFIGURATION_MD.read_text(encoding="utf-8")
    block = table[table.index(reference.BEGIN) : table.index(reference.END)]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", block, flags=re.MULTILINE))
    env_example = reference.ENV_EXAMPLE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^# ([A-Z][A-Z0-9_]*)=", env_example, flags=re.MULTILINE))
    for field_name, field in Settings.model_fields.items():
        name = reference.env_names(field_name, field)[0]
        assert name in documented, f"{name} ({field_name}) is missing from docs/configuration.md: {FIX}"
        assert name in listed, f"{name} ({field_name}) is missing from .env.example: {FIX}"
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"} <= listed & documented


def test_every_field_is_in_exactly_one_section():
    shown = [name for _, names in reference.section_fields() for name in names]
    assert sorted(shown) == sorted(Settings.model_fields)


def test_secrets_and_empty_defaults_show_empty_and_lists_show_json():
    env = reference.render_env_example()
    assert "# KENNISBANK_QDRANT_API_KEY=\n" in env
    assert "# SLACK_BOT_TOKEN=\n" in env
    assert '# KENNISBANK_CORPUS_DIRS=["corpus"]\n' in env
    assert "# KENNISBANK_ALLOW_ANONYMOUS=true\n" in env


def test_check_names_the_command_when_a_file_is_stale(monkeypatch, tmp_path: Path, capsys):
    stale = tmp_path / ".env.example"
    stale.write_text("# KENNISBANK_DATA_DIR=data\n", encoding="utf-8")
    monkeypatch.setattr(reference, "ENV_EXAMPLE", stale)
    monkeypatch.setattr(reference, "REPO", tmp_path.parent)
    configuration = tmp_path / "configuration.md"
    configuration.write_text(reference.CONFIGURATION_MD.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(reference, "CONFIGURATION_MD", configuration)
    assert reference.main(["--check"]) == 1
    message = capsys.readouterr().err
    assert ".env.example is out of date" in message and reference.COMMAND in message
    assert "configuration.md" not in message
