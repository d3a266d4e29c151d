"""Plain helpers for tests (not fixtures): settings that keep the developer's environment
out, the repository root, and the installed `kennisbank` command run as a user runs it."""

import os
import subprocess
import sys
from pathlib import Path

from assistant.caller import Caller
from core.settings import Settings

REPO = Path(__file__).resolve().parents[2]
# Who asks in tests that do not go through a front end: a public caller, and a member of
# the board (`bestuur`), who may see the restricted documents.
PUBLIC = Caller.member("test")
BOARD = Caller.member("test-board", frozenset({"bestuur"}))


def make_settings(data_dir: Path, **overrides) -> Settings:
    """Settings for a test: nothing from the developer's environment leaks in."""
    # TestClient sends "Host: testserver"; the loopback servers 127.0.0.1.
    hosts = ["testserver", "127.0.0.1", "localhost"]
    return Settings(
        _env_file=None, **{"data_dir": data_dir, "embedding": "mock", "allowed_hosts": hosts, **overrides}
    )


def run_cli(
    *args: str, data_dir: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run the installed `kennisbank` command as a user would, with the mock embedder."""
    full_env = {
        **os.environ,
        "KENNISBANK_DATA_DIR": str(data_dir),
        "KENNISBANK_EMBEDDING": "mock",
        **(env or {}),
    }
    return subprocess.run(
        [str(Path(sys.executable).parent / "kennisbank"), *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
