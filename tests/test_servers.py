"""``verified_guide.servers.serve``: what it leaves behind. A test run starts hundreds of
servers; each one's log used to stay in the temp dir after a clean stop."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from verified_guide import servers

HTTP_SERVER = [sys.executable, "-m", "http.server", "{port}", "--bind", servers.HOST]
EXITS_AT_ONCE = [sys.executable, "-c", "print('no such app: main:app'); raise SystemExit(3)"]


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where ``serve`` writes its logs (tempfile's directory), empty at the start."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_server_stopped_after_a_normal_block_leaves_no_log(temp_dir: Path) -> None:
    with servers.serve("plain", HTTP_SERVER) as server:
        assert server.ready_status == 200 and server.log_path.parent == temp_dir
    assert not server.alive() and list(temp_dir.iterdir()) == []


def test_a_server_that_fails_to_start_keeps_the_log_its_error_names(temp_dir: Path) -> None:
    with pytest.raises(servers.ServerStartError) as failure, servers.serve("broken", EXITS_AT_ONCE):
        pytest.fail("the block ran for a server that never answered")
    [log] = temp_dir.iterdir()
    assert str(log) in str(failure.value) and "no such app: main:app" in str(failure.value)
    assert "no such app" in log.read_text()


def test_a_block_that_raises_keeps_the_log(temp_dir: Path) -> None:
    failing_check = pytest.raises(AssertionError, match="the check failed")
    with failing_check, servers.serve("plain", HTTP_SERVER) as server:
        raise AssertionError("the check failed")
    assert not server.alive() and list(temp_dir.iterdir()) == [server.log_path]


def test_an_interrupted_block_leaves_no_log(temp_dir: Path) -> None:
    """Ctrl-C on ``make bench`` used to leave every running server's log in the temp dir,
    though no error named them."""
    with pytest.raises(KeyboardInterrupt), servers.serve("plain", HTTP_SERVER) as server:
        raise KeyboardInterrupt
    assert not server.alive() and list(temp_dir.iterdir()) == []
